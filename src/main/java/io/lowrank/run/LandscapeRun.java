package io.lowrank.run;

import io.lowrank.data.GaussianSensing;
import io.lowrank.data.LowRankTruth;
import io.lowrank.data.Outliers;
import io.lowrank.engine.Engine;
import io.lowrank.engine.LocalEngine;
import io.lowrank.engine.SparkEngine;
import io.lowrank.io.OperatorFile;
import io.lowrank.linalg.Linalg;
import io.lowrank.model.factor.FactorOperator;
import io.lowrank.model.sensing.GeneratedGaussianOperator;
import io.lowrank.model.sensing.PackedGaussianOperator;
import io.lowrank.solve.landscape.LandscapeProbe;
import io.lowrank.solve.landscape.SaddleProbe;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.SparkSession;

/**
 * A landscape run: the generated instance the settings describe (symmetric Gaussian sensing, stored or on the fly,
 * with outliers), or a user's operator file with its truth → engine → the probes at the padded truth
 * ({@link LandscapeProbe}: which rows are corrupted, the stationarity of W*, the saddle test at the search rank k, the
 * verdict, the curve) → an {@link Outcome} with the summary fields; or the phase diagram over a grid of (p, m, k),
 * in-process.
 */
public final class LandscapeRun {
  /** The Spark job group (and UI label) of the probes. */
  private static final String NAME = "landscape";
  /**
   * A split of the residuals at the truth closer than this factor to τ on either side is warned of: on a generated
   * instance or a full-precision file the clean residuals are rounding, 6 or more orders below τ, and the outliers
   * orders above it.
   */
  static final double SEPARATION_WARNING = 100;
  /** Above this many measurements the generator's corrupted count is not recomputed on the driver for the summary. */
  private static final long GENERATOR_CHECK_LIMIT = 10_000_000L;

  /**
   * One probe.
   *
   * @param report the probes' findings
   * @param summary the summary.json fields
   */
  public record Outcome(LandscapeProbe.Report report, Map<String, Object> summary) {}

  /** One instance of a cell of the phase diagram: the probe at (p, m, k) on the instance of {@code seed}. */
  public record Cell(double p, long m, int k, long seed, LandscapeProbe.Report report) {}

  /**
   * The phase diagram.
   *
   * @param cells every (p, m, k), p then m then k
   * @param summary the summary.json fields
   */
  public record Diagram(List<Cell> cells, Map<String, Object> summary) {}

  private LandscapeRun() {}

  /** The instance of the settings on Spark, probed at landscape.k. */
  public static Outcome run(SparkSession spark, LandscapeSettings s) {
    return run(spark, s, Progress.quiet());
  }

  /** As {@link #run(SparkSession, LandscapeSettings)}, telling {@code progress} the phases and the saddle test's steps. */
  public static Outcome run(SparkSession spark, LandscapeSettings s, Progress progress) {
    long t0 = System.nanoTime();
    LowRankTruth truth = truth(s);
    GaussianSensing inst = instance(s, truth, s.m(), s.outlierModel());
    try (SparkEngine engine = SparkData.open(spark, Input.generated(inst), SparkData.Layout.MEASUREMENTS,
        s.partitions(), 0, NAME, progress)) {
      return probe(engine, operator(inst), inst, s, s.k(), t0, progress);
    }
  }

  /**
   * A user's operator file (header y,a_0,...,a_{D−1} as the sensing command reads it, {@link OperatorFiles}: square
   * A_i, read through their symmetric parts and scaled by 1/√m like the stored Gaussian operator) with its truth X*
   * (a factor file of d lines of r* values), probed at landscape.k. Which measurements are corrupted is read off the
   * residuals at the truth, as for a generated instance ({@link LandscapeProbe#setUp}); then the same probes. The
   * header, the truth's shape and k are checked on the driver before the data are read.
   *
   * @param input the operator file
   * @param truth X*: a factor file, or its values (d·r*, column-major)
   */
  public static Outcome run(SparkSession spark, Input input, Truth truth, LandscapeSettings s) {
    return run(spark, input, truth, s, Progress.quiet());
  }

  /**
   * As {@link #run(SparkSession, Input, Truth, LandscapeSettings)}, telling {@code progress} the phases and the saddle
   * test's steps.
   */
  public static Outcome run(SparkSession spark, Input input, Truth truth, LandscapeSettings s, Progress progress) {
    long t0 = System.nanoTime();
    if (!(input instanceof Input.Files files)) {
      throw new IllegalArgumentException("the landscape probes read an operator file (--input FILE with header "
          + "y,a_0,...,a_{D-1}); a DataFrame or a generated instance is not one");
    }
    if (truth instanceof Truth.None) {
      throw new IllegalArgumentException("the landscape probes of an operator file need its truth: --truth X_FILE "
          + "(d lines of r* comma-separated values, X* with M* = X* X*^T)");
    }
    org.apache.hadoop.conf.Configuration conf = spark.sparkContext().hadoopConfiguration();
    OperatorFile.Shape shape = OperatorFile.shapeOf(files.path(), OperatorFiles.requireOperatorHeader(spark, files),
        s.shape());
    if (!shape.isSquare()) {
      throw new IllegalArgumentException("--shape " + shape + ": the landscape probes are for the symmetric model "
          + "W W^T, whose A_i are square");
    }
    int d = shape.d1();
    LowRankTruth x = OperatorFiles.truthFactor(truth, d, conf);
    String truthName = truth instanceof Truth.File f ? f.path() : "given";
    LandscapeSettings.requireRank(s.k(), x.rank(), "the rank r* = " + x.rank() + " of the truth " + truthName, d,
        "d = " + d + " (the A_i of " + files.path() + " are " + shape + ")");
    progress.phase("loading " + files.path());
    OperatorFiles.Symmetric data = OperatorFiles.loadSymmetric(spark, files, shape, s.partitions(), NAME);
    try (SparkEngine engine = data.engine()) {
      Map<String, Object> about = new LinkedHashMap<>();
      about.put("input", files.path());
      about.put("truth", truthName);
      about.put("operator", "file");
      about.put("outliers", "unknown: read off the residuals at the truth");
      about.put("operator_scale", "A_i and y_i times 1/sqrt(m)");
      about.put("nonsymmetric_matrices", data.nonSymmetric());
      return probe(engine, new PackedGaussianOperator(d, engine.rows()), x, s, s.k(), about, t0, progress);
    }
  }

  /** The instance of the settings in this JVM ({@code threads} folding blocks), probed at landscape.k. */
  public static Outcome runInProcess(LandscapeSettings s, int threads) {
    long t0 = System.nanoTime();
    GaussianSensing inst = instance(s, truth(s), s.m(), s.outlierModel());
    try (LocalEngine engine = new LocalEngine(inst.blocks(), threads)) {
      return probe(engine, operator(inst), inst, s, s.k(), t0, Progress.quiet());
    }
  }

  /**
   * The phase diagram of the settings' grid: for each (p, m) and each of landscape.diagram.seeds seeds (seed, seed + 1,
   * ...: the truth, the instance and the saddle test's starts), the instance in this JVM and every k of the grid on it.
   */
  public static Diagram diagram(LandscapeSettings s, int threads) {
    return diagram(s, threads, Progress.quiet());
  }

  /** As {@link #diagram(LandscapeSettings, int)}, telling {@code progress} each instance as it starts. */
  public static Diagram diagram(LandscapeSettings s, int threads, Progress progress) {
    long t0 = System.nanoTime();
    List<Cell> cells = new ArrayList<>();
    long passes = 0;
    int instances = s.outliersGrid().size() * s.mGrid().size() * s.diagramSeeds();
    int instance = 0;
    for (Outliers out : s.outliersGrid()) {
      for (long m : s.mGrid()) {
        for (long seed = s.seed(); seed < s.seed() + s.diagramSeeds(); seed++) {
          progress.phase("diagram instance " + ++instance + " of " + instances + ": p = " + out.fraction() + ", m = "
              + m + ", seed " + seed + ", k = " + s.kGrid());
          List<LandscapeProbe.Report> reports = probes(s.withSeed(seed), m, out, s.kGrid(), threads, null);
          passes += reports.get(0).setup().passes();
          for (LandscapeProbe.Report r : reports) {
            cells.add(new Cell(out.fraction(), m, r.k(), seed, r));
            passes += r.passes();
          }
        }
      }
    }
    Map<String, Object> summary = new LinkedHashMap<>();
    summary.put("mode", "diagram");
    summary.put("d", s.d());
    summary.put("rstar", s.rstar());
    summary.put("kappa", s.kappa());
    summary.put("operator", s.operator());
    summary.put("loss", s.loss().describe());
    summary.put("outlier_kind", s.outlierModel().kind().id());
    summary.put("outlier_scale", s.outlierModel().scale());
    summary.put("m_grid", s.mGrid());
    summary.put("k_grid", s.kGrid());
    summary.put("outliers_grid", s.outliersGrid().stream().map(Outliers::fraction).toList());
    summary.put("seeds", s.diagramSeeds());
    summary.put("first_seed", s.seed());
    summary.put("cells", cells.size());
    summary.put("strict_saddles", cells.stream().filter(c -> c.report().verdict().id().equals("strict-saddle"))
        .count());
    summary.put("passes", passes);
    summary.put("seconds", RunResult.since(t0));
    summary.put("master", "in-process");
    summary.put("blas", Linalg.blasName());
    return new Diagram(cells, summary);
  }

  /**
   * The instance of the settings (landscape.m, landscape.outliers, the seed) in this JVM ({@code threads} folding
   * blocks), set up once — the passes at the truth and the stationarity of W* — and probed at every search rank of
   * {@code ks}, as one instance of the phase diagram: one outcome per k, in order, its summary fields those of
   * {@link #run} but for the set-up's time, which is in {@code setup_seconds} ({@code seconds} is the probe's).
   */
  public static List<Outcome> probeInProcess(LandscapeSettings s, List<Integer> ks, int threads) {
    double[] seconds = new double[ks.size() + 1];
    List<LandscapeProbe.Report> reports = probes(s, s.m(), s.outlierModel(), ks, threads, seconds);
    List<Outcome> out = new ArrayList<>();
    for (int j = 0; j < reports.size(); j++) {
      LandscapeProbe.Report r = reports.get(j);
      Map<String, Object> summary = new LinkedHashMap<>();
      summary.put("verdict", r.verdict().id());
      summary.put("k", r.k());
      summary.put("m", r.setup().m());
      summary.putAll(fields(r.setup()));
      summary.putAll(fields(r, s.options()));
      summary.put("passes", r.passes());
      summary.put("seconds", seconds[j + 1]);
      summary.put("setup_passes", r.setup().passes());
      summary.put("setup_seconds", seconds[0]);
      out.add(new Outcome(r, summary));
    }
    return out;
  }

  /**
   * One instance of the settings' seed with {@code m} measurements and {@code outliers}, in this JVM, set up once and
   * probed at each k of {@code ks}; the set-up's seconds go into seconds[0] and each probe's into seconds[1 + j] when
   * {@code seconds} is not null.
   */
  private static List<LandscapeProbe.Report> probes(LandscapeSettings s, long m, Outliers outliers, List<Integer> ks,
      int threads, double[] seconds) {
    LandscapeProbe.Options o = s.options();
    LowRankTruth truth = truth(s);
    GaussianSensing inst = instance(s, truth, m, outliers);
    try (LocalEngine engine = new LocalEngine(inst.blocks(), threads)) {
      long t0 = System.nanoTime();
      LandscapeProbe.Setup setup = LandscapeProbe.setUp(engine, operator(inst), truth.factor(), truth.rank(),
          s.loss(), o);
      List<LandscapeProbe.Report> reports = new ArrayList<>();
      if (seconds != null) {
        seconds[0] = RunResult.since(t0);
      }
      for (int j = 0; j < ks.size(); j++) {
        long t1 = System.nanoTime();
        reports.add(LandscapeProbe.probe(engine, setup, ks.get(j), o));
        if (seconds != null) {
          seconds[j + 1] = RunResult.since(t1);
        }
      }
      return reports;
    }
  }

  private static LowRankTruth truth(LandscapeSettings s) {
    return LowRankTruth.generate(s.d(), s.rstar(), s.kappa(), s.seed());
  }

  private static GaussianSensing instance(LandscapeSettings s, LowRankTruth truth, long m, Outliers outliers) {
    int blockRows = s.blockRows(s.d());
    return s.operator().equals("generated") ? GaussianSensing.onTheFly(truth, m, s.seed(), 0.0, outliers, blockRows)
        : GaussianSensing.stored(truth, m, s.seed(), 0.0, outliers, blockRows);
  }

  private static FactorOperator operator(GaussianSensing inst) {
    return inst.isStored() ? new PackedGaussianOperator(inst.d(), inst.m()) : new GeneratedGaussianOperator(inst);
  }

  /** The probes over an engine holding {@code inst}'s blocks. */
  private static Outcome probe(Engine engine, FactorOperator op, GaussianSensing inst, LandscapeSettings s, int k,
      long t0, Progress progress) {
    Map<String, Object> about = new LinkedHashMap<>();
    about.put("operator", s.operator());
    about.put("outliers", inst.outliers().describe());
    if (inst.m() <= GENERATOR_CHECK_LIMIT) {
      long generated = 0;
      for (long i = 0; i < inst.m(); i++) {
        generated += inst.outliers().isCorrupted(s.seed(), i) ? 1 : 0;
      }
      about.put("generator_corrupted", generated);
    }
    return probe(engine, op, inst.truth(), s, k, about, t0, progress);
  }

  /** The probes at the truth over an engine holding the data; {@code about} describes the data in the summary. */
  private static Outcome probe(Engine engine, FactorOperator op, LowRankTruth truth, LandscapeSettings s, int k,
      Map<String, Object> about, long t0, Progress progress) {
    LandscapeProbe.Options o = s.options();
    progress.phase("passes at the truth: corrupted rows, stationarity");
    LandscapeProbe.Setup setup = LandscapeProbe.setUp(engine, op, truth.factor(), truth.rank(), s.loss(), o);
    progress.phase("saddle test at k = " + k + " (" + o.saddle().starts() + " starts, at most "
        + o.saddle().evaluationsPerStart() + " passes each) and the curve");
    LandscapeProbe.Report report = LandscapeProbe.probe(engine, setup, k, o, progress);
    Map<String, Object> summary = new LinkedHashMap<>();
    summary.put("mode", "probe");
    summary.put("verdict", report.verdict().id());
    summary.put("d", truth.d());
    summary.put("rstar", truth.rank());
    summary.put("k", k);
    summary.put("m", setup.m());
    summary.put("kappa", truth.kappa());
    summary.put("loss", s.loss().describe());
    summary.putAll(about);
    summary.putAll(fields(setup));
    if (setup.separation() < SEPARATION_WARNING) {
      RunResult.warn(summary, String.format(java.util.Locale.ROOT, "residuals at the truth lie within a factor %.3g of "
          + "the corruption threshold %.3g (largest read as rounding %.3g, smallest read as an outlier %.3g): the "
          + "corrupted count depends on landscape.corruption-tol (y or A_i written with few digits, dense noise, or "
          + "not the data's truth?)", setup.separation(), setup.tau(), setup.cleanResidualMax(),
          setup.corruptedResidualMin()));
    }
    summary.putAll(fields(report, o));
    summary.put("passes", engine.passes());
    summary.put("seconds", RunResult.since(t0));
    summary.put("partitions", engine.partitions());
    summary.put("master", engine.master());
    summary.put("cached_bytes", engine.cachedBytes());
    summary.put("blas", Linalg.blasName());
    return new Outcome(report, summary);
  }

  /** The set-up's summary fields. */
  static Map<String, Object> fields(LandscapeProbe.Setup setup) {
    Map<String, Object> f = new LinkedHashMap<>();
    f.put("corrupted", setup.corrupted());
    f.put("corrupted_fraction", setup.corruptedFraction());
    f.put("corrupted_positive", setup.positive());
    f.put("corruption_threshold", setup.tau());
    f.put("clean_residual_max", setup.cleanResidualMax());
    f.put("corrupted_residual_min", Double.isFinite(setup.corruptedResidualMin()) ? setup.corruptedResidualMin()
        : null);
    f.put("corruption_separation", Double.isFinite(setup.separation()) ? setup.separation() : null);
    f.put("f_star", setup.fStar());
    f.put("stationarity", setup.stationarity());
    f.put("stationarity_lower_bound", setup.stationarityLower());
    f.put("stationarity_relative", setup.relativeStationarity());
    f.put("stationary", setup.stationary());
    f.put("stationarity_method", setup.method());
    return f;
  }

  /** The saddle test's summary fields (nulls without one). */
  static Map<String, Object> fields(LandscapeProbe.Report report, LandscapeProbe.Options o) {
    Map<String, Object> f = new LinkedHashMap<>();
    SaddleProbe.Result sd = report.saddle();
    f.put("min_h", sd == null ? null : sd.minH());
    f.put("min_h_normalised", sd == null ? null : sd.normalised());
    f.put("negative_curvature", report.negativeCurvature());
    f.put("min_h_per_start", sd == null ? null : sd.perStart());
    f.put("quadratic_radius", sd == null ? null : sd.quadraticRadius());
    f.put("saddle_passes", sd == null ? 0 : sd.evaluations());
    f.put("saddle_test", sd == null ? (report.setup().loss().id().equals("l1") ? "none (k = r*: no padded directions)"
        : "none (smooth loss: the gradient decides)") : o.saddle().starts() + " starts, at most "
        + o.saddle().evaluationsPerStart() + " passes each");
    f.put("stationarity_tol", o.stationarityTol());
    f.put("curvature_tol", o.curvatureTol());
    f.put("corruption_tol", o.corruptionTol());
    return f;
  }
}
