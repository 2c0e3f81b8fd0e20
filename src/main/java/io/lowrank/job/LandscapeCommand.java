package io.lowrank.job;

import io.lowrank.io.OutputDir;
import io.lowrank.io.OutputLock;
import io.lowrank.report.LandscapeReports;
import io.lowrank.report.Reports;
import io.lowrank.run.Input;
import io.lowrank.run.LandscapeRun;
import io.lowrank.run.LandscapeSettings;
import io.lowrank.run.Progress;
import io.lowrank.run.Truth;
import io.lowrank.solve.landscape.LandscapeProbe;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code lowrank landscape}: probes of the loss landscape at the true solution padded to the search rank k,
 * W* = [W_r*, 0], of a generated symmetric Gaussian instance with outliers, or of a user's operator file with its
 * truth ({@code --input FILE --truth X_FILE}), on Spark: the corrupted measurements (from the residuals at the truth), dist(0, ∂f(W*)) (ℓ1) or ‖∇f(W*)‖, the saddle test min h(Z), the verdict (strict
 * saddle / local minimum / not critical) and the curve f(W* + γ[0, Z]) − f(W*). Writes summary.json, curve.csv,
 * curve.png, minimiser.csv and config.conf atomically. With {@code --diagram} it runs the phase diagram over
 * landscape.diagram's (p, m, k) grid in-process and writes summary.json, diagram.csv, diagram.png (one per p when the
 * grid has several) and config.conf.
 */
@Command(name = "landscape",
    description = "Landscape probes at the padded truth: strict saddle, local minimum or not critical; phase diagram.",
    footer = {"", "Thresholds, the saddle test's budget and the gamma grid are keys of the landscape section of",
        "reference.conf (--set landscape.KEY=VALUE). See the landscape section of README.md."})
public final class LandscapeCommand implements Callable<Integer> {
  static final String NAME = "landscape";
  static final String DEFAULT_OUT = "lowrank-out/" + NAME;

  @Mixin
  CommonOptions common;

  @Option(names = "--shape", paramLabel = "DxD",
      description = "--input: the shape of the A_i (landscape.shape; default: d x d with D = d^2 from the header).")
  String shape;

  @Option(names = "--d", paramLabel = "N", description = "Dimension d of M* (landscape.d, default 20).")
  Integer d;

  @Option(names = "--rstar", paramLabel = "N", description = "True rank r* (landscape.rstar, default 2).")
  Integer rstar;

  @Option(names = "--k", paramLabel = "N", description = "Search rank k, r* <= k <= d (landscape.k, default 10).")
  Integer k;

  @Option(names = "--n", paramLabel = "N", description = "Measurements m (landscape.m, default 80).")
  Long m;

  @Option(names = "--m", hidden = true)
  Long oldM;

  @Option(names = "--kappa", paramLabel = "X", description = "Condition number of M* (landscape.kappa, default 1).")
  Double kappa;

  @Option(names = "--operator", paramLabel = "gaussian|generated", description = "Stored or on-the-fly Gaussian A_i.")
  String operator;

  @Option(names = "--outliers", paramLabel = "P", description = "Corrupted fraction, 0 <= p < 0.5 (default 0.2).")
  Double outliers;

  @Option(names = "--outlier-kind", paramLabel = "gaussian|uniform|positive", description = "Outlier law (default uniform).")
  String outlierKind;

  @Option(names = "--outlier-scale", paramLabel = "S", description = "Outlier scale s (default 10).")
  Double outlierScale;

  @Option(names = "--loss", paramLabel = "l1|l2|lq|huber", description = "Loss (default l1; the saddle test is l1's).")
  String loss;

  @Option(names = "--q", paramLabel = "X", description = "Exponent of the lq loss, 1 < q <= 2 (default 1.5).")
  Double q;

  @Option(names = "--huber-delta", paramLabel = "X", description = "Huber threshold (default 0.1).")
  Double huberDelta;

  @Option(names = "--starts", paramLabel = "N", description = "Random starts of the saddle test (default 4).")
  Integer starts;

  @Option(names = "--max-passes", paramLabel = "N", description = "Passes per start of the saddle test (default 500).")
  Integer maxPasses;

  @Option(names = "--diagram", description = "The phase diagram over the (p, m, k) grid, in-process.")
  boolean diagram;

  @Option(names = "--n-grid", paramLabel = "M1,M2,..", description = "Diagram: measurement counts (default 80,160,320,640).")
  String mGrid;

  @Option(names = "--k-grid", paramLabel = "K1,K2,..", description = "Diagram: search ranks (default 3,4,6,10,20).")
  String kGrid;

  @Option(names = "--seeds", paramLabel = "N", description = "Diagram: instances per cell, seeds seed.. (default 1).")
  Integer seeds;

  @Option(names = "--outliers-grid", paramLabel = "P1,P2,..",
      description = "Diagram: corrupted fractions (default: --outliers alone).")
  String outliersGrid;

  @Override
  public Integer call() throws Exception {
    Renamed.refuse(oldM, "--m", "--n (the number of measurements m)");
    JobConfig cfg = common.load(NAME, flags());
    LandscapeSettings s = LandscapeSettings.of(cfg);
    String out = cfg.optionalPath("out").orElse(DEFAULT_OUT);
    var input = cfg.optionalPath("input");
    var truth = cfg.truthOfInput();
    if (input.isPresent() && truth.isEmpty()) {
      throw new IllegalArgumentException("the landscape probes of an operator file need its truth: --truth X_FILE (d "
          + "lines of r* comma-separated values, X* with M* = X* X*^T)");
    }
    if (input.isEmpty() && cfg.optionalPath("truth").isPresent() && common.truth != null) {
      throw new IllegalArgumentException("--truth is the truth of an --input operator file; a generated instance has "
          + "its own");
    }
    if (s.diagram()) {
      LandscapeRun.Diagram dg;
      try (Progress progress = common.progress()) {
        dg = LandscapeRun.diagram(s, Runtime.getRuntime().availableProcessors(), progress);
      }
      try (OutputLock lock = OutputLock.acquire(out, new Configuration()); OutputDir dir = OutputDir.open(lock)) {
        dir.writeText("summary.json", Reports.summaryJson(dg.summary()));
        dir.writeText("diagram.csv", LandscapeReports.diagramCsv(dg.cells()));
        TreeSet<Double> ps = new TreeSet<>(dg.cells().stream().map(LandscapeRun.Cell::p).toList());
        for (double p : ps) {
          String title = (s.diagramSeeds() > 1 ? "most frequent verdict of " + s.diagramSeeds() + " instances"
              : "verdict (min h normalised)") + " at the padded truth: d = " + s.d() + ", r* = " + s.rstar() + ", p = "
              + p + " " + s.outlierModel().kind().id();
          dir.writeBytes(ps.size() == 1 ? "diagram.png" : "diagram-p" + p + ".png",
              LandscapeReports.diagramPng(dg.cells(), p, title));
        }
        dir.writeText("config.conf", cfg.render());
        dir.commit();
      }
      System.out.print(LandscapeReports.consoleDiagram(dg.cells(), out));
      return Main.OK;
    }
    try (Progress progress = common.progress()) {
      progress.phase("starting Spark");
      SparkSession spark = SparkSessions.create(cfg.explicitMaster(), "lowrank " + NAME);
      try (OutputLock lock = OutputLock.acquire(out, spark.sparkContext().hadoopConfiguration())) {
        LandscapeRun.Outcome o = input.isEmpty() ? LandscapeRun.run(spark, s, progress)
            : LandscapeRun.run(spark, Input.path(input.get(), cfg.oneOf("format", "auto", "csv", "parquet")),
                Truth.file(truth.get()), s, progress);
        progress.phase("writing the outputs");
        write(o, cfg, out, lock);
      }
    }
    return Main.OK;
  }

  /** A probe's outputs, committed to {@code out} at once. */
  private static void write(LandscapeRun.Outcome o, JobConfig cfg, String out, OutputLock lock)
      throws java.io.IOException {
    LandscapeProbe.Report r = o.report();
    try (OutputDir dir = OutputDir.open(lock)) {
      dir.writeText("summary.json", Reports.summaryJson(o.summary()));
      if (r.curve() != null) {
        dir.writeText("curve.csv", LandscapeReports.curveCsv(r.curve()));
        dir.writeBytes("curve.png", LandscapeReports.curvePng(r));
        dir.writeText("minimiser.csv", Reports.matrixCsv(r.saddle().z(), r.setup().operator().rows(),
            r.saddle().c()));
      }
      dir.writeText("config.conf", cfg.render());
      dir.commit();
    }
    System.out.print(LandscapeReports.console(o.summary(), out));
  }

  /** The config flags of the landscape section. */
  Map<String, Object> flags() {
    Map<String, Object> f = new java.util.LinkedHashMap<>();
    JobConfig.flag(f, "landscape.shape", shape);
    JobConfig.flag(f, "landscape.d", d);
    JobConfig.flag(f, "landscape.rstar", rstar);
    JobConfig.flag(f, "landscape.k", k);
    JobConfig.flag(f, "landscape.m", m);
    JobConfig.flag(f, "landscape.kappa", kappa);
    JobConfig.flag(f, "landscape.operator", operator);
    JobConfig.flag(f, "landscape.outliers", outliers);
    JobConfig.flag(f, "landscape.outlier-kind", outlierKind);
    JobConfig.flag(f, "landscape.outlier-scale", outlierScale);
    JobConfig.flag(f, "landscape.loss", loss);
    JobConfig.flag(f, "landscape.q", q);
    JobConfig.flag(f, "landscape.huber-delta", huberDelta);
    JobConfig.flag(f, "landscape.starts", starts);
    JobConfig.flag(f, "landscape.max-passes", maxPasses);
    JobConfig.flag(f, "landscape.diagram.seeds", seeds);
    JobConfig.flag(f, "landscape.diagram.m-grid", list("--n-grid", mGrid, true));
    JobConfig.flag(f, "landscape.diagram.k-grid", list("--k-grid", kGrid, true));
    JobConfig.flag(f, "landscape.diagram.outliers-grid", list("--outliers-grid", outliersGrid, false));
    if (diagram) {
      f.put("landscape.diagram.enabled", true);
    }
    return f;
  }

  /** A comma-separated list of numbers (integers when {@code integers}) or null when the flag is absent. */
  private static List<? extends Number> list(String flag, String text, boolean integers) {
    if (text == null) {
      return null;
    }
    try {
      var items = java.util.Arrays.stream(text.split(",")).map(String::trim);
      return integers ? items.map(Long::parseLong).toList() : items.map(Double::parseDouble).toList();
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(flag + " must be comma-separated " + (integers ? "integers" : "numbers")
          + ", got '" + text + "'");
    }
  }
}
