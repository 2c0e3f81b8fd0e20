package io.lowrank.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lowrank.SparkTestSession;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code lowrank sweep}: the trials alias against the tables of the runner it replaced, a spec against the alias,
 * resume and --extend, task cells against distributed ones, and bad input.
 */
class SweepCommandTest {
  @TempDir
  Path tmp;

  @BeforeAll
  static void sharedSpark() {
    SparkTestSession.get();
  }

  private static List<String> resource(String name) throws IOException {
    try (InputStream in = Objects.requireNonNull(SweepCommandTest.class.getResourceAsStream(
        "/io/lowrank/experiment/sweep/" + name), name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().filter(l -> !l.startsWith("#")).toList();
    }
  }

  /** A CSV without quoted fields, one map per row. */
  static List<Map<String, String>> csv(Path file) throws IOException {
    List<String> lines = Files.readAllLines(file);
    String[] header = lines.get(0).split(",", -1);
    List<Map<String, String>> rows = new ArrayList<>();
    for (String l : lines.subList(1, lines.size())) {
      String[] f = l.split(",", -1);
      Map<String, String> m = new HashMap<>();
      for (int i = 0; i < header.length; i++) {
        m.put(header[i], f[i]);
      }
      rows.add(m);
    }
    return rows;
  }

  private Path spec(String name, String text) throws IOException {
    Path p = tmp.resolve(name + ".conf");
    Files.writeString(p, text);
    return p;
  }

  /** The small grid of the golden files, as a spec. */
  private static final String GOLDEN_SPEC = """
      name = golden
      family = phase-retrieval
      seed = 7
      trials = 4
      fixed { d = 20, tol = 1e-13, success = 1e-10, schedule = loss,
              spectral { preprocessing = trimmed, block = 1, tol = 1e-6 } }
      grid { ratio = [3, 5], solver = [bwgd, smoothing-newton, amplitude-flow] }
      derived { n = "round(ratio * d)" }
      """;

  /**
   * `trials` (now the sweep engine) writes the runs.csv (but its seconds) and trials.csv the runner before it wrote,
   * committed as golden files from commit b82a66e, under the start and schedule of that commit (the plain spectral
   * matrix by Lanczos to 1e-6, the loss schedule). Statuses and iterations are compared exactly; distances to a
   * relative 1e-9 plus 1e-15 (the last bits of a distance near the tolerance 1e-13), since the start now multiplies by dgemm and takes its Ritz vector from
   * Rayleigh–Ritz, which round differently in the last bits.
   */
  @Test
  void theTrialsAliasWritesTheTablesOfTheRunnerBeforeIt() throws IOException {
    Path out = tmp.resolve("trials");
    assertEquals(Main.OK, Main.run("trials", "--d", "20", "--ratios", "3,5", "--trials", "4", "--solver",
        "bwgd,smoothing-newton,amplitude-flow", "--seed", "7", "--schedule", "loss", "--set",
        "phase-retrieval.spectral.preprocessing=trimmed", "--set", "phase-retrieval.spectral.block=1", "--set",
        "phase-retrieval.spectral.tol=1e-6", "--out", out.toString()));
    assertSameRows(resource("trials-before-runs.csv"), Files.readAllLines(out.resolve("runs.csv")).stream()
        .map(l -> l.substring(0, l.lastIndexOf(','))).toList());
    assertEquals(resource("trials-before-table.csv"), Files.readAllLines(out.resolve("trials.csv")));
    assertTrue(Files.exists(out.resolve("results.csv")) && Files.exists(out.resolve("spec.conf")));
    // The sweep's report: success heat map over the grid key ratio, one per solver.
    String html = Files.readString(out.resolve("report.html"));
    assertTrue(html.contains("success rate over ratio") && html.contains("smoothing-newton"), "report.html");
  }

  /** Rows equal but for the last field (a distance), which agrees to a relative 1e-9 plus 1e-15. */
  private static void assertSameRows(List<String> expected, List<String> actual) {
    assertEquals(expected.size(), actual.size(), "rows");
    for (int i = 0; i < expected.size(); i++) {
      String e = expected.get(i);
      String a = actual.get(i);
      int ce = e.lastIndexOf(',');
      int ca = a.lastIndexOf(',');
      assertEquals(e.substring(0, ce), a.substring(0, ca), "row " + i);
      if (i == 0 && e.endsWith("distance_to_truth")) {
        assertEquals(e, a);
        continue;
      }
      double de = Double.parseDouble(e.substring(ce + 1));
      double da = Double.parseDouble(a.substring(ca + 1));
      assertTrue(Math.abs(de - da) <= 1e-9 * Math.abs(de) + 1e-15, e + " vs " + a);
    }
  }

  /** The same grid as a spec through `sweep`: every row of the old runs.csv (distances to rounding). */
  @Test
  void aSpecGivesTheRowsOfTheTrialsRunner() throws IOException {
    Path out = tmp.resolve("golden");
    CliRun r = CliRun.run("sweep", spec("golden", GOLDEN_SPEC).toString(), "--out", out.toString());
    assertEquals(Main.OK, r.code(), r.toString());
    assertTrue(r.out().contains("6 cells x 4 trials; 24 rows (0 failed)"), r.out());
    assertTrue(r.err().contains("sweep golden: cells 6/6, trials 24/24 (100%)"), r.err());
    List<String> rows = new ArrayList<>();
    for (Map<String, String> m : csv(out.resolve("results.csv"))) {
      boolean ok = m.get("success").equals("true");
      rows.add(String.join(",", m.get("solver"), Double.toString(Double.parseDouble(m.get("ratio"))), "20", "7",
          m.get("trial"), m.get("status"), ok ? m.get("iterations_to_success") : m.get("iterations"),
          m.get("distance")));
    }
    List<String> golden = new ArrayList<>(resource("trials-before-runs.csv").subList(1, 25));
    rows.sort(null);
    golden.sort(null);
    assertSameRows(golden, rows);
    // one Parquet part per batch (the three ratio groups fit one batch), no temporary left behind
    try (Stream<Path> parts = Files.list(out.resolve("results"))) {
      assertEquals(List.of("part-00000"), parts.map(p -> p.getFileName().toString())
          .filter(n -> !n.startsWith(".")).map(n -> n.substring(0, 10)).toList());
    }
  }

  @Test
  void aRerunSkipsWhatIsDoneRefusesAnotherSpecAndExtendAddsCells() throws IOException {
    Path out = tmp.resolve("resume");
    String base = "name = resume\nfamily = phase-retrieval\ntrials = 2\nbatch = 1\nfixed { d = 10 }\n"
        + "derived { n = \"ratio * d\" }\nmetrics = [status, iterations, distance]\n";
    Path spec = spec("resume", base + "grid { ratio = [3, 6], solver = [bwgd] }");
    assertEquals(Main.OK, Main.run("sweep", spec.toString(), "--out", out.toString()));
    List<String> first = Files.readAllLines(out.resolve("results.csv"));
    assertEquals(1 + 2 * 2, first.size());

    CliRun again = CliRun.run("sweep", spec.toString(), "--out", out.toString());
    assertEquals(Main.OK, again.code(), again.toString());
    assertTrue(again.out().contains("0 cells and 0 trials run now"), again.out());
    assertEquals(first, Files.readAllLines(out.resolve("results.csv")));

    CliRun changed = CliRun.run("sweep", spec("changed", base.replace("d = 10", "d = 10, max-iter = 7")
        + "grid { ratio = [3, 6], solver = [bwgd] }").toString(), "--out", out.toString());
    assertEquals(Main.BAD_INPUT, changed.code(), changed.toString());
    assertTrue(changed.err().contains("was run with phase-retrieval.max-iter = 100, this run has "
        + "phase-retrieval.max-iter = 7"), changed.err());
    assertEquals(1, changed.err().lines().count(), changed.err());

    Path grown = spec("grown", base + "grid { ratio = [3, 6, 8], solver = [bwgd] }");
    CliRun refused = CliRun.run("sweep", grown.toString(), "--out", out.toString());
    assertEquals(Main.BAD_INPUT, refused.code(), refused.toString());
    assertTrue(refused.err().contains("was run with grid.ratio = [3, 6], this spec has grid.ratio = [3, 6, 8]")
        && refused.err().contains("--extend"), refused.err());

    assertEquals(Main.OK, Main.run("sweep", grown.toString(), "--out", out.toString(), "--extend"));
    List<String> extended = Files.readAllLines(out.resolve("results.csv"));
    assertEquals(1 + 3 * 2, extended.size());
    assertTrue(extended.containsAll(first), "the rows of the first run are kept as they were");

    CliRun other = CliRun.run("sweep", spec("other", base.replace("name = resume", "name = other")
        + "grid { ratio = [3], solver = [bwgd] }").toString(), "--out", out.toString());
    assertEquals(Main.BAD_INPUT, other.code());
    assertEquals("error: --out " + out.toUri().toString().replaceAll("/$", "").replace("file:///", "file:/")
        + " holds the results of sweep 'resume' (family phase-retrieval), not of 'other': give another --out",
        other.err().strip());
  }

  /** A cell solved in a Spark task and on the distributed engine: the same instance, the same results. */
  @Test
  void taskAndDistributedCellsAgree() throws IOException {
    Map<String, String> families = Map.of(
        "phase-retrieval", "fixed { d = 12, n = 60 }\ngrid { solver = [bwgd, smoothing-newton] }",
        "sensing", "fixed { d = 8, rstar = 2, max-iter = 300 }\ngrid { kappa = [2, 5] }",
        "robust", "fixed { d = 8, rstar = 2, r = 2, solver = subgm, max-iter = 300, outliers = 0.1, sampling = 0.6 }\n"
            + "grid { operator = [gaussian, completion] }",
        "landscape", "fixed { d = 8, rstar = 2, m = 60, starts = 2, max-passes = 40, gamma-points = 5 }\n"
            + "grid { k = [3, 5] }",
        "denoise", "fixed { N = 60, M = 120, steps = 20 }\ngrid { theta = [0.5, 2] }",
        "escape", "fixed { n = 5, epsilon = 0.15, gd.steps = 200, gd.total-steps = 400 }\n"
            + "grid { method = [none, sod-ungated] }");
    for (Map.Entry<String, String> f : families.entrySet()) {
      List<List<Map<String, String>>> results = new ArrayList<>();
      for (String engine : List.of("task", "distributed")) {
        Path out = tmp.resolve(f.getKey() + "-" + engine);
        CliRun r = CliRun.run("sweep", spec(f.getKey() + "-" + engine, "family = " + f.getKey() + "\ntrials = 2\n"
            + "cell-engine = " + engine + "\n" + f.getValue()).toString(), "--out", out.toString());
        assertEquals(Main.OK, r.code(), r.toString());
        results.add(csv(out.resolve("results.csv")));
      }
      List<Map<String, String>> task = results.get(0);
      List<Map<String, String>> dist = results.get(1);
      assertEquals(4, task.size());
      for (int i = 0; i < task.size(); i++) {
        Map<String, String> a = task.get(i);
        Map<String, String> b = dist.get(i);
        String where = f.getKey() + " row " + i + ": " + a + " vs " + b;
        assertEquals("task", a.get("engine"));
        assertEquals("distributed", b.get("engine"));
        assertEquals(a.get("cell_id"), b.get("cell_id"), where);
        assertEquals(a.get("seed"), b.get("seed"), where);
        assertEquals(a.get("status"), b.get("status"), where);
        // The engines sum the blocks in another order: the same iterates up to rounding, so the same outcome.
        assertEquals(a.get("verdict"), b.get("verdict"), where);
        for (String metric : List.of("distance", "relative_error", "overlap_u", "overlap_v", "min_h")) {
          if (a.containsKey(metric)) {
            double x = Double.parseDouble(a.get(metric));
            double y = Double.parseDouble(b.get(metric));
            assertTrue(Math.abs(x - y) <= 1e-8 * Math.max(1, Math.abs(x)) || (x < 1e-10 && y < 1e-10), where);
          }
        }
      }
    }
  }

  @Test
  void badInputExitsTwoWithOneLine() throws IOException {
    Map<String, String> cases = Map.of(
        "family = phase-retrieval\ngrid { ratoi = [3] }\nderived { n = \"ratio * 10\" }",
        "grid: unknown key 'ratoi' for family phase-retrieval, did you mean 'ratio'?",
        "family = phase-retrieval\ngrid { solver = [] }", "grid.solver: empty list",
        "family = robus\ngrid { solver = [subgm] }", "family: unknown family 'robus', did you mean 'robust'?",
        "family = denoise\ngrid { theta = [1] }\nmetrics = [distance]",
        "metrics: family denoise does not produce 'distance'");
    int i = 0;
    for (Map.Entry<String, String> c : cases.entrySet()) {
      CliRun r = CliRun.run("sweep", spec("bad" + i++, c.getKey()).toString(), "--out", tmp.resolve("bad").toString());
      assertEquals(Main.BAD_INPUT, r.code(), r.toString());
      assertTrue(r.err().startsWith("error: " + c.getValue()), r.err());
      assertEquals(1, r.err().lines().count(), r.err());
    }
    assertFalse(Files.exists(tmp.resolve("bad")), "bad input writes nothing");
    Path run = tmp.resolve("a-run");
    Files.createDirectories(run);
    Files.writeString(run.resolve("summary.json"), "{}");
    CliRun r = CliRun.run("sweep", spec("ok", "family = phase-retrieval\ngrid { solver = [bwgd] }").toString(),
        "--out", run.toString());
    assertEquals(Main.BAD_INPUT, r.code(), r.toString());
    assertTrue(r.err().contains("holds other outputs (summary.json), not a sweep's results"), r.err());
    assertEquals(2, Main.run("sweep", tmp.resolve("missing.conf").toString()));
  }
}
