package io.lowrank.job;

import io.lowrank.experiment.SensingTrials;
import io.lowrank.io.OutputLock;
import io.lowrank.report.Reports;
import io.lowrank.report.RunOutputs;
import io.lowrank.report.TruthDistance;
import io.lowrank.run.FactoredSensingSettings;
import io.lowrank.run.Input;
import io.lowrank.run.Progress;
import io.lowrank.run.RunResult;
import io.lowrank.run.SensingRun;
import io.lowrank.run.SensingSettings;
import io.lowrank.run.Truth;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code lowrank sensing}: recover M* = X*X*^T from y_i = ⟨A_i, M*⟩ with ScaledGD(λ), ScaledGD, PrecGD, GD,
 * (rank-one operator) rank-r BWGD, or SubGM and the scaled sub-gradient method on a robust loss
 * ({@code --loss l1 --solver subgm|scaled-subgm}, generated instances
 * with {@code --outliers p}), on Spark. Generates an instance (Gaussian stored, Gaussian generated on the fly,
 * or rank-one) unless {@code --input} gives measurements: rank-one (a_i, y_i) with {@code --operator rank-one}, else
 * an operator file of the user's own A_i (header y,a_0,...,a_{D−1}; {@code --operator asymmetric} for d1×d2 A_i and
 * W1 W2^T), and writes summary.json (with
 * {@code relative_error}), trace.csv, estimate.csv (X, one row of r values per line), convergence.png and
 * config.conf atomically. With {@code sensing.trials.enabled} (or {@code --compare}) it runs the comparison grid of
 * {@link SensingTrials} instead.
 */
@Command(name = "sensing",
    description = "Low-rank matrix sensing: ScaledGD(lambda), ScaledGD, PrecGD, GD, rank-r BWGD, SubGM and the scaled "
        + "sub-gradient method (robust).",
    footer = {"", "--solver (scaledgd-lambda|scaledgd|precgd|gd|bwgd|subgm|scaled-subgm; default scaledgd-lambda), --tol",
        "(default 1e-8) and",
        "--max-iter (default 1000, 2000 for subgm) set sensing.solver, sensing.tol and sensing.max-iter. See the sensing",
        "section of README.md."})
public final class SensingCommand implements Callable<Integer> {
  static final String NAME = "sensing";
  static final String DEFAULT_OUT = "lowrank-out/" + NAME;
  /** The comparison grid's own default: a sweep's directory, which a single run's outputs would block. */
  static final String DEFAULT_COMPARE_OUT = "lowrank-out/" + NAME + "-compare";

  @Mixin
  CommonOptions common;

  @Mixin
  SolverOptions solver;

  @Option(names = "--d", paramLabel = "N", description = "Dimension d of M* (generated instance).")
  Integer d;

  @Option(names = "--rstar", paramLabel = "N", description = "True rank r* (generated instance).")
  Integer rstar;

  @Option(names = "--r", paramLabel = "N", description = "Search rank r (0 = 2 r*).")
  Integer r;

  @Option(names = "--kappa", paramLabel = "X", description = "Condition number of M* (generated instance).")
  Double kappa;

  @Option(names = "--n", paramLabel = "N", description = "Measurements m (sensing.m; 0 = 10 d r*).")
  Long m;

  @Option(names = "--m", hidden = true)
  Long oldM;

  @Option(names = "--operator", paramLabel = "gaussian|generated|rank-one|completion|asymmetric",
      description = "Sensing operator.")
  String operator;

  @Option(names = "--lambda", paramLabel = "X|auto",
      description = "Damping of scaledgd-lambda and scaled-subgm, >= 0 (default: auto, adapted along the run).")
  String lambda;

  @Option(names = "--eta", paramLabel = "X", description = "Step size eta (default: 0.5).")
  Double eta;

  @Option(names = "--alpha", paramLabel = "X",
      description = "Small random init scale alpha (default: 1e-3; subgm derives it with its step schedule).")
  Double alpha;

  @Option(names = "--noise", paramLabel = "X", description = "Dense Gaussian noise sigma on y (generated instance).")
  Double noise;

  @Option(names = "--loss", paramLabel = "auto|l2|l1|lq|huber",
      description = "Loss (default auto: l1 for subgm, l2 otherwise; only subgm takes l1, lq, huber).")
  String loss;

  @Option(names = "--q", paramLabel = "X", description = "Exponent of the lq loss, 1 < q <= 2 (default 1.5).")
  Double q;

  @Option(names = "--huber-delta", paramLabel = "X", description = "Huber threshold, in the units of y (default 0.1).")
  Double huberDelta;

  @Option(names = "--outliers", paramLabel = "P",
      description = "Fraction of generated measurements corrupted by an outlier, 0 <= p < 0.5 (default 0).")
  Double outliers;

  @Option(names = "--outlier-kind", paramLabel = "gaussian|uniform|positive", description = "Outlier law (default uniform).")
  String outlierKind;

  @Option(names = "--outlier-scale", paramLabel = "S",
      description = "Outlier scale s: N(0, s^2), or s * max|y*| * U(-1,1) / U(0,1) (default 10).")
  Double outlierScale;

  @Option(names = "--eta0", paramLabel = "X|auto",
      description = "First step of subgm and scaled-subgm, > 0 (default auto, from the data).")
  String eta0;

  @Option(names = "--rho", paramLabel = "X|auto",
      description = "Step decay of subgm and scaled-subgm, in (0, 1) (default auto).")
  String rho;

  @Option(names = "--d1", paramLabel = "N", description = "Rows d1 of M* (completion, asymmetric; default d).")
  Integer d1;

  @Option(names = "--d2", paramLabel = "N", description = "Columns d2 of M* (completion, asymmetric; default d1).")
  Integer d2;

  @Option(names = "--shape", paramLabel = "D1xD2",
      description = "d1 and d2 at once, e.g. 10000x10000; also the shape of an operator file's A_i (default square).")
  String shape;

  @Option(names = "--sampling", paramLabel = "Q",
      description = "Completion: probability q that an entry is observed (default: from --n).")
  Double sampling;

  @Option(names = "--symmetric", description = "Completion of a PSD M* = X*X*^T modelled as W W^T.")
  boolean symmetric;

  @Option(names = "--truth-right", paramLabel = "PATH",
      description = "Completion or asymmetric --input: the right factor Y* of M* = X*Y*^T (with --truth X*).")
  String truthRight;

  @Option(names = "--step", paramLabel = "geometric|polyak",
      description = "Step of subgm and scaled-subgm (default geometric; polyak uses --fstar).")
  String step;

  @Option(names = "--fstar", paramLabel = "X|truth",
      description = "Polyak's optimal loss f* >= 0, or truth (f at the known truth; default).")
  String fstar;

  @Option(names = "--trim", paramLabel = "F",
      description = "scaled-subgm's start leaves out the fraction F of largest |y_i|, 0 <= F < 1 (default 0.2).")
  Double trim;

  @Option(names = "--compare", description = "Run the comparison grid of sensing.trials instead of one solve.")
  boolean compare;

  @Option(names = "--trials", hidden = true)
  boolean oldTrials;

  @Override
  public Integer call() throws Exception {
    Renamed.refuse(oldM, "--m", "--n (the number of measurements m)");
    Renamed.refuse(oldTrials, "--trials", "--compare (--trials N is a count of trials)");
    JobConfig cfg = common.load(NAME, flags());
    SensingSettings s = SensingSettings.of(cfg);
    if (cfg.bool("sensing.trials.enabled")) {
      SensingTrials.Grid grid = SensingTrials.Grid.of(cfg, s);
      String out = cfg.optionalPath("out").orElse(DEFAULT_COMPARE_OUT);
      SparkSession spark = SparkSessions.create(cfg.explicitMaster(), "lowrank " + NAME + " --compare");
      try (OutputLock lock = OutputLock.acquire(out, spark.sparkContext().hadoopConfiguration())) {
        return SensingTrials.run(spark, grid, s, cfg.render(), lock);
      }
    }
    String out = cfg.optionalPath("out").orElse(DEFAULT_OUT);
    var path = cfg.optionalPath("input");
    if (FactoredSensingSettings.factored(s.operator())) {
      try (Progress progress = common.progress()) {
        return FactoredSensingOutputs.runAndWrite(cfg, s, out, path.orElse(null), truthRight, progress);
      }
    }
    if (truthRight != null) {
      throw new IllegalArgumentException("--truth-right is the right factor Y* of M* = X* Y*^T (--operator asymmetric "
          + "or completion); --operator " + s.operator() + " models M* = X* X*^T, whose truth is X* alone (--truth)");
    }
    if (path.isEmpty()) {
      s.requireGeneratable();
    }
    try (Progress progress = common.progress()) {
      progress.phase("starting Spark");
      SparkSession spark = SparkSessions.create(cfg.explicitMaster(), "lowrank " + NAME);
      try (OutputLock lock = OutputLock.acquire(out, spark.sparkContext().hadoopConfiguration())) {
        // The truth file holds X* (d lines of r* comma-separated values; one column = phase retrieval's x*).
        RunResult run = path.isEmpty() ? SensingRun.run(spark, s, progress)
            : SensingRun.run(spark, Input.path(path.get(), cfg.oneOf("format", "auto", "csv", "parquet")),
                cfg.truthOfInput().map(Truth::file).orElse(Truth.none()), s, progress);
        progress.phase("writing the outputs");
        RunOutputs.of(run, run.solver() + " (" + NAME + ")", TruthDistance.SENSING, cfg.render(), "estimate.csv")
            .commit(lock);
        System.out.print(Reports.consoleSummary(run, out));
      }
    }
    return Main.OK;
  }

  /** The config flags: the common ones, the solver flags as keys of the sensing section, the sensing flags. */
  Map<String, Object> flags() {
    Map<String, Object> f = solver.overrides(SensingSettings.SECTION);
    JobConfig.flag(f, "sensing.d", d);
    JobConfig.flag(f, "sensing.rstar", rstar);
    JobConfig.flag(f, "sensing.r", r);
    JobConfig.flag(f, "sensing.kappa", kappa);
    JobConfig.flag(f, "sensing.m", m);
    JobConfig.flag(f, "sensing.operator", operator);
    JobConfig.flag(f, "sensing.lambda", lambda);
    JobConfig.flag(f, "sensing.eta", eta);
    JobConfig.flag(f, "sensing.alpha", alpha);
    JobConfig.flag(f, "sensing.noise", noise);
    JobConfig.flag(f, "sensing.loss", loss);
    JobConfig.flag(f, "sensing.q", q);
    JobConfig.flag(f, "sensing.huber-delta", huberDelta);
    JobConfig.flag(f, "sensing.outliers", outliers);
    JobConfig.flag(f, "sensing.outlier-kind", outlierKind);
    JobConfig.flag(f, "sensing.outlier-scale", outlierScale);
    JobConfig.flag(f, "sensing.subgm-eta0", eta0);
    JobConfig.flag(f, "sensing.subgm-rho", rho);
    JobConfig.flag(f, "sensing.trim", trim);
    JobConfig.flag(f, "sensing.step", step);
    JobConfig.flag(f, "sensing.fstar", fstar);
    if (compare) {
      f.put("sensing.trials.enabled", true);
    }
    FactoredSensingOutputs.shapeFlags(f, shape, d1, d2, sampling, symmetric);
    return f;
  }
}
