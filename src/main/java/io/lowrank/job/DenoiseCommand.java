package io.lowrank.job;

import io.lowrank.experiment.DenoisingSweeps;
import io.lowrank.io.OutputDir;
import io.lowrank.io.OutputLock;
import io.lowrank.report.DenoisingReports;
import io.lowrank.report.HtmlEnvironment;
import io.lowrank.report.HtmlRunReport;
import io.lowrank.report.Reports;
import io.lowrank.report.RunOutputs;
import io.lowrank.report.TruthDistance;
import io.lowrank.run.DenoisingRun;
import io.lowrank.run.DenoisingSettings;
import io.lowrank.run.Input;
import io.lowrank.run.Progress;
import io.lowrank.run.Truth;
import io.lowrank.theory.RankOneDenoisingTheory;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code lowrank denoise}: gradient descent on the spheres for rank-one matrix denoising on Spark, against its
 * random-matrix-theory trajectory. Writes summary.json, trace.csv, estimate-x.csv, estimate-y.csv, overlaps.csv
 * ({@code t,sim_u,sim_v,sim_mu,theory_u,theory_v,theory_mu}), overlaps.png and config.conf atomically; with
 * {@code --theory-only} only the prediction (no Spark); with {@code --sweep} the sweep CSVs and plots, the sweeps
 * run on the sweep engine ({@link DenoisingSweeps}), resumable into the same {@code --out}.
 */
@Command(name = "denoise", description = "Rank-one matrix denoising: gradient descent vs its random-matrix theory.")
public final class DenoiseCommand implements Callable<Integer> {
  static final String NAME = "denoise";
  static final String DEFAULT_OUT = "lowrank-out/" + NAME;

  @Mixin
  CommonOptions common;

  @Option(names = "--n", paramLabel = "N", description = "Rows N of the generated matrix (denoise.N, default 2000).")
  Integer n;

  @Option(names = "--d", paramLabel = "M", description = "Columns M of the generated matrix (denoise.M, default 4000).")
  Integer m;

  @Option(names = "--theta", paramLabel = "X", description = "Signal strength θ > 0 (denoise.theta, default 1.5).")
  Double theta;

  @Option(names = "--mu0", paramLabel = "X", description = "Initial overlap <x0,u> in [-1,1] (denoise.mu0).")
  Double mu0;

  @Option(names = "--mv0", paramLabel = "X", description = "Initial overlap <y0,v> in [-1,1] (denoise.mv0).")
  Double mv0;

  @Option(names = "--eta", paramLabel = "X", description = "Step η > 0 (denoise.eta, default 0.05).")
  Double eta;

  @Option(names = "--max-iter", paramLabel = "K", description = "Steps; final time K·η (denoise.steps, default 80).")
  Integer steps;

  @Option(names = "--N", hidden = true)
  Integer oldN;

  @Option(names = "--M", hidden = true)
  Integer oldM;

  @Option(names = "--steps", hidden = true)
  Integer oldSteps;

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

  @Override
  public Integer call() throws Exception {
    Renamed.refuse(oldN, "--N", "--n (rows N)");
    Renamed.refuse(oldM, "--M", "--d (columns M)");
    Renamed.refuse(oldSteps, "--steps", "--max-iter");
    if (common.truth != null) {
      throw new IllegalArgumentException("--truth does not apply to denoise: the spikes of an --input matrix are "
          + "--truth-u and --truth-v");
    }
    JobConfig cfg = common.load(NAME, flags());
    String out = cfg.optionalPath("out").orElse(DEFAULT_OUT);
    DenoisingSettings s = DenoisingSettings.of(cfg);
    String sweepMode = cfg.oneOf("denoise.sweep", "none", "theta", "ratio", "both");
    boolean onlyTheory = cfg.bool("denoise.theory-only");
    var path = cfg.optionalPath("input");
    if (path.isPresent() && (onlyTheory || !sweepMode.equals("none"))) {
      throw new IllegalArgumentException((onlyTheory ? "denoise.theory-only" : "denoise.sweep = " + sweepMode)
          + " runs on generated matrices only; drop --input (or the " + (onlyTheory ? "theory-only" : "sweep") + ")");
    }
    Truth u = cfg.optionalPath("denoise.truth-u").map(Truth::file).orElse(Truth.none());
    Truth v = cfg.optionalPath("denoise.truth-v").map(Truth::file).orElse(Truth.none());
    if (path.isEmpty() && !(u instanceof Truth.None && v instanceof Truth.None)) {
      throw new IllegalArgumentException("denoise.truth-u/truth-v are the spikes of an --input matrix; a generated "
          + "matrix has its own: give --input or drop them");
    }
    if (onlyTheory) {
      try (OutputLock lock = OutputLock.acquire(out, new Configuration())) {
        return theoryOnly(cfg, s, lock, out);
      }
    }
    // Every sweep point built and checked before Spark starts.
    List<DenoisingSweeps.Plan> plans = sweepMode.equals("none") ? List.of() : DenoisingSweeps.plans(cfg, sweepMode);
    // The sweeps stay silent here (many solves; the sweep engine reports on cells).
    try (Progress progress = sweepMode.equals("none") ? common.progress() : Progress.quiet()) {
      progress.phase("starting Spark");
      SparkSession spark = SparkSessions.create(cfg.explicitMaster(), "lowrank " + NAME);
      try (OutputLock lock = OutputLock.acquire(out, spark.sparkContext().hadoopConfiguration())) {
        if (!sweepMode.equals("none")) {
          return sweep(spark, cfg, s, sweepMode, plans, lock, out);
        }
        DenoisingRun.Outcome o = path.isPresent()
            ? DenoisingRun.run(spark, Input.path(path.get(), cfg.oneOf("format", "auto", "csv", "parquet")), u, v, s,
                progress)
            : DenoisingRun.run(spark, s, progress);
        progress.phase("writing the outputs");
        RunOutputs.of(o.result(), "denoise-gd (" + NAME + ")", TruthDistance.NONE, cfg.render(), "estimate-x.csv")
            .without("convergence.png")
            .text("estimate-y.csv", Reports.estimateCsv(o.path().y()))
            .text("overlaps.csv", DenoisingReports.overlapsCsv(o.path(), o.theory(), s))
            .bytes("overlaps.png", DenoisingReports.overlapsPng(o.path(), o.theory(), s))
            .commit(lock);
        System.out.print(Reports.consoleSummary(o.result(), out));
      }
    }
    return Main.OK;
  }

  private static int theoryOnly(JobConfig cfg, DenoisingSettings s, OutputLock lock, String out)
      throws Exception {
    double ratio = cfg.positiveDouble("denoise.c");
    RankOneDenoisingTheory th = RankOneDenoisingTheory.of(ratio, s.theta());
    Map<String, Object> summary = new LinkedHashMap<>();
    summary.put("solver", "denoise-gd");
    summary.putAll(DenoisingRun.theoryFields(th, s.mu0(), s.mv0()));
    try (OutputDir dir = OutputDir.open(lock)) {
      dir.writeText("summary.json", Reports.summaryJson(summary));
      dir.writeText("overlaps.csv", DenoisingReports.overlapsCsv(null, th, s));
      byte[] png = DenoisingReports.overlapsPng(null, th, s);
      dir.writeBytes("overlaps.png", png);
      dir.writeText("config.conf", cfg.render());
      dir.writeText(HtmlRunReport.FILE, HtmlRunReport.render("denoise (theory only)", summary, null,
          Map.of("overlaps.png", png, "config.conf", cfg.render().getBytes(StandardCharsets.UTF_8)),
          HtmlEnvironment.current(null)));
      dir.commit();
    }
    double[] limit = th.limit(s.mu0(), s.mv0());
    System.out.printf(Locale.ROOT, "denoise (theory only): c = %.4g, theta = %.4g, limit overlaps (%.4f, %.4f)%n"
        + "  outputs in %s%n", ratio, s.theta(), limit[0], limit[1], out);
    return Main.OK;
  }

  /**
   * The sweeps on the sweep engine, each resumable in its subdirectory of {@code out}; then the tables and plots of
   * this command, summary.json, config.conf and report.html beside them. Exit 3 when a point's run failed (its
   * table cells stay empty; see the sweep's results.csv).
   */
  private static int sweep(SparkSession spark, JobConfig cfg, DenoisingSettings s, String mode,
      List<DenoisingSweeps.Plan> plans, OutputLock lock, String out) throws Exception {
    List<DenoisingSweeps.Result> results = DenoisingSweeps.run(spark, plans, lock, System.err,
        System.console() != null);
    long failures = 0;
    try (OutputDir dir = OutputDir.open(lock)) {
      Map<String, byte[]> plots = new LinkedHashMap<>();
      for (DenoisingSweeps.Result r : results) {
        String name = "sweep-" + r.plan().name();
        dir.writeText(name + ".csv", r.csv());
        plots.put(name + ".png", r.plan().name().equals("theta") ? DenoisingReports.thetaSweepPng(r.csv(), s)
            : DenoisingReports.ratioSweepPng(r.csv(), s));
        dir.writeBytes(name + ".png", plots.get(name + ".png"));
        failures += r.outcome().failures();
      }
      Map<String, Object> summary = new LinkedHashMap<>();
      summary.put("solver", "denoise-gd");
      summary.put("sweep", mode);
      summary.put("N", s.n());
      summary.put("M", s.m());
      summary.put("master", spark.sparkContext().master());
      dir.writeText("summary.json", Reports.summaryJson(summary));
      dir.writeText("config.conf", cfg.render());
      plots.put("config.conf", cfg.render().getBytes(StandardCharsets.UTF_8));
      dir.writeText(HtmlRunReport.FILE, HtmlRunReport.render("denoise sweep (" + mode + ")", summary, null, plots,
          HtmlEnvironment.current(spark.sparkContext().master())));
      dir.commit();
    }
    for (DenoisingSweeps.Result r : results) {
      String dir = new Path(out, r.plan().name()).toString();
      System.out.print(SweepCommand.summary(r.plan().spec(), r.outcome(), dir));
    }
    System.out.printf("denoise sweep (%s): outputs in %s%n", mode, out);
    return failures > 0 ? SweepCommand.FAILED_TRIALS : Main.OK;
  }

  private Map<String, Object> flags() {
    Map<String, Object> flags = new LinkedHashMap<>();
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
    return flags;
  }
}
