package io.lowrank.job;

import static io.lowrank.job.CliRun.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lowrank.SparkTestSession;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** End-to-end tests of {@code lowrank landscape} through {@link Main#run}: a probe on Spark, a diagram, bad input. */
class LandscapeCommandTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @BeforeAll
  static void sharedSpark() {
    SparkTestSession.get();
  }

  private static Set<String> list(Path dir) throws IOException {
    Set<String> names = new TreeSet<>();
    try (Stream<Path> s = Files.list(dir)) {
      s.forEach(p -> names.add(p.getFileName().toString()));
    }
    return names;
  }

  @Test
  void probeWritesTheSummaryTheCurveAndTheMinimiser(@TempDir Path tmp) throws IOException {
    Path out = tmp.resolve("probe");
    CliRun r = run("landscape", "--d", "10", "--rstar", "2", "--k", "6", "--n", "60", "--outliers", "0.2",
        "--starts", "1", "--max-passes", "30", "--set", "landscape.gamma-points=5", "--partitions", "2", "--out",
        out.toString());
    assertEquals(0, r.code(), r.toString());
    assertEquals(new TreeSet<>(List.of("summary.json", "curve.csv", "curve.png", "minimiser.csv", "config.conf")),
        list(out));
    JsonNode s = JSON.readTree(out.resolve("summary.json").toFile());
    assertEquals(6, s.get("k").asInt());
    assertEquals(60, s.get("m").asInt());
    // The corrupted rows read off the residuals are the generator's.
    assertEquals(s.get("generator_corrupted").asLong(), s.get("corrupted").asLong());
    assertTrue(Set.of("strict-saddle", "local-minimum", "not-critical").contains(s.get("verdict").asText()));
    assertEquals(6, Files.readAllLines(out.resolve("curve.csv")).size());
    assertEquals(10, Files.readAllLines(out.resolve("minimiser.csv")).size());
    assertEquals(4, Files.readAllLines(out.resolve("minimiser.csv")).get(0).split(",").length);
    assertTrue(r.out().contains("min h ="), r.out());
  }

  @Test
  void diagramWritesOneCellPerMAndK(@TempDir Path tmp) throws IOException {
    Path out = tmp.resolve("diagram");
    CliRun r = run("landscape", "--diagram", "--d", "8", "--rstar", "1", "--n-grid", "20,60", "--k-grid", "2,4",
        "--outliers-grid", "0.1,0.2", "--seeds", "2", "--starts", "1", "--max-passes", "30", "--out", out.toString());
    assertEquals(0, r.code(), r.toString());
    assertEquals(new TreeSet<>(List.of("summary.json", "diagram.csv", "diagram-p0.1.png", "diagram-p0.2.png",
        "config.conf")), list(out));
    List<String> csv = Files.readAllLines(out.resolve("diagram.csv"));
    // 2 p × 2 m × 2 k × 2 seeds.
    assertEquals(1 + 16, csv.size());
    assertTrue(csv.get(0).startsWith("p,m,k,seed,"));
    JsonNode s = JSON.readTree(out.resolve("summary.json").toFile());
    assertEquals(16, s.get("cells").asInt());
    assertTrue(r.out().contains("/2"), r.out());
  }

  /**
   * The probes on a user's operator file give the generated run's findings: {@code generate --kind sensing} writes the
   * instance {@code landscape} generates from the same flags and seed (d = 10, r* = 2, κ = 1, m = 60, 20% uniform
   * outliers), its truth and its outlier record; the file's run reads the corrupted rows off the residuals at the
   * truth (the record's rows, the same count as the generated run's) and reaches the same verdict and min h. The file
   * holds A_i and y_i times √m, read back times 1/√m: the two runs' operators differ by rounding (~1e-16 relative),
   * which the saddle test's descent (the same seeded starts, 30 passes) carries to its minimum as a relative 1e-12 or
   * so; 1e-9 is the bound.
   */
  @Test
  void operatorFileGivesTheGeneratedRunsFindings(@TempDir Path tmp) throws IOException {
    Path ops = tmp.resolve("ops.csv");
    CliRun g = run("generate", "--kind", "sensing", "--d", "10", "--rstar", "2", "--kappa", "1", "--n", "60",
        "--outliers", "0.2", "--seed", "3", "--out", ops.toString());
    assertEquals(0, g.code(), g.toString());
    String[] probe = {"--k", "6", "--seed", "3", "--starts", "1", "--max-passes", "30", "--set",
        "landscape.gamma-points=5"};
    Path gen = tmp.resolve("generated");
    CliRun a = run(Stream.concat(Stream.of("landscape", "--d", "10", "--rstar", "2", "--n", "60", "--outliers", "0.2",
        "--out", gen.toString()), Stream.of(probe)).toArray(String[]::new));
    assertEquals(0, a.code(), a.toString());
    Path file = tmp.resolve("file");
    CliRun b = run(Stream.concat(Stream.of("landscape", "--input", ops.toString(), "--truth",
        tmp.resolve("ops.truth").toString(), "--out", file.toString()), Stream.of(probe)).toArray(String[]::new));
    assertEquals(0, b.code(), b.toString());
    JsonNode sg = JSON.readTree(gen.resolve("summary.json").toFile());
    JsonNode sf = JSON.readTree(file.resolve("summary.json").toFile());
    assertEquals("file", sf.get("operator").asText());
    assertEquals(ops.toString(), sf.get("input").asText());
    assertEquals(10, sf.get("d").asInt());
    assertEquals(2, sf.get("rstar").asInt());
    assertEquals(60, sf.get("m").asInt());
    // The generator's record: header i,s and one line per corrupted row.
    assertEquals(Files.readAllLines(tmp.resolve("ops.outliers")).size() - 1, sf.get("corrupted").asLong());
    assertEquals(sg.get("corrupted").asLong(), sf.get("corrupted").asLong());
    assertEquals(sg.get("corrupted_positive").asLong(), sf.get("corrupted_positive").asLong());
    assertTrue(sf.get("corruption_separation").asDouble() > 1e3, sf.toString());
    assertEquals(sg.get("verdict").asText(), sf.get("verdict").asText());
    assertEquals(sg.get("stationary").asBoolean(), sf.get("stationary").asBoolean());
    for (String field : new String[] {"min_h", "min_h_normalised", "f_star"}) {
      double x = sg.get(field).asDouble();
      assertEquals(x, sf.get(field).asDouble(), 1e-9 * Math.max(1e-3, Math.abs(x)), field);
    }
    System.out.println("landscape generated vs file: min h " + sg.get("min_h") + " / " + sf.get("min_h")
        + ", verdict " + sf.get("verdict"));
  }

  @Test
  void badInputExitsWithOneLine(@TempDir Path tmp) {
    String out = tmp.resolve("bad").toString();
    List<List<String>> cases = List.of(
        List.of("--rstar", "3", "--k", "2"),
        List.of("--outliers", "0.5"),
        List.of("--outliers", "-0.1"),
        List.of("--n", "-5"),
        List.of("--d", "-3"),
        List.of("--outlier-scale", "-1"),
        List.of("--starts", "0"),
        List.of("--max-passes", "-2"),
        List.of("--kappa", "-1"),
        List.of("--diagram", "--k-grid", "1,3", "--rstar", "2"),
        List.of("--diagram", "--n-grid", "80,x"),
        List.of("--m", "80"),
        List.of("--input", "x.csv"));
    for (List<String> c : cases) {
      String[] args = Stream.concat(Stream.of("landscape", "--out", out), c.stream()).toArray(String[]::new);
      CliRun r = run(args);
      assertEquals(2, r.code(), c + ": " + r);
      String err = r.err().strip();
      assertTrue(err.startsWith("error:"), c + ": " + err);
      assertFalse(err.contains("\n"), c + ": more than one line: " + err);
    }
    assertFalse(Files.exists(tmp.resolve("bad").resolve("summary.json")), "nothing half-written");
  }
}
