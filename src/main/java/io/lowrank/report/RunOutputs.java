package io.lowrank.report;

import io.lowrank.io.OutputDir;
import io.lowrank.io.OutputLock;
import io.lowrank.run.RunResult;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The files of a single run, committed atomically to one directory: summary.json, trace.csv, the estimate (x as one
 * value per line, a factor X as one row of X per line), convergence.png, config.conf (the resolved configuration,
 * which reproduces the run), whatever a family adds, and report.html ({@link HtmlRunReport}: all of them on one
 * self-contained page, made at {@link #commit} from the files as they are then).
 */
public final class RunOutputs {
  private final Map<String, byte[]> files = new LinkedHashMap<>();
  private RunResult run;
  private String title;

  private RunOutputs() {}

  /**
   * The standard files of {@code run}.
   *
   * @param plotTitle title of convergence.png (the problem's sizes and the outcome are appended)
   * @param distance what the distance column of the run's trace measures in its family
   * @param config the resolved configuration text (config.conf)
   * @param estimateFile file name of the estimate (estimate.csv; denoising writes estimate-x.csv)
   */
  public static RunOutputs of(RunResult run, String plotTitle, TruthDistance distance, String config,
      String estimateFile) {
    RunOutputs o = new RunOutputs();
    o.run = run;
    o.title = plotTitle(plotTitle, run);
    o.text("summary.json", Reports.summaryJson(new LinkedHashMap<>(run.summary())));
    o.text("trace.csv", run.trace().toCsv());
    o.text(estimateFile, run.columns() == 1 ? Reports.estimateCsv(run.estimate())
        : Reports.matrixCsv(run.estimate(), run.rows(), run.columns()));
    o.files.put("convergence.png", Reports.convergencePng(run.trace(), plotTitle(plotTitle, run), distance));
    o.text("config.conf", config);
    return o;
  }

  // The sizes the summary states (a family has some of them) and the outcome, so that a plot alone says what ran.
  private static final List<Map.Entry<String, String>> SIZES = List.of(Map.entry("n", "n"), Map.entry("m", "m"),
      Map.entry("d", "d"), Map.entry("rstar", "r*"), Map.entry("r", "r"),
      Map.entry("kappa", Charts.text("κ", "kappa")));

  static String plotTitle(String title, RunResult run) {
    StringBuilder sb = new StringBuilder(title == null ? "" : title).append(':');
    String sep = " ";
    for (Map.Entry<String, String> e : SIZES) {
      if (run.summary().get(e.getKey()) instanceof Number v) {
        sb.append(sep).append(e.getValue()).append(" = ").append(number(v));
        sep = ", ";
      }
    }
    sb.append(sep.equals(" ") ? " " : "; ").append(run.status()).append(" after ").append(run.iterations())
        .append(run.iterations() == 1 ? " iteration" : " iterations");
    return sb.toString();
  }

  private static String number(Number v) {
    double x = v.doubleValue();
    return Double.isFinite(x) ? new java.math.BigDecimal(x).round(new java.math.MathContext(4)).stripTrailingZeros()
        .toPlainString() : String.valueOf(x);
  }

  /** Adds (or replaces) a text file. */
  public RunOutputs text(String name, String content) {
    files.put(name, content.getBytes(StandardCharsets.UTF_8));
    return this;
  }

  /** Adds (or replaces) a binary file (a PNG). */
  public RunOutputs bytes(String name, byte[] content) {
    files.put(name, content);
    return this;
  }

  /** Leaves a standard file out. */
  public RunOutputs without(String name) {
    files.remove(name);
    return this;
  }

  /**
   * Writes every file to the directory {@code lock} holds and commits them together (a failure leaves the previous
   * outputs).
   */
  public void commit(OutputLock lock) throws IOException {
    if (run != null) {
      Object master = run.summary().get("master");
      files.put(HtmlRunReport.FILE, HtmlRunReport.render(title, run.summary(), run.trace(), files,
          HtmlEnvironment.current(master == null ? null : master.toString())).getBytes(StandardCharsets.UTF_8));
    }
    try (OutputDir dir = OutputDir.open(lock)) {
      for (Map.Entry<String, byte[]> f : files.entrySet()) {
        dir.writeBytes(f.getKey(), f.getValue());
      }
      dir.commit();
    }
  }
}
