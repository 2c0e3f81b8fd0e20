package io.lowrank.job;

import io.lowrank.baseline.MllibLbfgs;
import io.lowrank.engine.Engine;
import io.lowrank.engine.SparkEngine;
import io.lowrank.solve.StoppingRule;
import io.lowrank.solve.phase.AmplitudeFlow;
import io.lowrank.solve.phase.PhaseRetrievalSolver;
import io.lowrank.solve.phase.SmoothingNewton;
import io.lowrank.solve.phase.SmoothingSchedule;
import io.lowrank.solve.phase.WirtingerFlow;
import java.util.List;

/** The phase-retrieval solvers by their {@code --solver} names, built from a config. */
public final class PhaseRetrievalSolvers {
  /** Every name {@code --solver} accepts, in the order reports list them. */
  public static final List<String> NAMES =
      List.of("smoothing-newton", "bwgd", "wirtinger-flow", "amplitude-flow", "mllib-lbfgs");

  private PhaseRetrievalSolvers() {}

  /**
   * The solver {@code name} with the settings of {@code cfg}, every value checked now, before any data is read.
   * {@code mllib-lbfgs} needs the Spark engine's blocks: build it with {@link #mllib}.
   */
  public static PhaseRetrievalSolver of(String name, JobConfig cfg) {
    return of(name, cfg, cfg.positiveDouble("tol"), false);
  }

  /**
   * A solver of a comparison (trials, bench) with the stopping tolerance {@code tol} in place of the config's. The
   * solvers share one config, so {@code schedule} and {@code hessian} apply to smoothing-newton only: bwgd is μ = 0
   * with the Gauss-Newton step whatever they say.
   */
  public static PhaseRetrievalSolver forComparison(String name, JobConfig cfg, double tol) {
    return of(name, cfg, tol, true);
  }

  private static PhaseRetrievalSolver of(String name, JobConfig cfg, double tol, boolean comparison) {
    StoppingRule stopping = new StoppingRule(tol, cfg.positiveInt("max-iter"), cfg.nonNegativeDouble("stall.loss-tol"));
    return switch (name) {
      case "bwgd", "smoothing-newton" -> new SmoothingNewton(smoothingOptions(name, cfg, tol, comparison));
      case "wirtinger-flow" ->
          new WirtingerFlow(stopping, cfg.positiveDouble("wirtinger.eta-max"), cfg.positiveDouble("wirtinger.t0"));
      case "amplitude-flow" -> new AmplitudeFlow(stopping, cfg.positiveDouble("amplitude-flow.eta"));
      case "mllib-lbfgs" -> {
        cfg.positiveInt("lbfgs.corrections");
        cfg.nonNegativeDouble("lbfgs.tol");
        yield null;
      }
      default -> throw new IllegalArgumentException("unknown solver '" + name + "' (expected one of: "
          + String.join(", ", NAMES) + ")");
    };
  }

  /** The solver named by the config's {@code solver} key (null for mllib-lbfgs, see {@link #mllib}). */
  public static PhaseRetrievalSolver of(JobConfig cfg) {
    return of(cfg.oneOf("solver", NAMES.toArray(new String[0])), cfg);
  }

  /** The solver for an engine: {@code of(name, cfg)}, or MLlib L-BFGS over the Spark engine's cached blocks. */
  public static PhaseRetrievalSolver forEngine(String name, JobConfig cfg, Engine engine) {
    PhaseRetrievalSolver solver = of(name, cfg);
    if (solver != null) {
      return solver;
    }
    if (!(engine instanceof SparkEngine spark)) {
      throw new IllegalArgumentException("solver mllib-lbfgs runs on Spark only (master " + engine.master() + ")");
    }
    return mllib(cfg, spark);
  }

  /** MLlib's L-BFGS over the engine's blocks (caches them as MLlib rows; close it to release them). */
  public static MllibLbfgs mllib(JobConfig cfg, SparkEngine engine) {
    return mllib(cfg, engine, cfg.positiveDouble("tol"));
  }

  /** {@link #mllib(JobConfig, SparkEngine)} with the stopping tolerance {@code tol} in place of the config's. */
  public static MllibLbfgs mllib(JobConfig cfg, SparkEngine engine, double tol) {
    return new MllibLbfgs(engine.blocks(), new StoppingRule(tol, cfg.positiveInt("max-iter"),
        cfg.nonNegativeDouble("stall.loss-tol")), cfg.positiveInt("lbfgs.corrections"), cfg.nonNegativeDouble("lbfgs.tol"));
  }

  /** Options of smoothing Newton or BWGD; {@code comparison}: see {@link #forComparison}. */
  private static SmoothingNewton.Options smoothingOptions(String solver, JobConfig cfg, double tol,
      boolean comparison) {
    String hessianName = cfg.oneOf("hessian", "gauss-newton", "full");
    String scheduleName = cfg.oneOf("schedule", "loss", "quantile", "fixed");
    SmoothingNewton.Hessian hessian = hessianName.equals("full") && !(comparison && solver.equals("bwgd"))
        ? SmoothingNewton.Hessian.FULL : SmoothingNewton.Hessian.GAUSS_NEWTON;
    SmoothingSchedule schedule;
    if (solver.equals("bwgd")) {
      // The default schedule is tolerated: conf files (the shipped conf/phase-retrieval.conf, and every run's
      // config.conf, which holds all keys) name it, and must still work with --solver bwgd.
      if (!comparison && cfg.isExplicit("schedule")
          && !scheduleName.equals(JobConfig.reference().getString("schedule"))) {
        throw new IllegalArgumentException("solver bwgd has no smoothing schedule (it is smoothing Newton with μ = 0), "
            + "got schedule '" + scheduleName + "'; drop --schedule or use --solver smoothing-newton");
      }
      schedule = new SmoothingSchedule.None();
    } else {
      double c = cfg.positiveDouble("smoothing.c");
      double gamma = cfg.probability("smoothing.gamma");
      schedule = switch (scheduleName) {
        case "quantile" -> new SmoothingSchedule.QuantileBased(cfg.probability("smoothing.quantile"), c, gamma);
        case "fixed" -> new SmoothingSchedule.Fixed(cfg.positiveDouble("smoothing.mu"));
        default -> new SmoothingSchedule.LossBased(c, gamma);
      };
    }
    return new SmoothingNewton.Options(solver, schedule, hessian, tol, cfg.positiveInt("max-iter"),
        cfg.positiveInt("cg.max-iter"), cfg.positiveDouble("cg.tol"), cfg.nonNegativeDouble("stall.loss-tol"), 200);
  }
}
