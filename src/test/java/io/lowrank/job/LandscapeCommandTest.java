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
