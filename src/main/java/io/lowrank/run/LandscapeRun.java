package io.lowrank.run;

import io.lowrank.data.GaussianSensing;
import io.lowrank.data.LowRankTruth;
import io.lowrank.data.Outliers;
import io.lowrank.engine.Engine;
import io.lowrank.engine.LocalEngine;
import io.lowrank.engine.SparkEngine;
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
 * with outliers) → engine → the probes at the padded truth ({@link LandscapeProbe}: which rows are corrupted, the
 * stationarity of W*, the saddle test at the search rank k, the verdict, the curve) → an {@link Outcome} with the
 * summary fields; or the phase diagram over a grid of (p, m, k), in-process.
 */
public final class LandscapeRun {
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
    long t0 = System.nanoTime();
    LowRankTruth truth = truth(s);
    GaussianSensing inst = instance(s, truth, s.m(), s.outlierModel());
    try (SparkEngine engine = SparkData.open(spark, Input.generated(inst), SparkData.Layout.MEASUREMENTS,
        s.partitions(), 0, "landscape", Progress.quiet())) {
      return probe(engine, operator(inst), inst, s, s.k(), t0);
    }
  }

  /** The instance of the settings in this JVM ({@code threads} folding blocks), probed at landscape.k. */
  public static Outcome runInProcess(LandscapeSettings s, int threads) {
    long t0 = System.nanoTime();
    GaussianSensing inst = instance(s, truth(s), s.m(), s.outlierModel());
    try (LocalEngine engine = new LocalEngine(inst.blocks(), threads)) {
      return probe(engine, operator(inst), inst, s, s.k(), t0);
    }
  }

  /**
   * The phase diagram of the settings' grid: for each (p, m) and each of landscape.diagram.seeds seeds (seed, seed + 1,
   * ...: the truth, the instance and the saddle test's starts), the instance in this JVM and every k of the grid on it.
   */
  public static Diagram diagram(LandscapeSettings s, int threads) {
    long t0 = System.nanoTime();
    List<Cell> cells = new ArrayList<>();
    long passes = 0;
    for (Outliers out : s.outliersGrid()) {
      for (long m : s.mGrid()) {
        for (long seed = s.seed(); seed < s.seed() + s.diagramSeeds(); seed++) {
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
      long t0) {
    LowRankTruth truth = inst.truth();
    LandscapeProbe.Options o = s.options();
    LandscapeProbe.Setup setup = LandscapeProbe.setUp(engine, op, truth.factor(), truth.rank(), s.loss(), o);
    LandscapeProbe.Report report = LandscapeProbe.probe(engine, setup, k, o);
    Map<String, Object> summary = new LinkedHashMap<>();
    summary.put("mode", "probe");
    summary.put("verdict", report.verdict().id());
    summary.put("d", truth.d());
    summary.put("rstar", truth.rank());
    summary.put("k", k);
    summary.put("m", setup.m());
    summary.put("kappa", truth.kappa());
    summary.put("operator", s.operator());
    summary.put("loss", s.loss().describe());
    summary.put("outliers", inst.outliers().describe());
    summary.putAll(fields(setup));
    if (inst.m() <= GENERATOR_CHECK_LIMIT) {
      long generated = 0;
      for (long i = 0; i < inst.m(); i++) {
        generated += inst.outliers().isCorrupted(s.seed(), i) ? 1 : 0;
      }
      summary.put("generator_corrupted", generated);
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
