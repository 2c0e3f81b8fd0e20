package io.lowrank.job;

import io.lowrank.data.Block;
import io.lowrank.data.GaussianSensing;
import io.lowrank.data.LowRankTruth;
import io.lowrank.data.RankOneSensing;
import io.lowrank.engine.SparkEngine;
import io.lowrank.io.FactorFile;
import io.lowrank.io.Format;
import io.lowrank.io.MeasurementReader;
import io.lowrank.io.Measurements;
import io.lowrank.io.OutputDir;
import io.lowrank.linalg.Linalg;
import io.lowrank.model.sensing.GeneratedGaussianOperator;
import io.lowrank.model.sensing.PackedGaussianOperator;
import io.lowrank.model.sensing.RankOneOperator;
import io.lowrank.model.sensing.SensingOperator;
import io.lowrank.solve.Result;
import io.lowrank.solve.Trace;
import io.lowrank.solve.sensing.RankRBwgd;
import io.lowrank.solve.sensing.ScaledGradientDescent.Method;
import io.lowrank.solve.sensing.ScaledGradientDescent;
import io.lowrank.solve.sensing.SensingInitializer;
import io.lowrank.solve.sensing.SensingProblem;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code lowrank sensing}: recover M* = X*X*^T from y_i = ⟨A_i, M*⟩ with ScaledGD(λ), ScaledGD, PrecGD, GD, or
 * (rank-one operator) rank-r BWGD, on Spark. Generates an instance (Gaussian stored, Gaussian generated on the fly, or rank-one) unless {@code --input}
 * gives rank-one measurements, and writes summary.json (with {@code relative_error}), trace.csv, estimate.csv (X,
 * one row of r values per line), convergence.png and config.conf atomically. With {@code sensing.trials.enabled}
 * (or {@code --trials}) it runs the comparison grid of {@link SensingTrials} instead.
 */
@Command(name = "sensing", description = "Low-rank matrix sensing: ScaledGD(lambda), ScaledGD, PrecGD, GD, rank-r BWGD.",
    footer = {"", "For this command --solver (scaledgd-lambda|scaledgd|precgd|gd|bwgd; default scaledgd-lambda), --tol",
        "(default 1e-8) and --max-iter (default 1000) set sensing.solver, sensing.tol and sensing.max-iter;",
        "--schedule and --hessian do not apply. See the sensing section of README.md."})
public final class SensingCommand implements Callable<Integer> {
  static final String NAME = "sensing";
  static final String DEFAULT_OUT = "lowrank-out/" + NAME;

  @Mixin
  CommonOptions common;

  @Option(names = "--d", paramLabel = "N", description = "Dimension d of M* (generated instance).")
  Integer d;

  @Option(names = "--rstar", paramLabel = "N", description = "True rank r* (generated instance).")
  Integer rstar;

  @Option(names = "--r", paramLabel = "N", description = "Search rank r (0 = 2 r*).")
  Integer r;

  @Option(names = "--kappa", paramLabel = "X", description = "Condition number of M* (generated instance).")
  Double kappa;

  @Option(names = "--m", paramLabel = "N", description = "Measurements (0 = 10 d r*).")
  Long m;

  @Option(names = "--operator", paramLabel = "gaussian|generated|rank-one", description = "Sensing operator.")
  String operator;

  @Option(names = "--lambda", paramLabel = "X|auto", description = "ScaledGD(lambda) damping (default: auto).")
  String lambda;

  @Option(names = "--eta", paramLabel = "X", description = "Step size eta (default: 0.5).")
  Double eta;

  @Option(names = "--alpha", paramLabel = "X", description = "Small random init scale alpha (default: 1e-3).")
  Double alpha;

  @Option(names = "--trials", description = "Run the comparison grid of sensing.trials instead of one solve.")
  boolean trials;

  /** Everything a sensing run needs, validated (before Spark starts). */
  record Settings(String solver, String operator, int d, int rstar, double kappa, long m, double noise, int r,
      double tol, int maxIterations, double eta, String lambda, double lambdaFactor, double alpha, double precgdC,
      int blockRows, long seed) {

    static Settings of(JobConfig cfg) {
      String solver = cfg.oneOf("sensing.solver", "scaledgd-lambda", "scaledgd", "precgd", "gd", "bwgd");
      String operator = cfg.oneOf("sensing.operator", "gaussian", "generated", "rank-one");
      if (solver.equals("bwgd") && !operator.equals("rank-one")) {
        throw new IllegalArgumentException("solver bwgd works on rank-one measurements: use --operator rank-one");
      }
      int d = cfg.positiveInt("sensing.d");
      int rstar = cfg.positiveInt("sensing.rstar");
      if (rstar > d) {
        throw new IllegalArgumentException("sensing.rstar must be <= sensing.d = " + d + ", got " + rstar);
      }
      double kappa = cfg.finiteDouble("sensing.kappa");
      if (!(kappa >= 1)) {
        throw new IllegalArgumentException("sensing.kappa must be >= 1, got " + kappa);
      }
      long m = cfg.longValue("sensing.m");
      if (m < 0) {
        throw new IllegalArgumentException("sensing.m must be >= 0 (0 = 10 d r*), got " + m);
      }
      // 0 = 2 r*; resolved (and checked against d) by searchRank once the data's d and r* are known.
      int r = cfg.nonNegativeInt("sensing.r");
      String lambda = cfg.string("sensing.lambda").trim();
      if (!lambda.equals("auto")) {
        double value;
        try {
          value = Double.parseDouble(lambda);
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException("sensing.lambda must be a number >= 0 or auto, got '" + lambda + "'");
        }
        if (!(value >= 0) || Double.isInfinite(value)) {
          throw new IllegalArgumentException("sensing.lambda must be finite and >= 0, got " + lambda);
        }
      }
      return new Settings(solver, operator, d, rstar, kappa, m == 0 ? 10L * d * rstar : m,
          cfg.nonNegativeDouble("sensing.noise"), r, cfg.positiveDouble("sensing.tol"),
          cfg.positiveInt("sensing.max-iter"), cfg.positiveDouble("sensing.eta"), lambda,
          cfg.positiveDouble("sensing.lambda-factor"), cfg.positiveDouble("sensing.alpha"),
          cfg.positiveDouble("sensing.precgd-c"), cfg.nonNegativeInt("sensing.block-rows"), cfg.longValue("seed"));
    }

    /**
     * The search rank for data of dimension {@code dim} and true rank {@code trueRank} (the truth file's with
     * --input): sensing.r, or 2 r* capped at d when it is 0.
     */
    int searchRank(int dim, int trueRank, String data) {
      int rank = r == 0 ? Math.min(dim, 2 * trueRank) : r;
      if (rank > dim) {
        throw new IllegalArgumentException("sensing.r (the search rank) must be in [1, d = " + dim + "] for " + data
            + ", got " + rank);
      }
      return rank;
    }

    /** Checks the generated instance's shape (m against r*). */
    void requireGeneratable() {
      SensingProblem.requireEnoughMeasurements(m, d, rstar);
    }

    int blockRowsFor(int width) {
      return blockRows > 0 ? blockRows : Block.rowsFor(width, 4L << 20);
    }
  }

  /** The solver, its start and its λ (or σ_1) as chosen by the settings for a set-up problem. */
  static Result solve(SensingProblem p, Settings s, int r, Map<String, Object> summary) {
    Method method = Method.of(s.solver());
    double lambda = 0;
    if (method == Method.SCALED_FIXED_LAMBDA) {
      lambda = s.lambda().equals("auto") ? s.lambdaFactor() * p.sigmaMinEstimate(r) : Double.parseDouble(s.lambda());
    }
    double sigma1 = p.hasTruth() ? p.truth().sigmaMax() : p.sigmaMaxEstimate();
    boolean spectral = method == Method.SCALED || method == Method.GRADIENT;
    double[] x0 = spectral ? SensingInitializer.spectral(p, r) : SensingInitializer.smallRandom(p.d(), r, s.alpha(), s.seed());
    var options = new ScaledGradientDescent.Options(method, s.eta(), lambda, s.precgdC(), sigma1, s.tol(),
        s.maxIterations());
    if (summary != null) {
      summary.put("init", spectral ? "spectral" : "small-random");
      summary.put("lambda", method == Method.SCALED_FIXED_LAMBDA ? lambda : null);
      summary.put("sigma_min_estimate", p.sigmaMinEstimate(r));
      summary.put("sigma_max_estimate", p.sigmaMaxEstimate());
      summary.put("initial_relative_error", p.relativeError(x0, r));
    }
    return new ScaledGradientDescent(options).solve(p, x0, r);
  }

  @Override
  public Integer call() throws Exception {
    JobConfig cfg = JobConfig.load(NAME, common.confFile(), common.sets(), flags());
    Settings s = Settings.of(cfg);
    String out = cfg.optionalPath("out").orElse(DEFAULT_OUT);
    boolean trialsMode;
    try {
      trialsMode = cfg.config().getBoolean("sensing.trials.enabled");
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("sensing.trials.enabled must be true or false");
    }
    if (trialsMode) {
      SensingTrials.Grid grid = SensingTrials.Grid.of(cfg, s);
      return SensingTrials.run(grid, s, cfg, out);
    }
    var input = cfg.optionalPath("input");
    if (input.isPresent() && !s.operator().equals("rank-one")) {
      throw new IllegalArgumentException("--input holds rank-one measurements (a_i, y_i) in the phase-retrieval "
          + "format: use --operator rank-one");
    }
    if (input.isEmpty()) {
      s.requireGeneratable();
      s.searchRank(s.d(), s.rstar(), "the generated instance");
    }
    int partitions = cfg.nonNegativeInt("partitions");

    SparkSession spark = SparkSessions.create(cfg.explicitMaster(), "lowrank " + NAME);
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    Configuration hadoop = spark.sparkContext().hadoopConfiguration();
    Map<String, Object> summary = new LinkedHashMap<>();
    summary.put("solver", s.solver());
    summary.put("operator", s.operator());

    LowRankTruth truth;
    SensingOperator op;
    SparkEngine engine;
    if (input.isPresent()) {
      Format format = Format.of(input.get(), cfg.oneOf("format", "auto", "csv", "parquet"), hadoop);
      Measurements meas = MeasurementReader.read(spark, input.get(), format, 0, StorageLevel.MEMORY_ONLY());
      engine = new SparkEngine(jsc, partitions > 0 ? meas.blocks().repartition(partitions) : meas.blocks(), s.solver(),
          StorageLevel.MEMORY_ONLY());
      if (partitions > 0) {
        meas.unpersist();
      }
      op = new RankOneOperator(meas.d(), meas.rows());
      // The truth file holds X* (d lines of r* comma-separated values; one column = phase retrieval's x*).
      truth = cfg.optionalPath("truth").map(t -> FactorFile.read(t, meas.d(), hadoop)).orElse(null);
      summary.put("input", input.get());
    } else {
      truth = LowRankTruth.generate(s.d(), s.rstar(), s.kappa(), s.seed());
      switch (s.operator()) {
        case "rank-one" -> {
          RankOneSensing inst = new RankOneSensing(truth, s.m(), s.seed(), s.noise(), s.blockRowsFor(s.d()));
          op = new RankOneOperator(s.d(), s.m());
          engine = SparkEngine.generated(jsc, inst, partitions, s.solver(), StorageLevel.MEMORY_ONLY());
        }
        case "generated" -> {
          GaussianSensing inst = GaussianSensing.onTheFly(truth, s.m(), s.seed(), s.noise(),
              s.blockRowsFor(io.lowrank.data.PackedSymmetric.length(s.d())));
          op = new GeneratedGaussianOperator(inst);
          engine = SparkEngine.generated(jsc, inst, partitions, s.solver(), StorageLevel.MEMORY_ONLY());
        }
        default -> {
          GaussianSensing inst = GaussianSensing.stored(truth, s.m(), s.seed(), s.noise(),
              s.blockRowsFor(io.lowrank.data.PackedSymmetric.length(s.d())));
          op = new PackedGaussianOperator(s.d(), s.m());
          engine = SparkEngine.generated(jsc, inst, partitions, s.solver(), StorageLevel.MEMORY_ONLY());
        }
      }
      summary.put("input", "generated");
    }

    Result result;
    int r = s.searchRank(op.d(), truth != null ? truth.rank() : s.rstar(),
        input.isPresent() ? "the input " + input.get() : "the generated instance");
    try (engine) {
      SensingProblem problem = SensingProblem.setUp(engine, op, truth);
      Map<String, Object> extra = new LinkedHashMap<>();
      if (s.solver().equals("bwgd")) {
        double[] x0 = SensingInitializer.spectral(problem, r);
        extra.put("init", "spectral");
        extra.put("initial_relative_error", problem.relativeError(x0, r));
        problem.label("bwgd");
        result = new RankRBwgd(s.tol(), s.maxIterations()).solve(problem, x0, r);
      } else {
        result = solve(problem, s, r, extra);
      }
      summary.putAll(Reports.resultFields(result));
      // The trace's distance column is the relative error ‖XX^T − M*‖_F/‖M*‖_F (Procrustes distance for bwgd).
      summary.put("relative_error", truth == null ? null : problem.relativeError(result.estimate(), r));
      if (s.solver().equals("bwgd")) {
        summary.put("procrustes_distance", result.trace().last().distance());
      }
      summary.put("d", op.d());
      summary.put("rstar", truth == null ? null : truth.rank());
      summary.put("r", r);
      summary.put("kappa", truth == null ? null : truth.kappa());
      summary.put("m", engine.rows());
      summary.put("eta", s.eta());
      summary.put("alpha", s.alpha());
      summary.putAll(extra);
      summary.put("partitions", engine.partitions());
      summary.put("master", engine.master());
      summary.put("cached_bytes", engine.cachedBytes());
      summary.put("blas", Linalg.blasName());
    }

    try (OutputDir dir = OutputDir.open(out, hadoop)) {
      dir.writeText("summary.json", Reports.summaryJson(summary));
      dir.writeText("trace.csv", result.trace().toCsv());
      dir.writeText("estimate.csv", matrixCsv(result.estimate(), op.d(), r));
      dir.writeBytes("convergence.png", Reports.convergencePng(result.trace(), s.solver() + " (" + NAME + ", r = " + r
          + ")"));
      dir.writeText("config.conf", cfg.render());
      dir.commit();
    }
    System.out.print(Reports.consoleSummary(s.solver(), result, out));
    return Main.OK;
  }

  /**
   * The config flags: the common ones, with --solver, --tol and --max-iter mapped to this command's
   * sensing.solver, sensing.tol and sensing.max-iter, plus the sensing flags.
   */
  Map<String, Object> flags() {
    Map<String, Object> f = new LinkedHashMap<>(common.overrides());
    for (String key : new String[] {"solver", "tol", "max-iter"}) {
      Object v = f.remove(key);
      if (v != null) {
        f.put("sensing." + key, v);
      }
    }
    JobConfig.flag(f, "sensing.d", d);
    JobConfig.flag(f, "sensing.rstar", rstar);
    JobConfig.flag(f, "sensing.r", r);
    JobConfig.flag(f, "sensing.kappa", kappa);
    JobConfig.flag(f, "sensing.m", m);
    JobConfig.flag(f, "sensing.operator", operator);
    JobConfig.flag(f, "sensing.lambda", lambda);
    JobConfig.flag(f, "sensing.eta", eta);
    JobConfig.flag(f, "sensing.alpha", alpha);
    if (trials) {
      f.put("sensing.trials.enabled", true);
    }
    return f;
  }

  /** X (d×r, column-major) as CSV: one line per row of X, r values each, full precision. */
  static String matrixCsv(double[] x, int d, int r) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < d; i++) {
      for (int k = 0; k < r; k++) {
        if (k > 0) {
          sb.append(',');
        }
        sb.append(Trace.cell(x[i + k * d]));
      }
      sb.append('\n');
    }
    return sb.toString();
  }
}
