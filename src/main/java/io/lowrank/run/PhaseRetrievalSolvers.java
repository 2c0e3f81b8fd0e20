package io.lowrank.run;

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

/**
 * The phase-retrieval solvers by name: the registry a new solver joins (its class, its name in {@link #NAMES} and
 * one case in {@link #create}), each built from the keys of the {@code phase-retrieval} section.
 */
public final class PhaseRetrievalSolvers {
  /** Every solver name, in the order reports list them. */
  public static final List<String> NAMES =
      List.of("smoothing-newton", "bwgd", "wirtinger-flow", "amplitude-flow", "mllib-lbfgs");

  private static final String S = PhaseRetrievalSettings.SECTION + ".";

  private PhaseRetrievalSolvers() {}

  /**
   * The solver {@code name} with the settings of {@code cfg}, every value checked now, before any data is read, and
   * the stopping tolerance {@code tol}. {@code comparison}: the solvers of a comparison (trials, bench) share one
   * config, so {@code schedule} and {@code hessian} apply to smoothing-newton only (bwgd is μ = 0 with the
   * Gauss-Newton step whatever they say). {@code mllib-lbfgs} needs the Spark engine's blocks: null here, built by
   * {@link #mllib}.
   */
  static PhaseRetrievalSolver create(String name, ConfigValues cfg, double tol, boolean comparison) {
    StoppingRule stopping = stopping(cfg, tol);
    return switch (name) {
      case "bwgd", "smoothing-newton" -> new SmoothingNewton(smoothingOptions(name, cfg, tol, comparison));
      case "wirtinger-flow" ->
          new WirtingerFlow(stopping, cfg.positiveDouble(S + "wirtinger.eta-max"), cfg.positiveDouble(S + "wirtinger.t0"));
      case "amplitude-flow" -> new AmplitudeFlow(stopping, cfg.positiveDouble(S + "amplitude-flow.eta"));
      case "mllib-lbfgs" -> {
        cfg.positiveInt(S + "lbfgs.corrections");
        cfg.nonNegativeDouble(S + "lbfgs.tol");
        yield null;
      }
      default -> throw new IllegalArgumentException("unknown solver '" + name + "' (expected one of: "
          + String.join(", ", NAMES) + ")");
    };
  }

  /** True for the solvers that run on Spark RDDs themselves (MLlib's L-BFGS), not on an engine's passes. */
  static boolean needsSpark(String name) {
    return "mllib-lbfgs".equals(name);
  }

  /** The solver for an engine: {@link #create}, or MLlib L-BFGS over the Spark engine's cached blocks. */
  static PhaseRetrievalSolver create(String name, ConfigValues cfg, double tol, boolean comparison, Engine engine) {
    PhaseRetrievalSolver solver = create(name, cfg, tol, comparison);
    if (solver != null) {
      return solver;
    }
    if (!(engine instanceof SparkEngine spark)) {
      throw new IllegalArgumentException("solver mllib-lbfgs runs on Spark only (master " + engine.master() + ")");
    }
    return mllib(cfg, spark, tol);
  }

  /** MLlib's L-BFGS over the engine's blocks (caches them as MLlib rows; close it to release them). */
  static MllibLbfgs mllib(ConfigValues cfg, SparkEngine engine, double tol) {
    return new MllibLbfgs(engine.blocks(), stopping(cfg, tol), cfg.positiveInt(S + "lbfgs.corrections"),
        cfg.nonNegativeDouble(S + "lbfgs.tol"));
  }

  private static StoppingRule stopping(ConfigValues cfg, double tol) {
    return new StoppingRule(tol, cfg.positiveInt(S + "max-iter"), cfg.nonNegativeDouble(S + "stall.loss-tol"));
  }

  private static SmoothingNewton.Options smoothingOptions(String solver, ConfigValues cfg, double tol,
      boolean comparison) {
    String hessianName = cfg.oneOf(S + "hessian", "gauss-newton", "full");
    String scheduleName = cfg.oneOf(S + "schedule", "switching", "loss", "quantile", "fixed");
    SmoothingNewton.Hessian hessian = hessianName.equals("full") && !(comparison && solver.equals("bwgd"))
        ? SmoothingNewton.Hessian.FULL : SmoothingNewton.Hessian.GAUSS_NEWTON;
    SmoothingSchedule schedule;
    if (solver.equals("bwgd")) {
      // The default schedule is tolerated: conf files (every run's config.conf holds all keys) name it, and must
      // still work with --solver bwgd.
      if (!comparison && !scheduleName.equals(ConfigValues.reference().string(S + "schedule"))) {
        throw new IllegalArgumentException("solver bwgd has no smoothing schedule (it is smoothing Newton with μ = 0), "
            + "got schedule '" + scheduleName + "'; drop --schedule or use --solver smoothing-newton");
      }
      schedule = new SmoothingSchedule.None();
    } else {
      double c = cfg.positiveDouble(S + "smoothing.c");
      double gamma = cfg.probability(S + "smoothing.gamma");
      schedule = switch (scheduleName) {
        case "quantile" -> new SmoothingSchedule.QuantileBased(cfg.probability(S + "smoothing.quantile"), c, gamma);
        case "fixed" -> new SmoothingSchedule.Fixed(cfg.positiveDouble(S + "smoothing.mu"));
        case "loss" -> new SmoothingSchedule.LossBased(c, gamma);
        default -> new SmoothingSchedule.Switching(c, gamma, cfg.probability(S + "smoothing.theta"),
            cfg.positiveDouble(S + "smoothing.far"));
      };
    }
    return new SmoothingNewton.Options(solver, schedule, hessian, tol, cfg.positiveInt(S + "max-iter"),
        cfg.positiveInt(S + "cg.max-iter"), cfg.positiveDouble(S + "cg.tol"), cfg.nonNegativeDouble(S + "stall.loss-tol"),
        200);
  }
}
