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

  /**
   * An operator file written by {@code generate --kind sensing} runs as the generated Gaussian instance of the same
   * d, m, r*, κ and seed: the file holds the unit-scale A_i and y_i, the escape uses them times 1/√m, the normalised
   * operator the generated instance holds (equal up to the rounding of ×√m then ÷√m, and sums in another order). The
   * run stalls at a point with negative curvature (λ_n ≈ −0.05, a β-collapse), escapes and reaches the truth.
   */
  @Test
  void anOperatorFileRunsAsTheGeneratedGaussianInstance() throws Exception {
    Path ops = tmp.resolve("ops.csv");
    CliRun g = run("generate", "--kind", "sensing", "--d", "8", "--n", "10", "--rstar", "1", "--kappa", "1", "--seed",
        "3", "--out", ops.toString());
    assertEquals(0, g.code(), g.toString());
    String[] common = {"--seed", "3", "--gd-step", "0.05", "--gd-steps", "4000", "--set", "escape.gd.gradient-tol=1e-6",
        "--set", "escape.max-gradient=1e-4", "--set", "escape.delta-samples=200"};
    JsonNode file = escape(tmp.resolve("file"), common, "--input", ops.toString(), "--truth",
        tmp.resolve("ops.truth").toString());
    JsonNode generated = escape(tmp.resolve("generated"), common, "--instance", "gaussian", "--n", "8", "--m", "10");
    assertEquals("operator file", file.get("instance").asText());
    assertEquals("gaussian", generated.get("instance").asText());
    assertEquals(10, file.get("m").asInt());
    assertTrue(generated.get("escapes").asInt() >= 1 && generated.get("success").asBoolean(), generated.toString());
    // One descent from the start and one after each move, their steps adding up to the run's.
    JsonNode descents = generated.get("descents");
    assertEquals(1 + generated.get("accepted_escapes").asInt(), descents.size(), descents.toString());
    long steps = 0;
    for (JsonNode d : descents) {
      steps += d.get("steps").asLong();
      assertTrue(d.get("seconds").asDouble() >= 0);
    }
    assertEquals(generated.get("gd_steps").asLong(), steps);
    assertSameRun(generated, file, tmp.resolve("generated"), tmp.resolve("file"));
  }

  /** Completion entries (i, j, w, y) of perturbed completion run as the generated instance; the truth fixes n. */
  @Test
  void entriesRunAsTheGeneratedPerturbedCompletion() throws Exception {
    int n = 5;
    double eps = 0.15;
    StringBuilder csv = new StringBuilder("i,j,w,y\n");
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        double w = i == j || i % 2 == 1 || j % 2 == 1 ? 1 : eps;
        csv.append(i).append(',').append(j).append(',').append(w).append(',')
            .append(i % 2 == 0 && j % 2 == 0 ? w : 0.0).append('\n');
      }
    }
    Path entries = tmp.resolve("pmc5.csv");
    Files.writeString(entries, csv);
    Path truth = tmp.resolve("pmc5.truth");
    Files.writeString(truth, "1\n0\n1\n0\n1\n");
    String[] common = {"--seed", "1001", "--set", "escape.delta-samples=200"};
    JsonNode file = escape(tmp.resolve("file"), common, "--input", entries.toString(), "--truth", truth.toString());
    JsonNode generated = escape(tmp.resolve("generated"), common, "--n", "5", "--epsilon", "0.15");
    assertEquals("entries", file.get("instance").asText());
    assertTrue(generated.get("escapes").asInt() >= 1, generated.toString());
    assertSameRun(generated, file, tmp.resolve("generated"), tmp.resolve("file"));
  }

  /**
   * The success table over the Gaussian instance (second axis m/(n r*)) and over perturbed completion of rank 3, whose
   * r* is checked against the grid's n (5: three even indices), not escape.n (3).
   */
  @Test
  void trialsRunTheGaussianInstanceAndRankThreeCompletion() throws Exception {
    Path g = tmp.resolve("gaussian-trials");
    CliRun r = run("escape", "--trials", "--instance", "gaussian", "--truth-rank", "2", "--gd-step", "0.05",
        "--set", "escape.trials.ns=[6]", "--set", "escape.trials.m-per-nr=[2]", "--set", "escape.trials.count=2",
        "--set", "escape.trials.methods=[none,sod-ungated]", "--set", "escape.trials.total-steps=2000",
        "--set", "escape.delta-samples=50", "--out", g.toString());
    assertEquals(0, r.code(), r.toString());
    List<String> runs = Files.readAllLines(g.resolve("trials-runs.csv"));
    assertEquals("method,n,m_per_nr,trial,seed,status,success,gd_steps,escapes,accepted,distance,seconds", runs.get(0));
    assertEquals(1 + 2 * 2, runs.size());
    assertTrue(runs.get(1).startsWith("none,6,2.0,0,") || runs.get(1).startsWith("sod-ungated,6,2.0,0,"), runs.get(1));
    assertTrue(Files.exists(g.resolve("success-m-2.0.png")));
    assertEquals("gaussian", JSON.readTree(g.resolve("summary.json").toFile()).get("instance").asText());
    assertTrue(r.out().contains("m_per_nr = 2.0: successes / trials"), r.out());

    Path p = tmp.resolve("rank3-trials");
    r = run("escape", "--trials", "--truth-rank", "3", "--set", "escape.trials.ns=[5]",
        "--set", "escape.trials.epsilons=[0.15]", "--set", "escape.trials.count=1", "--set",
        "escape.trials.methods=[none]", "--set", "escape.trials.total-steps=100", "--out", p.toString());
    assertEquals(0, r.code(), r.toString());
    assertEquals(2, Files.readAllLines(p.resolve("trials.csv")).size());
    r = run("escape", "--trials", "--truth-rank", "3", "--set", "escape.trials.ns=[4]", "--out",
        tmp.resolve("bad").toString());
    assertEquals(2, r.code(), r.toString());
    assertTrue(r.err().contains("escape.truth-rank must be in [1, 2] (the even indices of n = 4)"), r.err());
  }

  /** Runs {@code escape} with the flags and returns its summary.json. */
  private static JsonNode escape(Path out, String[] common, String... more) throws Exception {
    List<String> args = new java.util.ArrayList<>(List.of("escape"));
    args.addAll(List.of(common));
    args.addAll(List.of(more));
    args.addAll(List.of("--out", out.toString()));
    CliRun r = run(args.toArray(new String[0]));
    assertEquals(0, r.code(), r.toString());
    return JSON.readTree(out.resolve("summary.json").toFile());
  }

  /**
   * The same run up to rounding: status, steps and escapes equal, the events' λ_n and EFS and the estimate to 1e-8
   * (relative 1e-15 differences in the data, damped by the descent toward the same minimum).
   */
  private static void assertSameRun(JsonNode a, JsonNode b, Path outA, Path outB) throws Exception {
    for (String key : new String[] {"status", "gd_steps", "escapes", "n", "r"}) {
      assertEquals(a.get(key).asText(), b.get(key).asText(), key);
    }
    assertEquals(a.get("events").size(), b.get("events").size());
    for (int k = 0; k < a.get("events").size(); k++) {
      JsonNode x = a.get("events").get(k);
      JsonNode y = b.get("events").get(k);
      assertEquals(x.get("step").asLong(), y.get("step").asLong());
      assertEquals(x.get("lambda_n").asDouble(), y.get("lambda_n").asDouble(), 1e-8);
      assertEquals(x.get("efs").asDouble(), y.get("efs").asDouble(), 1e-8);
      assertEquals(x.get("term").asText(), y.get("term").asText());
    }
    List<String> ea = Files.readAllLines(outA.resolve("estimate.csv"));
    List<String> eb = Files.readAllLines(outB.resolve("estimate.csv"));
    assertEquals(ea.size(), eb.size());
    for (int i = 0; i < ea.size(); i++) {
      String[] ca = ea.get(i).split(",");
      String[] cb = eb.get(i).split(",");
      for (int k = 0; k < ca.length; k++) {
        assertEquals(Double.parseDouble(ca[k]), Double.parseDouble(cb[k]), 1e-8, "estimate row " + i);
      }
    }
    assertEquals(a.get("distance_to_truth").asDouble(), b.get("distance_to_truth").asDouble(), 1e-8);
  }
}
