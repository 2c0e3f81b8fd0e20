package io.lowrank.run;

import io.lowrank.data.AsymmetricGaussianSensing;
import io.lowrank.data.BlockSource;
import io.lowrank.data.FactorTruth;
import io.lowrank.data.LowRankTruth;
import io.lowrank.data.MatrixCompletion;
import io.lowrank.data.Seeds;
import io.lowrank.engine.Engine;
import io.lowrank.engine.SparkEngine;
import io.lowrank.io.EntryReader;
import io.lowrank.io.FactorFile;
import io.lowrank.io.Format;
import io.lowrank.io.Measurements;
import io.lowrank.linalg.Linalg;
import io.lowrank.model.Loss;
import io.lowrank.model.factor.DenseOperator;
import io.lowrank.model.factor.EntryOperator;
import io.lowrank.model.factor.FactorOperator;
import io.lowrank.model.factor.GeneratedDenseOperator;
import io.lowrank.solve.Result;
import io.lowrank.solve.factor.FactorProblem;
import io.lowrank.solve.factor.FactoredDefaults;
import io.lowrank.solve.factor.FactoredDescent;
import io.lowrank.solve.factor.SpectralScale;
import io.lowrank.solve.sensing.SensingInitializer;
import io.lowrank.solve.sensing.SubGradientMethod;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;

/**
 * A factored recovery run — matrix completion (W1 W2^T, or W W^T) and asymmetric Gaussian sensing (W1 W2^T): data (a
 * generated instance of the settings, completion entries from files, or any blocks with their
 * {@link FactorOperator}) → engine → {@link FactorProblem} under the settings' loss → spectral scale (a few power
 * passes at 0) → data-derived steps → small random start α·N(0, 1/d) → SubGM or ℓ2 GD ({@link FactoredDescent}) →
 * result. The estimate is W (d × k) for W W^T and [W1; W2] ((d1 + d2) × k, W1's rows first) for W1 W2^T.
 *
 * <p>Entry points: {@link #run(SparkSession, SensingSettings)} (generated), {@link #run(SparkSession, Input,
 * FactorTruth, SensingSettings)} (completion entries files; with --operator asymmetric a user's operator file,
 * {@link OperatorFiles}; the truth possibly from factor files, {@link TruthFiles}), {@link #run(SparkSession, Measurements, FactorOperator,
 * FactorTruth, SensingSettings)} (blocks another reader made, e.g. a user's operator file in {@link DenseOperator}'s
 * layout) and {@link #solve} (an engine the caller owns: in-process tests, benchmarks).
 */
public final class FactoredSensingRun {
  private FactoredSensingRun() {}

  /** Generates the completion or asymmetric sensing instance the settings describe, on Spark, and solves it. */
  public static RunResult run(SparkSession spark, SensingSettings settings) {
    return run(spark, settings, Progress.quiet());
  }

  /** As {@link #run(SparkSession, SensingSettings)}, telling {@code progress} the phases and the iterations. */
  public static RunResult run(SparkSession spark, SensingSettings settings, Progress progress) {
    Generated g = generate(settings);
    long t0 = System.nanoTime();
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    progress.sparkUi(spark.sparkContext());
    progress.phase("generating the " + settings.operator() + " instance");
    try (SparkEngine engine = SparkEngine.generated(jsc, g.source(), settings.partitions(), settings.solver(),
        StorageLevel.MEMORY_ONLY())) {
      double load = RunResult.since(t0);
      return solve(engine, g.operator(), g.truth(), settings, "the generated instance", progress)
          .loadedFrom("generated", "generated", load, engine);
    }
  }

  /** A generated instance: its blocks, operator and truth. */
  public record Generated(BlockSource source, FactorOperator operator, FactorTruth truth) {}

  /** The instance the settings describe (completion or asymmetric sensing), not yet loaded. */
  public static Generated generate(SensingSettings settings) {
    FactoredSensingSettings f = FactoredSensingSettings.of(settings);
    SensingSettings s = settings;
    int d1 = f.d1();
    int d2 = f.d2();
    if (s.operator().equals("completion")) {
      FactorTruth truth = f.symmetric() ? FactorTruth.of(LowRankTruth.generate(d1, s.rstar(), s.kappa(), s.seed()))
          : FactorTruth.generate(d1, d2, s.rstar(), s.kappa(), s.seed());
      MatrixCompletion inst = MatrixCompletion.of(truth, f.completionSampling(), s.seed(), s.noise(),
          s.outlierModel(), 0);
      return new Generated(inst, f.symmetric() ? EntryOperator.symmetric(d1) : EntryOperator.asymmetric(d1, d2), truth);
    }
    FactorTruth truth = FactorTruth.generate(d1, d2, s.rstar(), s.kappa(), s.seed());
    int blockRows = s.blockRows();
    if (f.generatedOperator()) {
      AsymmetricGaussianSensing inst = AsymmetricGaussianSensing.onTheFly(truth, f.m(), s.seed(), s.noise(),
          s.outlierModel(), blockRows);
      return new Generated(inst, new GeneratedDenseOperator(inst), truth);
    }
    return new Generated(AsymmetricGaussianSensing.stored(truth, f.m(), s.seed(), s.noise(), s.outlierModel(),
        blockRows), DenseOperator.asymmetric(d1, d2), truth);
  }

  /**
   * Solves completion entries read from files (rows i, j, y and an optional weight w; {@link EntryReader}): the
   * shape is sensing.d1 × sensing.d2 when set (indices checked against it), else read from the largest indices.
   *
   * @param truth M* = X* Y*^T when known (its shape must match), else null
   */
  public static RunResult run(SparkSession spark, Input input, FactorTruth truth, SensingSettings s) {
    return run(spark, input, truth, s, Progress.quiet());
  }

  /** As {@link #run(SparkSession, Input, FactorTruth, SensingSettings)}, telling {@code progress} as it goes. */
  public static RunResult run(SparkSession spark, Input input, FactorTruth truth, SensingSettings s,
      Progress progress) {
    return run(spark, input, truth, truth == null ? null : "given", s, progress);
  }

  /**
   * The factor files of a truth M* = X* Y*^T, as {@link FactorFile} reads them: X* ({@code left}) and Y*
   * ({@code right}; null for M* = X* X*^T).
   */
  public record TruthFiles(String left, String right) {
    public TruthFiles {
      if (left == null) {
        throw new IllegalArgumentException("a truth needs the factor file of X*");
      }
    }

    /** The truth they hold: d1 and d2 are sensing.d1 and sensing.d2 when set, else the files' rows. */
    FactorTruth read(SensingSettings s, Configuration conf) {
      int d1 = s.values().nonNegativeInt("sensing.d1");
      int d2 = s.values().nonNegativeInt("sensing.d2");
      return right == null ? FactorTruth.of(FactorFile.read(left, d1, conf))
          : FactorFile.readPair(left, d1, right, d2, conf);
    }
  }

  /**
   * As {@link #run(SparkSession, Input, FactorTruth, SensingSettings)} with the truth read from factor files; the
   * summary names them ({@code truth}: X*'s file, {@code truth_right}: Y*'s) and its {@code kappa} is theirs.
   *
   * @param truth the files, or null when the truth is unknown
   */
  public static RunResult run(SparkSession spark, Input input, TruthFiles truth, SensingSettings s) {
    return run(spark, input, truth, s, Progress.quiet());
  }

  /** As {@link #run(SparkSession, Input, TruthFiles, SensingSettings)}, telling {@code progress} as it goes. */
  public static RunResult run(SparkSession spark, Input input, TruthFiles truth, SensingSettings s,
      Progress progress) {
    if (truth == null) {
      return run(spark, input, null, null, s, progress);
    }
    FactorTruth t = truth.read(s, spark.sparkContext().hadoopConfiguration());
    RunResult r = run(spark, input, t, truth.left(), s, progress);
    return truth.right() == null ? r : r.withFieldAfter("truth", "truth_right", truth.right());
  }

  /** {@code truthSource}: what the summary says of the truth (a path, "given", or null). */
  private static RunResult run(SparkSession spark, Input input, FactorTruth truth, String truthSource,
      SensingSettings s, Progress progress) {
    if (!(input instanceof Input.Files files)) {
      throw new IllegalArgumentException("completion entries are read from files (rows i,j,y[,w]); a generated "
          + "instance comes from run(spark, settings)");
    }
    if (s.outlierModel().any()) {
      throw new IllegalArgumentException("sensing.outliers corrupts generated instances; the entries of --input are "
          + "used as given (set sensing.outliers = 0)");
    }
    if (s.operator().equals("asymmetric")) {
      return OperatorFiles.runFactored(spark, files, truth, truthSource, s, progress); // a user's d1 x d2 A_i
    }
    if (!s.operator().equals("completion")) {
      throw new IllegalArgumentException("--input with a factored operator holds completion entries: use --operator "
          + "completion");
    }
    FactoredSensingSettings f = FactoredSensingSettings.of(s);
    int d1 = s.values().nonNegativeInt("sensing.d1");
    int d2 = s.values().nonNegativeInt("sensing.d2");
    long t0 = System.nanoTime();
    progress.sparkUi(spark.sparkContext());
    progress.phase("loading " + files.path());
    Format format = Format.of(files.path(), files.format(), spark.sparkContext().hadoopConfiguration());
    EntryReader.Entries entries = EntryReader.read(spark, files.path(), format, d1 == 0 && truth != null ? truth.d1()
        : d1, d2 == 0 && truth != null ? truth.d2() : d2, f.symmetric(), StorageLevel.MEMORY_ONLY());
    FactorOperator op = f.symmetric() ? EntryOperator.symmetric(entries.d1())
        : EntryOperator.asymmetric(entries.d1(), entries.d2());
    if (truth != null && (truth.d1() != entries.d1() || truth.d2() != entries.d2())) {
      entries.measurements().unpersist();
      throw new IllegalArgumentException("the truth is " + truth.d1() + "x" + truth.d2() + ", but the entries of "
          + files.path() + " are of a " + entries.d1() + "x" + entries.d2() + " matrix");
    }
    return run(spark, entries.measurements(), op, truth, truthSource, s, RunResult.since(t0), progress);
  }

  /**
   * Solves measurements another reader loaded and cached (their blocks in {@code op}'s layout, e.g. vec(A_i) rows for
   * {@link DenseOperator}): the entry point of user operator files.
   *
   * @param truth M* when known, else null
   */
  public static RunResult run(SparkSession spark, Measurements data, FactorOperator op, FactorTruth truth,
      SensingSettings s) {
    return run(spark, data, op, truth, truth == null ? null : "given", s, 0, Progress.quiet());
  }

  /**
   * {@code truthSource}: what the summary says of the truth; {@code loadSeconds}: the time {@code data} took;
   * {@code progress} hears the phases and iterations.
   */
  static RunResult run(SparkSession spark, Measurements data, FactorOperator op, FactorTruth truth,
      String truthSource, SensingSettings s, double loadSeconds, Progress progress) {
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    var blocks = s.partitions() > 0 ? data.blocks().repartition(s.partitions()) : data.blocks();
    try (SparkEngine engine = new SparkEngine(jsc, blocks, s.solver(), StorageLevel.MEMORY_ONLY())) {
      if (s.partitions() > 0) {
        data.unpersist();
      }
      return solve(engine, op, truth, s, "the input " + data.path(), progress)
          .loadedFrom(data.path(), truthSource, loadSeconds, engine);
    }
  }

  /**
   * Solves over an engine the caller owns (the blocks in {@code op}'s layout).
   *
   * @param truth M* when known (enables the relative error and CONVERGED by it), else null
   * @param data names the data in errors about the search rank
   */
  public static RunResult solve(Engine engine, FactorOperator op, FactorTruth truth, SensingSettings s, String data) {
    return solve(engine, op, truth, s, data, Progress.quiet());
  }

  /**
   * As {@link #solve(Engine, FactorOperator, FactorTruth, SensingSettings, String)}, telling {@code progress} the
   * phases and every iteration.
   */
  public static RunResult solve(Engine engine, FactorOperator op, FactorTruth truth, SensingSettings s, String data,
      Progress progress) {
    FactoredSensingSettings f = FactoredSensingSettings.of(s);
    int d1 = op.rows();
    int d2 = op.cols();
    int k = s.searchRank(Math.min(d1, d2), truth != null ? truth.rank() : s.rstar(), data);
    long t0 = System.nanoTime();
    Loss loss = f.loss();
    FactorProblem problem = new FactorProblem(engine, op, loss, truth == null ? null : truth.left(),
        truth == null ? null : truth.right(), truth == null ? 0 : truth.rank());
    problem.listen(progress);
    progress.phase("spectral scale: " + f.spectralPasses() + " power passes at 0");
    SpectralScale scale = SpectralScale.estimate(problem, k + 1, f.spectralPasses(), s.seed());
    boolean subgm = s.solver().equals("subgm");
    // SubGM derives its start's α with its schedule; GD starts at α as set (1e-3 for auto).
    FactoredDefaults auto = FactoredDefaults.of(problem, scale, k, subgm ? s.alphaSet() : s.alpha(), s.subgmRho(),
        s.tol(), s.maxIter());
    double alpha = subgm ? auto.subgm().alpha() : s.alpha();
    Map<String, Object> extra = new LinkedHashMap<>();
    FactoredDescent.Options options;
    if (subgm) {
      double eta0 = Double.isNaN(s.subgmEta0()) ? auto.eta0() : s.subgmEta0();
      double rho = auto.subgm().rho(); // as set, or derived
      options = FactoredDescent.Options.subgm(new SubGradientMethod.Options(eta0, rho, s.tol(), s.maxIter()));
      extra.put("subgm_eta0", eta0);
      extra.put("subgm_rho", rho);
      extra.put("subgm_defaults", (Double.isNaN(s.subgmEta0()) ? "eta0 auto" : "eta0 set") + ", "
          + (Double.isNaN(s.subgmRho()) ? "rho auto" : "rho set") + ", "
          + (Double.isNaN(s.alphaSet()) ? "alpha auto" : "alpha set"));
      extra.put("max_iter", s.maxIter());
      extra.put("kappa_estimate", auto.subgm().kappa());
      extra.put("kappa_resolved", auto.subgm().resolved());
    } else {
      options = FactoredDescent.Options.gradientDescent(s.eta() * auto.stepUnit(), s.tol(), s.maxIter());
      extra.put("gd_step", options.eta0());
    }
    extra.put("sigma_max_estimate", scale.values()[0]);
    extra.put("spectral_values", java.util.Arrays.stream(scale.values()).boxed().toList());
    extra.put("spectral_passes", scale.passes());
    double[] w1 = SensingInitializer.smallRandom(d1, k, alpha, s.seed());
    double[] w2 = op.symmetric() ? null : SensingInitializer.smallRandom(d2, k, alpha, Seeds.derive(s.seed(), 2));
    extra.put("init", "small-random");
    double start = RunResult.since(t0);
    progress.phase("solving with " + s.solver() + " at rank " + k);
    Result result = new FactoredDescent(options).solve(problem, w1, w2, k, scale.lossAtZero());
    double[] w = result.estimate();
    int n1 = d1 * k;
    Map<String, Object> summary = new LinkedHashMap<>();
    summary.put("solver", s.solver());
    summary.put("operator", s.operator() + (op.symmetric() ? " (symmetric W W^T)" : " (W1 W2^T)"));
    summary.putAll(RunResult.resultFields(result));
    summary.put("relative_error", truth == null ? null : result.trace().last().distance());
    if (s.solver().equals("subgm")) {
      summary.put("subgm_final_eta", result.trace().last().mu());
    }
    if (!op.symmetric()) {
      summary.put("imbalance", FactoredDescent.imbalance(FactoredDescent.left(w, n1), d1,
          FactoredDescent.right(w, n1), d2, k));
    }
    summary.put("d1", d1);
    summary.put("d2", d2);
    summary.put("rstar", truth == null ? null : truth.rank());
    summary.put("r", k);
    summary.put("kappa", truth == null ? null : truth.kappa()); // the truth's own, whatever sensing.kappa says
    summary.put("m", engine.rows());
    if (op instanceof EntryOperator) {
      summary.put("sampling", (double) engine.rows() / (op.symmetric() ? 0.5 * d1 * (d1 + 1.0) : (double) d1 * d2));
    }
    summary.put("alpha", alpha);
    summary.putAll(extra);
    summary.put("loss", loss.describe());
    summary.put("outliers", s.outlierModel().describe());
    long solvePasses = result.trace().records().stream().mapToLong(r -> r.passes()).sum();
    double perPass = solvePasses > 0 ? result.seconds() / solvePasses : Double.NaN;
    summary.put("seconds_per_pass", perPass);
    summary.put("measurements_per_second", engine.rows() / perPass);
    summary.put("partitions", engine.partitions());
    summary.put("master", engine.master());
    summary.put("cached_bytes", engine.cachedBytes());
    summary.put("blas", Linalg.blasName());
    double[] estimate = op.symmetric() ? w : stack(w, d1, d2, k);
    return new RunResult(s.solver(), estimate, op.symmetric() ? d1 : d1 + d2, k, result, summary,
        new RunResult.Timings(0, start, result.seconds()));
  }

  /** [W1; W2] as one column-major (d1 + d2) × k matrix from W1's then W2's column-major values. */
  static double[] stack(double[] w, int d1, int d2, int k) {
    int rows = d1 + d2;
    double[] out = new double[rows * k];
    for (int c = 0; c < k; c++) {
      System.arraycopy(w, c * d1, out, c * rows, d1);
      System.arraycopy(w, d1 * k + c * d2, out, c * rows + d1, d2);
    }
    return out;
  }

  /** W1 (the first d1 rows) or W2 (the rest) of a stacked (d1 + d2) × k estimate, column-major. */
  public static double[] factor(double[] stacked, int d1, int d2, int k, boolean left) {
    int rows = d1 + d2;
    int n = left ? d1 : d2;
    double[] out = new double[n * k];
    for (int c = 0; c < k; c++) {
      System.arraycopy(stacked, c * rows + (left ? 0 : d1), out, c * n, n);
    }
    return out;
  }
}
