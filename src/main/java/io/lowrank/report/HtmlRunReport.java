package io.lowrank.report;

import io.lowrank.solve.Trace;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * report.html of a single run, written beside its summary.json: the outcome and warnings, every plot of the run
 * inline (convergence.png, and denoising's overlaps.png with the Marchenko-Pastur trajectories), the summary with
 * its phases, the trace, the settings (config.conf) and the environment. Built from the run's output files, so
 * whatever a family adds to them shows up here; {@link RunOutputs} writes it with the other files in one commit.
 */
public final class HtmlRunReport {
  /** The file name beside summary.json. */
  public static final String FILE = "report.html";

  /** Rows of the trace shown in full; a longer trace shows its first and last {@value} / 2. */
  static final int TRACE_ROWS = 400;

  // What each plot a run writes shows, for its heading.
  private static final Map<String, String> PLOT_TITLES = Map.of(
      "convergence.png", "Convergence",
      "overlaps.png", "Overlaps and μ: simulation against the Marchenko-Pastur theory",
      "sweep-theta.png", "Sweep over θ",
      "sweep-ratio.png", "Sweep over the start's overlap ratio");

  private HtmlRunReport() {}

  /**
   * The page.
   *
   * @param title what ran (e.g. "smoothing-newton (phase-retrieval): n = 4000, d = 50; CONVERGED after 7 iterations")
   * @param summary the summary.json fields, in order (nested maps such as phases are flattened)
   * @param trace the solver's trace, or null (theory only, sweeps)
   * @param files the run's other output files by name: PNGs are shown in this order, config.conf as the settings,
   *     the rest listed with their sizes
   * @param environment where it ran
   */
  public static String render(String title, Map<String, ?> summary, Trace trace, Map<String, byte[]> files,
      HtmlEnvironment environment) {
    HtmlPage page = new HtmlPage(title);
    page.paragraph(outcome(summary));
    if (summary.get("warnings") instanceof List<?> warnings) {
      for (Object w : warnings) {
        page.warning("warning: " + w);
      }
    }
    for (Map.Entry<String, byte[]> f : files.entrySet()) {
      if (f.getKey().endsWith(".png")) {
        page.heading(2, PLOT_TITLES.getOrDefault(f.getKey(), f.getKey())).image(f.getKey(), f.getValue());
      }
    }
    Map<String, Object> fields = new LinkedHashMap<>(summary);
    fields.remove("warnings");
    page.heading(2, "Summary").keyValues(fields);
    if (trace != null && trace.size() > 0) {
      page.heading(2, "Trace (" + trace.size() + " rows, row 0 = the start)");
      traceTable(page, trace);
    }
    byte[] config = files.get("config.conf");
    if (config != null) {
      page.heading(2, "Settings (config.conf: rerun with --conf config.conf)")
          .pre(new String(config, StandardCharsets.UTF_8));
    }
    page.heading(2, "Environment").keyValues(environment.fields());
    List<List<?>> listed = new ArrayList<>();
    for (Map.Entry<String, byte[]> f : files.entrySet()) {
      listed.add(List.of(f.getKey(), f.getValue().length));
    }
    if (!listed.isEmpty()) {
      page.heading(2, "Files beside this report").table(List.of("file", "bytes"), listed);
    }
    return page.render();
  }

  /** status, iterations, seconds and the final distance, as one sentence from the summary's fields. */
  private static String outcome(Map<String, ?> s) {
    List<String> parts = new ArrayList<>();
    for (String k : List.of("solver", "status", "iterations", "passes", "seconds", "distance_to_truth",
        "relative_error", "final_loss", "input", "master")) {
      Object v = s.get(k);
      if (v != null && !(v instanceof Double d && !Double.isFinite(d))) {
        parts.add(k.replace('_', ' ') + " " + (v instanceof Number n ? HtmlPage.number(n) : v));
      }
    }
    return String.join(" · ", parts);
  }

  private static void traceTable(HtmlPage page, Trace trace) {
    List<Trace.Record> records = trace.records();
    List<List<?>> rows = new ArrayList<>();
    int n = records.size();
    for (int k = 0; k < n; k++) {
      if (n > TRACE_ROWS && k == TRACE_ROWS / 2) {
        rows.add(List.of("… " + (n - TRACE_ROWS) + " rows (all in trace.csv)"));
        k = n - TRACE_ROWS / 2;
      }
      Trace.Record r = records.get(k);
      rows.add(Arrays.asList(r.iteration(), r.loss(), r.gradientNorm(), r.mu(), r.stepNorm(), r.distance(),
          r.passes(), r.wallMs()));
    }
    page.table(Arrays.asList(Trace.CSV_HEADER.split(",")), rows);
  }
}
