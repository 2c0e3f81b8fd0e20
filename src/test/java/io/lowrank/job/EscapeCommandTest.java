package io.lowrank.job;

import static io.lowrank.job.CliRun.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lowrank.SparkTestSession;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** End-to-end tests of {@code lowrank escape} through {@link Main#run}, and its refusals of bad input. */
class EscapeCommandTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path tmp;

  @BeforeAll
  static void sharedSpark() {
    SparkTestSession.get();
  }

  @Test
  void toyEscapeWritesEveryOutput() throws Exception {
    Path out = tmp.resolve("toy");
    CliRun r = run("escape", "--instance", "toy", "--escape-at-start", "--delta", "0.5", "--gd-step", "0.01",
        "--gd-steps", "400",
        "--out", out.toString());
    assertEquals(0, r.code(), r.toString());
    for (String f : List.of("summary.json", "trace.csv", "estimate.csv", "events.csv", "lifted.csv", "escape.png",
        "convergence.png", "config.conf")) {
      assertTrue(Files.exists(out.resolve(f)), f);
    }
    JsonNode s = JSON.readTree(out.resolve("summary.json").toFile());
    assertEquals("CONVERGED", s.get("status").asText());
    assertTrue(s.get("success").asBoolean());
    JsonNode e = s.get("events").get(0);
    assertEquals(-0.75, e.get("lambda_n").asDouble(), 1e-12);
    assertEquals(1.0, e.get("efs").asDouble(), 1e-12);
    assertTrue(e.get("accepted").asBoolean());
    List<String> events = Files.readAllLines(out.resolve("events.csv"));
    assertEquals(2, events.size());
    assertFalse(String.join("\n", events).contains("NaN"));
    assertTrue(r.out().contains("escape 0 at step 0"), r.out());
    // --escape-at-start at the toy's spurious point (a stationary point: ∇h = 0) escapes before any step.
  }

  @Test
  void paperStartFromAFile() throws Exception {
    Path x0 = tmp.resolve("x0.csv");
    Files.writeString(x0, "-0.0031972367326162537\n-0.011497211087352351\n0.004471373514569678\n");
    Path out = tmp.resolve("pmc3");
    CliRun r = run("escape", "--x0", x0.toString(), "--T", "59000", "--max-escapes", "1", "--out", out.toString());
    assertEquals(0, r.code(), r.toString());
    JsonNode e = JSON.readTree(out.resolve("summary.json").toFile()).get("events").get(0);
    assertEquals(6000, e.get("step").asInt());
    assertEquals(1.33327, e.get("lifted_T").asDouble(), 5e-6);
    assertEquals("gamma", e.get("term").asText());
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "--l|4|escape.l must be odd",
      "--epsilon|0|escape.epsilon must be in (0, 1], got 0",
      "--epsilon|1.5|escape.epsilon must be in (0, 1], got 1.5",
      "--rho|0|escape.rho must be > 0",
      "--eta|-1|escape.eta must be > 0",
      "--T|0|escape.steps (T) must be auto, best or an integer > 0, got 0",
      "--rank|4|escape.r must be in [1, n = 3], got 4",
      "--rank|-1|escape.r must be a non-negative integer",
      "--method|newton|unknown escape method 'newton'"})
  void badValuesExitTwoWithOneLine(String flag, String value, String message) {
    CliRun r = run("escape", flag, value, "--out", tmp.resolve("bad").toString());
    assertEquals(2, r.code(), r.toString());
    assertTrue(r.err().contains(message), r.toString());
    assertEquals(1, r.err().strip().lines().count(), r.toString());
    assertFalse(Files.exists(tmp.resolve("bad").resolve("summary.json")));
  }

  @Test
  void anEscapeAtAPointThatIsNotAStallIsRefused() throws Exception {
    Path x0 = tmp.resolve("x0.csv");
    Files.writeString(x0, "0.5\n0.1\n-0.3\n");
    CliRun r = run("escape", "--x0", x0.toString(), "--escape-at-start", "--out", tmp.resolve("early").toString());
    assertEquals(2, r.code(), r.toString());
    assertTrue(r.err().contains("the escape starts at a point that is not a stall: ||grad h||_F = "), r.toString());
    assertEquals(1, r.err().strip().lines().count(), r.toString());
    assertFalse(Files.exists(tmp.resolve("early").resolve("summary.json")));
  }
}
