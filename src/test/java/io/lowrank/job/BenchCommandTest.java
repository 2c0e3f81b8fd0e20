package io.lowrank.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lowrank.SparkTestSession;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The bench at a small size: its outputs are complete and consistent (no timing is asserted). */
class BenchCommandTest {
  @TempDir
  Path tmp;

  @BeforeAll
  static void sharedSpark() {
    SparkTestSession.get();
  }

  @Test
  void scaleTimesEachSizeAndFitsALine() throws Exception {
    Path out = tmp.resolve("scale");
    assertEquals(Main.OK, Main.run("bench", "--scale", "1000,2000,4000", "--d", "10", "--repeats", "3", "--out",
        out.toString()));
    JsonNode s = new ObjectMapper().readTree(Files.readString(out.resolve("bench.json"))).get("scale");
    assertEquals(3, s.get("sizes").size());
    double maxResidual = 0;
    for (int k = 0; k < 3; k++) {
      JsonNode row = s.get("sizes").get(k);
      assertEquals(1000L << k, row.get("n").asLong());
      assertTrue(row.get("seconds_per_pass").asDouble() > 0);
      // Cached: a (n·d) and y (n) doubles, a few percent more with headers.
      double bytes = row.get("cached_bytes").asDouble();
      assertTrue(bytes >= 8.0 * 11 * (1000L << k) && bytes < 1.2 * 8 * 11 * (1000L << k), row.toString());
      // The residuals are those of the reported fit.
      double fitted = s.get("fit_intercept_seconds").asDouble()
          + s.get("fit_seconds_per_million_rows").asDouble() * row.get("n").asDouble() / 1e6;
      double seconds = row.get("seconds_per_pass").asDouble();
      assertEquals((seconds - fitted) / seconds, row.get("relative_residual").asDouble(), 1e-9);
      maxResidual = Math.max(maxResidual, Math.abs(row.get("relative_residual").asDouble()));
    }
    assertEquals(maxResidual, s.get("fit_max_relative_residual").asDouble(), 1e-12);
    assertEquals(2, Main.run("bench", "--scale", "5", "--d", "10", "--out", tmp.resolve("bad").toString()));
  }

  @Test
  void writesEveryFigureOfBenchJson() throws Exception {
    Path out = tmp.resolve("bench");
    assertEquals(Main.OK, Main.run("bench", "--n", "2000", "--d", "20", "--repeats", "3", "--out", out.toString(),
        "--set", "bench.denoise-N=200", "--set", "bench.denoise-M=100", "--set", "bench.sensing-d=8", "--set", "bench.sensing-m=0",
        "--set", "bench.driver-warm-up=2", "--set", "bench.solver-runs=2", "--set", "bench.escape-n=40"));
    JsonNode b = new ObjectMapper().readTree(Files.readString(out.resolve("bench.json")));
    for (String key : new String[] {"pass_ratio", "speedup_vs_lbfgs", "memory_ratio", "blas", "n", "d"}) {
      assertTrue(b.hasNonNull(key), "bench.json lacks " + key + ": " + b);
    }
    assertEquals(2000, b.get("n").asLong());
    assertEquals(20, b.get("d").asInt());
    assertEquals(b.get("spark_pass_seconds").asDouble() / b.get("limit_pass_seconds").asDouble(),
        b.get("pass_ratio").asDouble(), 1e-12 * b.get("pass_ratio").asDouble());
    assertTrue(b.get("pass_ratio").asDouble() > 0);
    // Cached blocks hold a (n·d) and y (n) doubles plus object headers: between n·d·8 and a few percent more.
    double memory = b.get("memory_ratio").asDouble();
    assertTrue(memory >= 1.0 && memory < 1.2, "memory ratio " + memory);
    for (String solver : new String[] {"smoothing-newton", "bwgd", "mllib-lbfgs"}) {
      JsonNode s = b.get("solvers").get(solver);
      assertTrue(s.get("seconds").asDouble() > 0, solver);
      // One pass per iteration at least (MLlib's counted as its Spark jobs), plus one at the start for ours.
      assertTrue(s.get("passes").asLong() >= s.get("iterations").asLong(), solver + ": " + s);
      // Two runs each: the reported one is the faster (the lower median).
      JsonNode each = s.get("seconds_of_each_run");
      assertEquals(2, each.size(), solver);
      assertEquals(Math.min(each.get(0).asDouble(), each.get(1).asDouble()), s.get("seconds").asDouble(), 0.0, solver);
    }
    // n/d = 100 from a spectral start: both of ours reach the tolerance.
    assertEquals("CONVERGED", b.get("solvers").get("smoothing-newton").get("status").asText());
    assertTrue(b.get("solvers").get("smoothing-newton").get("final_distance").asDouble() <= 1e-10);
    assertTrue(b.get("denoise").get("pass_ratio").asDouble() > 0);
    assertTrue(b.get("sensing").get("pass_ratio").asDouble() > 0);
    assertEquals(10 * 8 * 3, b.get("sensing").get("m").asLong());
    assertTrue(b.get("sensing").get("generated_vs_stored").asDouble() > 0);
    assertTrue(b.get("sensing").get("l1_vs_l2").asDouble() > 0);
    assertTrue(b.get("sensing").get("l1_vs_l2_in_process").asDouble() > 0);
    JsonNode robust = b.get("sensing").get("robust");
    assertEquals(b.get("sensing").get("l1_vs_l2").asDouble(), robust.get("l1_vs_l2").asDouble(), 0.0);
    assertTrue(robust.get("l1_pass_ratio").asDouble() > 0 && robust.get("cached_bytes").asLong() > 0, robust.toString());
    // A tiny instance: the Spark-vs-limit target is not judged below 1e8 bytes cached.
    assertTrue(robust.get("pass_ratio_met").isNull(), robust.toString());
    assertTrue(b.get("blas").asText().startsWith("dev.ludovic.netlib.blas."));
    assertTrue(b.get("smoothing_newton_reached_tol").asBoolean());
    // Under a local master the command's engine (auto) is the driver's JVM, with the same iterates as on Spark.
    JsonNode chosen = b.get("smoothing_newton_default_engine");
    assertEquals("in-process", chosen.get("engine").asText(), chosen.toString());
    JsonNode onSpark = b.get("solvers").get("smoothing-newton");
    assertEquals(onSpark.get("iterations").asInt(), chosen.get("iterations").asInt());
    assertEquals(onSpark.get("final_distance").asDouble(), chosen.get("final_distance").asDouble(), 1e-12);
    assertEquals(b.get("solvers").get("mllib-lbfgs").get("seconds").asDouble() / chosen.get("seconds").asDouble(),
        b.get("speedup_vs_lbfgs_default_engine").asDouble(), 1e-9);
    // The escape case: descent from the signed start stalls at a spurious minimum (λ_n < 0), and one escape takes the
    // gradient pass, the Lanczos products and three more passes, also at the paper's fixed T = 59 000.
    JsonNode e = b.get("escape");
    assertEquals(40, e.get("n").asInt());
    assertEquals(1600, e.get("m").asLong());
    assertEquals("STALLED", e.get("stall_status").asText());
    assertTrue(e.get("stall_gradient_norm").asDouble() <= 1e-2 && e.get("lambda_n").asDouble() < 0, e.toString());
    assertEquals(1 + e.get("lanczos_steps").asInt() + 3, e.get("escape_passes").asInt(), e.toString());
    assertTrue(e.get("escape_passes_met").asBoolean());
    assertEquals(e.get("escape_passes").asInt(), e.get("escape_passes_at_T_59000").asInt(), e.toString());
    assertTrue(e.get("pass_ratio").asDouble() > 0 && e.get("escape_vs_gd_to_stall").asDouble() > 0, e.toString());
    assertEquals(6, e.get("stage_seconds").size());
  }

  /** The solvers follow the config's keys (here a budget of one iteration), and a speedup that means nothing says so. */
  @Test
  void solversFollowTheConfigAndAnUnreachedToleranceIsFlagged() throws Exception {
    Path out = tmp.resolve("one-iteration");
    CliRun r = CliRun.run("bench", "--n", "2000", "--d", "20", "--repeats", "1", "--out", out.toString(),
        "--set", "bench.denoise-N=0", "--set", "bench.sensing-d=0", "--set", "bench.driver-warm-up=0",
        "--set", "bench.solver-runs=1", "--set", "phase-retrieval.max-iter=1", "--set", "bench.escape-n=0");
    assertEquals(Main.OK, r.code(), r.err());
    JsonNode b = new ObjectMapper().readTree(Files.readString(out.resolve("bench.json")));
    assertEquals(1, b.get("solvers").get("smoothing-newton").get("iterations").asInt());
    assertEquals("MAX_ITER", b.get("solvers").get("smoothing-newton").get("status").asText());
    assertTrue(!b.get("smoothing_newton_reached_tol").asBoolean());
    assertTrue(r.out().contains("NOT MEANINGFUL"), r.out());
  }

  @Test
  void aMeasurementThatDoesNotFitIsRefused() {
    IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
        () -> io.lowrank.experiment.Bench.requireCached("the measurements", 3, 4));
    assertTrue(e.getMessage().startsWith("only 3 of 4 partitions of the measurements fit in Spark's storage memory"),
        e.getMessage());
    io.lowrank.experiment.Bench.requireCached("the measurements", 4, 4);
  }
}
