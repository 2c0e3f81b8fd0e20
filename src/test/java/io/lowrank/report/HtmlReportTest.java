package io.lowrank.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lowrank.run.DenoisingSettings;
import io.lowrank.solve.Result;
import io.lowrank.solve.Status;
import io.lowrank.solve.Trace;
import io.lowrank.theory.RankOneDenoisingTheory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The HTML reports' content, read back from the text: images inline and byte-identical, tables with the summary's
 * values, heat-map rates and quartiles against counts made here by hand. {@link HtmlReportBrowserTest} renders the
 * same pages in Chromium.
 */
class HtmlReportTest {
  static final Pattern IMAGE = Pattern.compile("src=\"data:image/png;base64,([A-Za-z0-9+/=]+)\"");

  /** A trace of a solver that converges linearly: loss 2^-2t, distance 2^-t. */
  static Trace trace(int iterations) {
    Trace t = new Trace();
    for (int k = 0; k <= iterations; k++) {
      t.add(new Trace.Record(k, Math.pow(2, -2 * k), Math.pow(2, -k), k == 0 ? Double.NaN : 1e-3, 0.5,
          Math.pow(2, -k), 1, 40 + k));
    }
    return t;
  }

  /** The single-run page of a synthetic phase-retrieval run with a convergence plot and denoising's overlaps. */
  static String runPage() {
    Trace trace = trace(12);
    Map<String, Object> summary = new LinkedHashMap<>();
    summary.put("solver", "smoothing-newton");
    summary.put("status", "CONVERGED");
    summary.put("iterations", 12);
    summary.put("distance_to_truth", trace.last().distance());
    summary.put("master", "local[2]");
    summary.put("phases", Map.of("load", Map.of("seconds", 1.5)));
    summary.put("warnings", List.of("only 1 of 2 partitions <cached>"));
    Map<String, byte[]> files = new LinkedHashMap<>();
    files.put("convergence.png", Reports.convergencePng(trace, "smoothing-newton: n = 400, d = 20",
        TruthDistance.PHASE_RETRIEVAL));
    files.put("overlaps.png", DenoisingReports.overlapsPng(null, RankOneDenoisingTheory.of(0.5, 1.5),
        DenoisingSettings.defaults()));
    files.put("config.conf", "phase-retrieval { solver = smoothing-newton }\n".getBytes(StandardCharsets.UTF_8));
    return HtmlRunReport.render("smoothing-newton (phase-retrieval)", summary, trace, files,
        HtmlEnvironment.current("local[2]"));
  }

  /**
   * A synthetic sweep: ratio ∈ {3, 4, 6} × tol ∈ {1e-8, 1e-4}, solvers bwgd and sn, 4 trials per cell; trial k of a
   * cell succeeds when k < successes(ratio, solver), iterations = 10·ratio + k, seconds = k / 10.
   */
  static HtmlResultsTable sweepTable() {
    StringBuilder csv = new StringBuilder("solver,ratio,tol,trial,success,iterations,seconds,note\n");
    for (String solver : List.of("bwgd", "sn")) {
      for (String ratio : List.of("6", "3", "4")) { // out of order: the report sorts numeric keys
        for (String tol : List.of("1e-8", "1e-4")) {
          for (int k = 0; k < 4; k++) {
            boolean ok = k < successes(Integer.parseInt(ratio), solver);
            csv.append(solver).append(',').append(ratio).append(',').append(tol).append(',').append(k).append(',')
                .append(ok).append(',').append(10 * Integer.parseInt(ratio) + k).append(',').append(k / 10.0)
                .append(",\"a, \"\"quoted\"\" note\"\n");
          }
        }
      }
    }
    return HtmlResultsTable.fromCsv(csv.toString());
  }

  static int successes(int ratio, String solver) {
    return Math.min(4, ratio - 3 + (solver.equals("sn") ? 1 : 0));
  }

  static String sweepPage() {
    return HtmlSweepReport.render(new HtmlSweepReport.Input("phase transition (synthetic)",
        "grid { ratio = [3, 4, 6], tol = [1e-8, 1e-4] }\ntrials = 4\n", sweepTable(), List.of("ratio", "tol"),
        HtmlEnvironment.current("local[2]"),
        Map.of("bwgd: convergence of one trial", Reports.convergencePng(trace(8), "bwgd", TruthDistance.PHASE_RETRIEVAL))));
  }

  @Test
  void aRunPageHoldsItsPlotsByteForByteItsSummaryTraceSettingsAndEnvironment() {
    String html = runPage();
    List<byte[]> images = new ArrayList<>();
    Matcher m = IMAGE.matcher(html);
    while (m.find()) {
      images.add(Base64.getDecoder().decode(m.group(1)));
    }
    assertEquals(2, images.size());
    assertArrayEquals(Reports.convergencePng(trace(12), "smoothing-newton: n = 400, d = 20",
        TruthDistance.PHASE_RETRIEVAL), images.get(0));
    assertFalse(html.contains("src=\"http") || html.contains("href=\"http") || html.contains("<link"),
        "self-contained: nothing loaded from elsewhere");
    assertTrue(html.contains("<th>phases.load.seconds</th><td class=\"num\">1.5</td>"), "nested summary flattened");
    assertTrue(html.contains("warning: only 1 of 2 partitions &lt;cached&gt;"), "warnings shown and escaped");
    assertTrue(html.contains("phase-retrieval { solver = smoothing-newton }"), "the settings");
    assertTrue(html.contains("<th>Spark master</th><td>local[2]</td>"));
    assertTrue(html.contains("<th>BLAS</th><td>dev.ludovic.netlib.blas."), "the BLAS netlib chose");
    assertTrue(html.contains("<th>Spark</th><td>" + org.apache.spark.package$.MODULE$.SPARK_VERSION() + "</td>"));
    // 13 trace rows: iteration 12's distance 2^-12 = 2.44140625e-4 to 6 digits.
    assertTrue(html.contains("<td class=\"num\">12</td><td class=\"num\">5.96046e-08</td>"), "the last trace row");
    assertTrue(html.contains("<td class=\"num\">0.000244141</td>"));
  }

  @Test
  void sweepHeatMapsCountSuccessesPerCellAndStatisticsAreQuartiles() {
    String html = sweepPage();
    // bwgd over ratio × tol: ratio 3 → 0/4, 4 → 1/4, 6 → 3/4 (both tols), columns sorted 3, 4, 6.
    int bwgd = html.indexOf("bwgd: success rate over ratio × tol");
    int sn = html.indexOf("sn: success rate over ratio × tol");
    assertTrue(bwgd > 0 && sn > bwgd, "one heat map per solver");
    String bwgdMap = html.substring(bwgd, sn);
    assertTrue(bwgdMap.contains("<th>3</th><th>4</th><th>6</th>"), bwgdMap);
    List<String> rates = new ArrayList<>();
    Matcher m = Pattern.compile(">(\\d\\.\\d\\d)<br><small>n = (\\d+)</small>").matcher(bwgdMap);
    while (m.find()) {
      rates.add(m.group(1) + "/" + m.group(2));
    }
    // Rows: tol in appearance order? No: tol values are numbers, so sorted: 1e-8 then 1e-4.
    assertEquals(List.of("0.00/4", "0.25/4", "0.75/4", "0.00/4", "0.25/4", "0.75/4"), rates);
    assertTrue(bwgdMap.indexOf("<th>1e-8</th>") < bwgdMap.indexOf("<th>1e-4</th>"), "numeric order of tol");
    // Quartiles of iterations 10·ratio + k, k = 0..3: median 10·ratio + 1.5, quartiles + 0.75 and + 2.25.
    assertTrue(html.contains("<td>bwgd</td><td>4</td><td>1e-8</td><td class=\"num\">4</td><td class=\"num\">0.25</td>"
        + "<td>41.5 [40.75, 42.25]</td><td>0.15 [0.075, 0.225]</td>"), "statistics row of bwgd, ratio 4, tol 1e-8");
    assertTrue(html.contains("a, &quot;quoted&quot; note"), "the results table, CSV quotes parsed");
    assertTrue(html.contains("grid { ratio = [3, 4, 6], tol = [1e-8, 1e-4] }"), "the spec");
    assertEquals(1, IMAGE.matcher(html).results().count(), "the panel");
  }

  /**
   * A synthetic phase diagram: m ∈ {80, 320} × k ∈ {3, 10}, 3 instances each. Instance i of (m, k) is a strict saddle
   * when m = 80, k = 10 and i &lt; 2 (else a local minimum; not-critical for i = 2 at m = 80, k = 3), with normalised min
   * h = −0.1·(i + 1) for a strict saddle and +0.1·(i + 1) otherwise.
   */
  static String landscapePage() {
    StringBuilder csv = new StringBuilder("m,k,trial,verdict,strict_saddle,min_h_normalised,passes,seconds\n");
    for (String m : List.of("80", "320")) {
      for (String k : List.of("3", "10")) {
        for (int i = 0; i < 3; i++) {
          boolean saddle = m.equals("80") && k.equals("10") && i < 2;
          String verdict = saddle ? "strict-saddle" : m.equals("80") && k.equals("3") && i == 2 ? "not-critical"
              : "local-minimum";
          csv.append(m).append(',').append(k).append(',').append(i).append(',').append(verdict).append(',')
              .append(saddle).append(',').append((saddle ? -0.1 : 0.1) * (i + 1)).append(',').append(100 + i)
              .append(',').append(0.5).append('\n');
        }
      }
    }
    return HtmlSweepReport.render(new HtmlSweepReport.Input("landscape (synthetic)", null,
        HtmlResultsTable.fromCsv(csv.toString()), List.of("k", "m"), HtmlEnvironment.current("local[2]"), null,
        new HtmlSweepReport.View("loss", "strict_saddle", "strict-saddle rate", "verdict", "min_h_normalised",
            List.of("min_h_normalised", "passes"))));
  }

  @Test
  void aViewMapsItsOwnRateAndLabelsEachCellWithTheMostFrequentValueAndAMedian() {
    String html = landscapePage();
    assertTrue(html.contains("<h3>strict-saddle rate over k × m</h3>"), "the map of the view's rate");
    List<String> cells = new ArrayList<>();
    Matcher m = Pattern.compile(">(\\d\\.\\d\\d)<br><small>([^<]*)</small><br><small>n = (\\d+)</small>")
        .matcher(html);
    while (m.find()) {
      cells.add(m.group(1) + " " + m.group(2) + " n=" + m.group(3));
    }
    // Rows m = 80, 320; columns k = 3, 10. (80, 3): local-minimum 2 of 3 (not-critical 1), median of +0.1, +0.2,
    // +0.3 = 0.2. (80, 10): strict-saddle 2 of 3, median of −0.1, −0.2, +0.3 = −0.1, rate 2/3.
    assertEquals(List.of("0.00 local-minimum 2/3, 0.2 n=3", "0.67 strict-saddle 2/3, -0.1 n=3",
        "0.00 local-minimum 3/3, 0.2 n=3", "0.00 local-minimum 3/3, 0.2 n=3"), cells);
    assertTrue(html.contains("<th>k</th><th>m</th><th>trials</th><th>strict-saddle rate</th>"
        + "<th>min_h_normalised</th><th>passes</th>"), "the view's statistics columns");
    assertTrue(html.contains("<h2>Min h normalised and passes per cell"), "named after the view's columns");
  }

  @Test
  void quantilesInterpolateBetweenOrderStatistics() {
    double[] s = {1, 2, 4, 8};
    assertEquals(3.0, HtmlSweepReport.quantile(s, 0.5), 0); // (2 + 4) / 2
    assertEquals(1.75, HtmlSweepReport.quantile(s, 0.25), 0); // 1 + 0.75 (2 - 1)
    assertEquals(5.0, HtmlSweepReport.quantile(s, 0.75), 0); // 4 + 0.25 (8 - 4)
    assertEquals("7 [7, 7]", HtmlSweepReport.quartiles(new double[] {7}));
    assertEquals("", HtmlSweepReport.quartiles(new double[0]));
  }

  @Test
  void badTablesAndKeysAreNamed() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> HtmlResultsTable.fromCsv("a,b\n1,2\n3\n"));
    assertEquals("results row 2 has 1 cells, the header 2", e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> new HtmlSweepReport.Input("t", null,
        HtmlResultsTable.fromCsv("a,success\n1,true\n"), List.of("kappa"), HtmlEnvironment.current(null), null));
    assertEquals("grid key 'kappa' is not a column of the results table [a, success]", e.getMessage());
  }

  @Test
  void escapesMarkup() {
    assertEquals("&lt;b&gt; &amp; &quot;x&quot; &#39;y&#39;", HtmlPage.escape("<b> & \"x\" 'y'"));
  }
}
