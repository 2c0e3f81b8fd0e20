package io.lowrank.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lowrank.SparkTestSession;
import io.lowrank.report.HtmlRunReport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The single-run commands' progress on stderr (phases in order, one line per iteration with the solver's
 * parameter), stdout's final lines as before, {@code --quiet}, and report.html beside summary.json.
 */
class ProgressLinesTest {
  @TempDir
  Path tmp;

  @BeforeAll
  static void sharedSpark() {
    SparkTestSession.get();
  }

  /** The progress lines without their time stamps. */
  private static List<String> progress(CliRun r) {
    return r.progress().lines().map(l -> l.replaceFirst("^\\[ *\\d+\\.\\d s] ", "")).toList();
  }

  /** Asserts that {@code lines} has lines starting with each of {@code starts}, in this order. */
  private static void inOrder(List<String> lines, String... starts) {
    int at = 0;
    for (String s : starts) {
      while (at < lines.size() && !lines.get(at).startsWith(s)) {
        at++;
      }
      assertTrue(at < lines.size(), "no '" + s + "' (in order) in:\n" + String.join("\n", lines));
      at++;
    }
  }

  @Test
  void phaseRetrievalPrintsItsPhasesAndEveryIteration() throws Exception {
    Path out = tmp.resolve("pr");
    CliRun r = CliRun.run("phase-retrieval", "--n", "400", "--d", "10", "--out", out.toString());
    assertEquals(0, r.code(), r.toString());
    List<String> lines = progress(r);
    inOrder(lines, "starting Spark", "loading the generated instance", "loaded 400 rows of dimension 10",
        "set-up pass", "spectral start", "solving with smoothing-newton", "smoothing-newton start: loss ",
        "smoothing-newton iter 1: loss ", "writing the outputs");
    int iterations = Integer.parseInt(r.out().replaceAll("(?s).*CONVERGED after (\\d+) iteration.*", "$1"));
    assertEquals(iterations + 1, lines.stream().filter(l -> l.startsWith("smoothing-newton ")).count(), r.toString());
    assertTrue(lines.stream().filter(l -> l.startsWith("smoothing-newton iter 1:")).allMatch(
        l -> l.matches("smoothing-newton iter 1: loss \\S+, distance \\S+, mu \\S+ \\(\\d+\\.\\d\\d s\\)")), r.toString());
    assertTrue(r.out().startsWith("smoothing-newton: CONVERGED after "), "stdout as before:\n" + r.out());
    assertEquals("", r.err(), "nothing but progress on stderr");
    String html = Files.readString(out.resolve(HtmlRunReport.FILE));
    assertTrue(html.contains("data:image/png;base64,") && html.contains("<th>status</th><td>CONVERGED</td>"), html);

    CliRun quiet = CliRun.run("phase-retrieval", "--n", "400", "--d", "10", "--quiet", "--out", out.toString());
    assertEquals(0, quiet.code(), quiet.toString());
    assertEquals("", quiet.progress() + quiet.err());
    assertEquals(r.out().replaceAll("total [0-9.]+ s|[0-9.]+ s", "T"), quiet.out().replaceAll("total [0-9.]+ s|[0-9.]+ s", "T"));
  }

  @Test
  void sensingAndDenoisingNameTheirParameter() {
    CliRun s = CliRun.run("sensing", "--d", "8", "--rstar", "1", "--n", "400", "--max-iter", "5",
        "--out", tmp.resolve("s").toString());
    assertEquals(0, s.code(), s.toString());
    inOrder(progress(s), "starting Spark", "loading the generated instance", "set-up pass", "start",
        "solving with scaledgd-lambda at rank 2", "scaledgd-lambda iter 1: loss ", "scaledgd-lambda iter 5: ");
    assertTrue(progress(s).stream().anyMatch(l -> l.matches("scaledgd-lambda iter 2: loss \\S+, distance \\S+, "
        + "lambda \\S+ \\(.*")), s.toString());

    CliRun d = CliRun.run("denoise", "--n", "60", "--d", "120", "--max-iter", "3", "--out", tmp.resolve("d").toString());
    assertEquals(0, d.code(), d.toString());
    inOrder(progress(d), "starting Spark", "loading the generated instance", "solving with denoise-gd",
        "denoise-gd start: loss ", "denoise-gd iter 3: loss ", "writing the outputs");
    assertTrue(progress(d).stream().anyMatch(l -> l.matches("denoise-gd iter 1: loss \\S+, mu \\S+ \\(.*")),
        d.toString());
    assertTrue(Files.exists(tmp.resolve("d").resolve(HtmlRunReport.FILE)));
  }

  /** The factored solvers (completion, asymmetric sensing) and the landscape probe report as the other solvers do. */
  @Test
  void factoredSensingAndTheLandscapeProbeReportTheirSteps() {
    CliRun c = CliRun.run("sensing", "--operator", "completion", "--shape", "20x15", "--sampling", "0.6", "--rstar",
        "1", "--r", "1", "--kappa", "1", "--solver", "subgm", "--max-iter", "4", "--out", tmp.resolve("c").toString());
    assertEquals(0, c.code(), c.toString());
    inOrder(progress(c), "starting Spark", "generating the completion instance", "spectral scale: 8 power passes at 0",
        "solving with subgm at rank 1", "subgm start: loss ", "subgm iter 1: loss ", "subgm iter 4: loss ",
        "writing the outputs");
    assertTrue(progress(c).stream().anyMatch(l -> l.matches("subgm iter 2: loss \\S+, distance \\S+, eta \\S+ \\(.*")),
        c.toString());

    CliRun l = CliRun.run("landscape", "--d", "8", "--rstar", "1", "--k", "3", "--n", "40", "--starts", "2",
        "--max-passes", "20", "--set", "landscape.gamma-points=3", "--out", tmp.resolve("l").toString());
    assertEquals(0, l.code(), l.toString());
    inOrder(progress(l), "starting Spark", "loading the generated instance", "passes at the truth",
        "saddle test at k = 3 (2 starts, at most 20 passes each)", "saddle-test start 1 iter 1: loss ",
        "saddle-test start 2 iter 1: loss ", "writing the outputs");
    assertTrue(progress(l).stream().anyMatch(x -> x.matches("saddle-test start 1 iter 2: loss \\S+, mu \\S+ \\(.*")),
        l.toString());
    assertTrue(l.out().contains("min h ="), l.out());
  }
}
