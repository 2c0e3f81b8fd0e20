package io.lowrank.job;

import io.lowrank.data.Seeds;
import io.lowrank.data.SpikedMatrix;
import io.lowrank.engine.SparkEngine;
import io.lowrank.io.Format;
import io.lowrank.io.MatrixReader;
import io.lowrank.io.Measurements;
import io.lowrank.io.OutputDir;
import io.lowrank.io.TruthFile;
import io.lowrank.linalg.Linalg;
import io.lowrank.solve.Trace;
import io.lowrank.solve.denoise.DenoisingProblem;
import io.lowrank.solve.denoise.SphericalGradientDescent;
import io.lowrank.theory.RankOneDenoisingTheory;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code lowrank denoise}: gradient descent on the spheres for rank-one matrix denoising on Spark, against its
 * random-matrix-theory trajectory. Writes summary.json, trace.csv, estimate-x.csv, estimate-y.csv, overlaps.csv
 * ({@code t,sim_u,sim_v,sim_mu,theory_u,theory_v,theory_mu}), overlaps.png and config.conf atomically; with
 * {@code --theory-only} only the prediction (no Spark); with {@code --sweep} the sweep CSVs and plots.
 */
@Command(name = "denoise", description = "Rank-one matrix denoising: gradient descent vs its random-matrix theory.")
public final class DenoiseCommand implements Callable<Integer> {
  static final String NAME = "denoise";
  static final String DEFAULT_OUT = "lowrank-out/" + NAME;
  static final String OVERLAPS_HEADER = "t,sim_u,sim_v,sim_mu,theory_u,theory_v,theory_mu";

  static {
    if (System.getProperty("java.awt.headless") == null) {
      System.setProperty("java.awt.headless", "true");
    }
  }

  @Mixin
  CommonOptions common;

  @Option(names = "--N", paramLabel = "N", description = "Rows of the generated matrix (denoise.N, default 2000).")
  Integer n;

  @Option(names = "--M", paramLabel = "M", description = "Columns of the generated matrix (denoise.M, default 4000).")
  Integer m;

  @Option(names = "--theta", paramLabel = "X", description = "Signal strength θ > 0 (denoise.theta, default 1.5).")
  Double theta;

  @Option(names = "--mu0", paramLabel = "X", description = "Initial overlap <x0,u> in [-1,1] (denoise.mu0).")
  Double mu0;

  @Option(names = "--mv0", paramLabel = "X", description = "Initial overlap <y0,v> in [-1,1] (denoise.mv0).")
  Double mv0;

  @Option(names = "--eta", paramLabel = "X", description = "Step η > 0 (denoise.eta, default 0.05).")
  Double eta;

  @Option(names = "--steps", paramLabel = "K", description = "Steps; final time K·η (denoise.steps, default 80).")
  Integer steps;

  @Option(names = "--theory-only", description = "Only the prediction, no data and no Spark (denoise.theory-only).")
  Boolean theoryOnly;

  @Option(names = "--c", paramLabel = "X", description = "Aspect ratio N/M for --theory-only (denoise.c).")
  Double c;

  @Option(names = "--sigma", paramLabel = "X",
      description = "Noise σ of a raw --input matrix; it is divided by σ√M (denoise.sigma, 0 = already scaled).")
  Double sigma;

  @Option(names = "--sweep", paramLabel = "none|theta|ratio|both", description = "Sweep mode (denoise.sweep).")
  String sweep;

  @Option(names = "--truth-u", paramLabel = "PATH",
      description = "With --input: the left spike u, one number per line (denoise.truth-u; with --truth-v).")
  String truthU;

  @Option(names = "--truth-v", paramLabel = "PATH",
      description = "With --input: the right spike v (denoise.truth-v; with --truth-u).")
  String truthV;

  /** The validated parameters of a run. */
  record Params(int n, int m, double theta, double mu0, double mv0, double eta, int steps, double tol, long seed,
      int blockRows, int partitions) {}

  @Override
  public Integer call() throws Exception {
    common.rejectSolverFlags(NAME, "the spikes of an --input matrix are --truth-u/--truth-v, the early stop "
        + "is --set denoise.tol=X");
    Map<String, Object> flags = common.overrides();
    JobConfig.flag(flags, "denoise.N", n);
    JobConfig.flag(flags, "denoise.M", m);
    JobConfig.flag(flags, "denoise.theta", theta);
    JobConfig.flag(flags, "denoise.mu0", mu0);
    JobConfig.flag(flags, "denoise.mv0", mv0);
    JobConfig.flag(flags, "denoise.eta", eta);
    JobConfig.flag(flags, "denoise.steps", steps);
    JobConfig.flag(flags, "denoise.theory-only", theoryOnly);
    JobConfig.flag(flags, "denoise.c", c);
    JobConfig.flag(flags, "denoise.sigma", sigma);
    JobConfig.flag(flags, "denoise.sweep", sweep);
    JobConfig.flag(flags, "denoise.truth-u", truthU);
    JobConfig.flag(flags, "denoise.truth-v", truthV);
    JobConfig cfg = JobConfig.load(NAME, common.confFile(), common.sets(), flags);
    String out = cfg.optionalPath("out").orElse(DEFAULT_OUT);
    Params p = params(cfg);
    String sweepMode = cfg.oneOf("denoise.sweep", "none", "theta", "ratio", "both");
    boolean onlyTheory = cfg.config().getBoolean("denoise.theory-only");
    boolean hasInput = cfg.optionalPath("input").isPresent();
    if (hasInput && (onlyTheory || !sweepMode.equals("none"))) {
      throw new IllegalArgumentException((onlyTheory ? "denoise.theory-only" : "denoise.sweep = " + sweepMode)
          + " runs on generated matrices only; drop --input (or the " + (onlyTheory ? "theory-only" : "sweep") + ")");
    }
    if (!hasInput && (cfg.optionalPath("denoise.truth-u").isPresent() || cfg.optionalPath("denoise.truth-v").isPresent())) {
      throw new IllegalArgumentException("denoise.truth-u/truth-v are the spikes of an --input matrix; a generated "
          + "matrix has its own: give --input or drop them");
    }
    Map<String, Object> summary = new LinkedHashMap<>();
    summary.put("solver", "denoise-gd");

    if (onlyTheory) {
      double ratio = cfg.positiveDouble("denoise.c");
      RankOneDenoisingTheory th = RankOneDenoisingTheory.of(ratio, p.theta);
      String csv = overlapsCsv(null, th, p);
      summary.putAll(theoryFields(th, p));
      try (OutputDir dir = OutputDir.open(out, new Configuration())) {
        dir.writeText("summary.json", Reports.summaryJson(summary));
        dir.writeText("overlaps.csv", csv);
        dir.writeBytes("overlaps.png", overlapsPng(null, th, p));
        dir.writeText("config.conf", cfg.render());
        dir.commit();
      }
      System.out.printf(Locale.ROOT, "denoise (theory only): c = %.4g, theta = %.4g, limit overlaps (%.4f, %.4f)%n"
          + "  outputs in %s%n", ratio, p.theta, th.limit(p.mu0, p.mv0)[0], th.limit(p.mu0, p.mv0)[1], out);
      return Main.OK;
    }

    SparkSession spark = SparkSessions.create(cfg.explicitMaster(), "lowrank " + NAME);
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    Configuration hadoop = spark.sparkContext().hadoopConfiguration();

    if (!sweepMode.equals("none")) {
      try (OutputDir dir = OutputDir.open(out, hadoop)) {
        if (sweepMode.equals("theta") || sweepMode.equals("both")) {
          String csv = thetaSweep(jsc, cfg, p);
          dir.writeText("sweep-theta.csv", csv);
          dir.writeBytes("sweep-theta.png", sweepPng(csv, "theta", "final overlap",
              String.format(Locale.ROOT, "final overlaps vs theta (N=%d, M=%d, t=%.3g)", p.n, p.m, p.steps * p.eta),
              new String[] {"sim_u", "sim_v", "theory_u", "theory_v", "limit_u", "limit_v"}));
        }
        if (sweepMode.equals("ratio") || sweepMode.equals("both")) {
          String csv = ratioSweep(jsc, cfg, p);
          dir.writeText("sweep-ratio.csv", csv);
          dir.writeBytes("sweep-ratio.png", sweepPng(csv, "ratio", "final <x,u>",
              String.format(Locale.ROOT, "final overlap vs m_u0/m_v0 (theta=%.3g, critical %.4f)", p.theta,
                  RankOneDenoisingTheory.of((double) p.n / p.m, p.theta).criticalRatio()),
              new String[] {"sim_u", "theory_u", "sim_sign", "theory_sign"}));
        }
        summary.put("sweep", sweepMode);
        summary.put("N", p.n);
        summary.put("M", p.m);
        summary.put("master", jsc.master());
        dir.writeText("summary.json", Reports.summaryJson(summary));
        dir.writeText("config.conf", cfg.render());
        dir.commit();
      }
      System.out.printf("denoise sweep (%s): outputs in %s%n", sweepMode, out);
      return Main.OK;
    }

    SparkEngine engine;
    DenoisingProblem problem;
    double[] x0;
    double[] y0;
    RankOneDenoisingTheory th = null;
    var input = cfg.optionalPath("input");
    if (input.isPresent()) {
      Format format = Format.of(input.get(), cfg.oneOf("format", "auto", "csv", "parquet"), hadoop);
      Measurements data = MatrixReader.read(spark, input.get(), format, p.blockRows, StorageLevel.MEMORY_ONLY());
      engine = new SparkEngine(jsc, p.partitions > 0 ? data.blocks().repartition(p.partitions) : data.blocks(),
          "denoise-gd", StorageLevel.MEMORY_ONLY());
      if (p.partitions > 0) {
        data.unpersist();
      }
      double s = cfg.nonNegativeDouble("denoise.sigma");
      double scale = s > 0 ? DenoisingProblem.rawScale(s, engine.dimension()) : 1;
      int rowsN = (int) engine.rows();
      int columnsM = engine.dimension();
      double[][] spikes = spikes(cfg, rowsN, columnsM, hadoop);
      if (spikes == null) {
        // Spikes unknown: seeded random starts; the overlap and theory columns stay empty.
        problem = new DenoisingProblem(engine, scale, null, null);
        x0 = Seeds.unitVector(rowsN, Seeds.stream(p.seed, -3));
        y0 = Seeds.unitVector(columnsM, Seeds.stream(p.seed, -4));
      } else {
        // Known spikes: the starts, overlaps and theory of a generated instance of the same seed.
        problem = new DenoisingProblem(engine, scale, spikes[0], spikes[1]);
        x0 = SpikedMatrix.startX(spikes[0], p.mu0, p.seed);
        y0 = SpikedMatrix.startY(spikes[1], p.mv0, p.seed);
        th = RankOneDenoisingTheory.of((double) rowsN / columnsM, p.theta);
      }
      summary.put("input", input.get());
    } else {
      SpikedMatrix inst = new SpikedMatrix(p.n, p.m, p.theta, p.seed, p.blockRows);
      engine = SparkEngine.generated(jsc, inst, p.partitions, "denoise-gd", StorageLevel.MEMORY_ONLY());
      problem = new DenoisingProblem(engine, 1, inst.u(), inst.v());
      x0 = inst.initialX(p.mu0);
      y0 = inst.initialY(p.mv0);
      th = RankOneDenoisingTheory.of((double) p.n / p.m, p.theta);
      summary.put("input", "generated");
    }
    SphericalGradientDescent.Run run;
    try (engine) {
      run = new SphericalGradientDescent(new SphericalGradientDescent.Options(p.eta, p.steps, p.tol))
          .solve(problem, x0, y0);
      summary.putAll(Reports.resultFields(run.result()));
      summary.put("N", problem.n());
      summary.put("M", problem.m());
      summary.put("eta", p.eta);
      summary.put("final_t", run.t()[run.size() - 1]);
      summary.put("final_mu", run.mu()[run.size() - 1]);
      summary.put("final_overlap_u", run.overlapU()[run.size() - 1]);
      summary.put("final_overlap_v", run.overlapV()[run.size() - 1]);
      summary.put("partitions", engine.partitions());
      summary.put("master", engine.master());
      summary.put("blas", Linalg.blasName());
    }
    if (th != null) {
      summary.putAll(theoryFields(th, p));
      double[] dev = maxDeviation(run, th, p);
      summary.put("max_deviation_u", dev[0]);
      summary.put("max_deviation_v", dev[1]);
      summary.put("max_deviation_mu", dev[2]);
    }
    try (OutputDir dir = OutputDir.open(out, hadoop)) {
      dir.writeText("summary.json", Reports.summaryJson(summary));
      dir.writeText("trace.csv", run.result().trace().toCsv());
      dir.writeText("estimate-x.csv", Reports.estimateCsv(run.x()));
      dir.writeText("estimate-y.csv", Reports.estimateCsv(run.y()));
      dir.writeText("overlaps.csv", overlapsCsv(run, th, p));
      dir.writeBytes("overlaps.png", overlapsPng(run, th, p));
      dir.writeText("config.conf", cfg.render());
      dir.commit();
    }
    System.out.print(Reports.consoleSummary("denoise-gd", run.result(), out));
    return Main.OK;
  }

  /** Every denoise parameter, validated before Spark starts. */
  static Params params(JobConfig cfg) {
    int n = cfg.positiveInt("denoise.N");
    int m = cfg.positiveInt("denoise.M");
    if (n < 2) {
      throw new IllegalArgumentException("denoise.N must be >= 2, got " + n);
    }
    if (m < 2) {
      throw new IllegalArgumentException("denoise.M must be >= 2, got " + m);
    }
    double theta = cfg.positiveDouble("denoise.theta");
    double mu0 = overlap(cfg, "denoise.mu0");
    double mv0 = overlap(cfg, "denoise.mv0");
    double eta = cfg.positiveDouble("denoise.eta");
    int steps = cfg.nonNegativeInt("denoise.steps");
    double tol = cfg.nonNegativeDouble("denoise.tol");
    return new Params(n, m, theta, mu0, mv0, eta, steps, tol, cfg.longValue("seed"),
        cfg.nonNegativeInt("denoise.block-rows"), cfg.nonNegativeInt("partitions"));
  }

  /**
   * The spikes (u, v) of an input matrix from {@code denoise.truth-u} and {@code denoise.truth-v}, or null when
   * neither is set; each must have the matrix's length and unit norm.
   */
  private static double[][] spikes(JobConfig cfg, int rowsN, int columnsM, Configuration hadoop) {
    var u = cfg.optionalPath("denoise.truth-u");
    var v = cfg.optionalPath("denoise.truth-v");
    if (u.isEmpty() && v.isEmpty()) {
      return null;
    }
    if (u.isEmpty() || v.isEmpty()) {
      throw new IllegalArgumentException("denoise.truth-u and denoise.truth-v go together: give both spikes or "
          + "neither (only " + (u.isPresent() ? "truth-u" : "truth-v") + " is set)");
    }
    return new double[][] {unitSpike(u.get(), rowsN, hadoop), unitSpike(v.get(), columnsM, hadoop)};
  }

  private static double[] unitSpike(String path, int length, Configuration hadoop) {
    double[] spike = TruthFile.read(path, length, hadoop);
    double norm = Linalg.norm(spike);
    // Files written by `generate --kind spiked` hold unit vectors to the last bit; 1e-9 leaves room for rounding
    // by other writers.
    if (!(Math.abs(norm - 1) <= 1e-9)) {
      throw new IllegalArgumentException("spike file " + path + ": a spike must be a unit vector, its norm is " + norm);
    }
    return spike;
  }

  private static double overlap(JobConfig cfg, String key) {
    double v = cfg.finiteDouble(key);
    if (Math.abs(v) > 1) {
      throw new IllegalArgumentException(key + " (an initial overlap) must be in [-1, 1], got " + v);
    }
    return v;
  }

  private static Map<String, Object> theoryFields(RankOneDenoisingTheory th, Params p) {
    Map<String, Object> m = new LinkedHashMap<>();
    double[] lim = th.limit(p.mu0, p.mv0);
    m.put("c", th.c());
    m.put("theta", th.theta());
    m.put("threshold", th.threshold());
    m.put("above_threshold", th.above());
    m.put("alpha_u", th.alphaU());
    m.put("alpha_v", th.alphaV());
    m.put("critical_ratio", th.criticalRatio());
    m.put("limit_overlap_u", lim[0]);
    m.put("limit_overlap_v", lim[1]);
    m.put("limit_mu", lim[2]);
    return m;
  }

  static double[] maxDeviation(SphericalGradientDescent.Run run, RankOneDenoisingTheory th, Params p) {
    double[] dev = new double[3];
    for (int k = 0; k < run.size(); k++) {
      RankOneDenoisingTheory.Point q = th.predict(run.t()[k], p.mu0, p.mv0);
      dev[0] = Math.max(dev[0], Math.abs(run.overlapU()[k] - q.overlapU()));
      dev[1] = Math.max(dev[1], Math.abs(run.overlapV()[k] - q.overlapV()));
      dev[2] = Math.max(dev[2], Math.abs(run.mu()[k] - q.mu()));
    }
    return dev;
  }

  /** overlaps.csv: one row per step; sim columns empty without a run (or without spikes), theory without a theory. */
  static String overlapsCsv(SphericalGradientDescent.Run run, RankOneDenoisingTheory th, Params p) {
    StringBuilder sb = new StringBuilder(OVERLAPS_HEADER).append('\n');
    int rows = run != null ? run.size() : p.steps + 1;
    for (int k = 0; k < rows; k++) {
      double t = run != null ? run.t()[k] : k * p.eta;
      sb.append(Trace.cell(t));
      if (run != null) {
        sb.append(',').append(Trace.cell(run.overlapU()[k])).append(',').append(Trace.cell(run.overlapV()[k]))
            .append(',').append(Trace.cell(run.mu()[k]));
      } else {
        sb.append(",,,");
      }
      if (th != null) {
        RankOneDenoisingTheory.Point q = th.predict(t, p.mu0, p.mv0);
        sb.append(',').append(Trace.cell(q.overlapU())).append(',').append(Trace.cell(q.overlapV())).append(',')
            .append(Trace.cell(q.mu()));
      } else {
        sb.append(",,,");
      }
      sb.append('\n');
    }
    return sb.toString();
  }

  /** Simulated (markers) and predicted (lines) overlaps and μ on the same axes. */
  static byte[] overlapsPng(SphericalGradientDescent.Run run, RankOneDenoisingTheory th, Params p) {
    XYChart chart = Reports.chart(900, 560,
        String.format(Locale.ROOT, "rank-one denoising: theta=%.3g, (m_u0, m_v0)=(%.3g, %.3g), eta=%.3g",
            p.theta, p.mu0, p.mv0, p.eta), "t", "overlap / mu");
    int rows = run != null ? run.size() : p.steps + 1;
    double[] t = new double[rows];
    double[][] sim = new double[3][rows];
    double[][] thy = new double[3][rows];
    for (int k = 0; k < rows; k++) {
      t[k] = run != null ? run.t()[k] : k * p.eta;
      if (run != null) {
        sim[0][k] = run.overlapU()[k];
        sim[1][k] = run.overlapV()[k];
        sim[2][k] = run.mu()[k];
      }
      if (th != null) {
        RankOneDenoisingTheory.Point q = th.predict(t[k], p.mu0, p.mv0);
        thy[0][k] = q.overlapU();
        thy[1][k] = q.overlapV();
        thy[2][k] = q.mu();
      }
    }
    String[] names = {"u", "v", "mu"};
    for (int s = 0; s < 3; s++) {
      if (run != null && Linalg.isFinite(sim[s])) {
        XYSeries series = chart.addSeries("simulated " + names[s], t, sim[s]);
        series.setMarker(SeriesMarkers.CIRCLE);
        series.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
      }
      if (th != null) {
        chart.addSeries("theory " + names[s], t, thy[s]).setMarker(SeriesMarkers.NONE);
      }
    }
    if (chart.getSeriesMap().isEmpty()) {
      chart.addSeries("(nothing to plot)", new double[] {0}, new double[] {0});
    }
    return Reports.png(chart);
  }

  private static String thetaSweep(JavaSparkContext jsc, JobConfig cfg, Params p) {
    double from = cfg.positiveDouble("denoise.sweep-theta-from");
    double to = cfg.positiveDouble("denoise.sweep-theta-to");
    int points = cfg.positiveInt("denoise.sweep-points");
    StringBuilder sb = new StringBuilder("theta,sim_u,sim_v,theory_u,theory_v,limit_u,limit_v\n");
    double c = (double) p.n / p.m;
    for (int i = 0; i < points; i++) {
      double th = points == 1 ? from : from + (to - from) * i / (points - 1);
      SpikedMatrix inst = new SpikedMatrix(p.n, p.m, th, p.seed, p.blockRows);
      SphericalGradientDescent.Run run = solveOnSpark(jsc, inst, p, p.mu0, p.mv0, "theta sweep " + i);
      RankOneDenoisingTheory theory = RankOneDenoisingTheory.of(c, th);
      int last = run.size() - 1;
      RankOneDenoisingTheory.Point q = theory.predict(run.t()[last], p.mu0, p.mv0);
      double[] lim = theory.limit(p.mu0, p.mv0);
      sb.append(String.format(Locale.ROOT, "%s,%s,%s,%s,%s,%s,%s%n", th, run.overlapU()[last], run.overlapV()[last],
          q.overlapU(), q.overlapV(), lim[0], lim[1]));
    }
    return sb.toString();
  }

  private static String ratioSweep(JavaSparkContext jsc, JobConfig cfg, Params p) {
    double from = cfg.finiteDouble("denoise.sweep-ratio-from");
    double to = cfg.finiteDouble("denoise.sweep-ratio-to");
    int points = cfg.positiveInt("denoise.sweep-points");
    if (p.mv0 == 0) {
      throw new IllegalArgumentException("denoise.mv0 must be non-zero for sweep = ratio (m_u0 = ratio * m_v0)");
    }
    SpikedMatrix inst = new SpikedMatrix(p.n, p.m, p.theta, p.seed, p.blockRows);
    RankOneDenoisingTheory theory = RankOneDenoisingTheory.of((double) p.n / p.m, p.theta);
    StringBuilder sb = new StringBuilder("ratio,mu0,mv0,sim_u,sim_v,sim_sign,theory_u,theory_v,theory_sign\n");
    try (SparkEngine engine = SparkEngine.generated(jsc, inst, p.partitions, "denoise ratio sweep",
        StorageLevel.MEMORY_ONLY())) {
      DenoisingProblem problem = new DenoisingProblem(engine, 1, inst.u(), inst.v());
      SphericalGradientDescent gd =
          new SphericalGradientDescent(new SphericalGradientDescent.Options(p.eta, p.steps, p.tol));
      for (int i = 0; i < points; i++) {
        double r = points == 1 ? from : from + (to - from) * i / (points - 1);
        double mu0 = r * p.mv0;
        if (Math.abs(mu0) > 1) {
          throw new IllegalArgumentException("sweep ratio " + r + " gives m_u0 = " + mu0 + " outside [-1, 1]: narrow "
              + "denoise.sweep-ratio-from/to or lower denoise.mv0");
        }
        SphericalGradientDescent.Run run = gd.solve(problem, inst.initialX(mu0), inst.initialY(p.mv0));
        int last = run.size() - 1;
        RankOneDenoisingTheory.Point q = theory.predict(run.t()[last], mu0, p.mv0);
        sb.append(String.format(Locale.ROOT, "%s,%s,%s,%s,%s,%s,%s,%s,%s%n", r, mu0, p.mv0, run.overlapU()[last],
            run.overlapV()[last], Math.signum(run.overlapU()[last]), q.overlapU(), q.overlapV(),
            Math.signum(theory.limit(mu0, p.mv0)[0])));
      }
    }
    return sb.toString();
  }

  private static SphericalGradientDescent.Run solveOnSpark(JavaSparkContext jsc, SpikedMatrix inst, Params p,
      double mu0, double mv0, String label) {
    try (SparkEngine engine = SparkEngine.generated(jsc, inst, p.partitions, "denoise " + label,
        StorageLevel.MEMORY_ONLY())) {
      return new SphericalGradientDescent(new SphericalGradientDescent.Options(p.eta, p.steps, p.tol))
          .solve(new DenoisingProblem(engine, 1, inst.u(), inst.v()), inst.initialX(mu0), inst.initialY(mv0));
    }
  }

  /** A plot of the named columns of a sweep CSV against its first column. */
  static byte[] sweepPng(String csv, String xName, String yTitle, String title, String[] columns) {
    String[] lines = csv.split("\n");
    List<String> header = List.of(lines[0].split(","));
    int rows = lines.length - 1;
    double[][] values = new double[header.size()][rows];
    for (int r = 0; r < rows; r++) {
      String[] cells = lines[r + 1].split(",");
      for (int j = 0; j < cells.length; j++) {
        values[j][r] = cells[j].isEmpty() ? Double.NaN : Double.parseDouble(cells[j]);
      }
    }
    XYChart chart = Reports.chart(900, 560, title, xName, yTitle);
    for (String col : columns) {
      int j = header.indexOf(col);
      XYSeries s = chart.addSeries(col, values[0], values[j]);
      if (col.startsWith("sim")) {
        s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        s.setMarker(SeriesMarkers.CIRCLE);
      } else {
        s.setMarker(SeriesMarkers.NONE);
      }
    }
    return Reports.png(chart);
  }


}
