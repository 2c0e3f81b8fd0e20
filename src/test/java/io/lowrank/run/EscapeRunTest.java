package io.lowrank.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lowrank.SparkTestSession;
import io.lowrank.solve.Status;
import io.lowrank.solve.escape.EscapeEvent;
import io.lowrank.solve.escape.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Spark = in-process: the same escape run on local Spark (3 partitions of 9-entry blocks) and in one JVM. */
class EscapeRunTest {
  @Test
  void sparkMatchesInProcess() {
    EscapeSettings s = EscapeSettings.defaults().with("n", 5).with("epsilon", 0.15).with("block-rows", 9)
        .with("gated", false).with("delta-samples", 200).withPartitions(3).withSeed(1001);
    EscapeRun.Outcome spark = EscapeRun.run(SparkTestSession.get(), s);
    EscapeRun.Outcome local = EscapeRun.runInProcess(s, 1);
    assertEquals(local.outcome().status(), spark.outcome().status());
    assertEquals(local.outcome().steps(), spark.outcome().steps());
    assertEquals(local.outcome().events().size(), spark.outcome().events().size());
    assertTrue(local.outcome().events().stream().anyMatch(EscapeEvent::accepted), "the run escapes at least once");
    // Sums in another order (partitions, tree merge): relative 1e-12 per pass, damped by the descent toward the
    // same minimum; 1e-8 on quantities of order 1 leaves room for the thousands of steps in between.
    for (int k = 0; k < local.outcome().events().size(); k++) {
      EscapeEvent a = local.outcome().events().get(k);
      EscapeEvent b = spark.outcome().events().get(k);
      assertEquals(a.step(), b.step());
      assertEquals(a.lambda(), b.lambda(), 1e-8);
      assertEquals(a.efs(), b.efs(), 1e-8);
      assertEquals(a.liftedSteps(), b.liftedSteps());
      assertEquals(a.term(), b.term());
      assertEquals(a.accepted(), b.accepted());
    }
    double[] x = local.outcome().estimate();
    double[] y = spark.outcome().estimate();
    for (int i = 0; i < x.length; i++) {
      assertEquals(x[i], y[i], 1e-8);
    }
    assertEquals(local.outcome().distance(), spark.outcome().distance(), 1e-8);
  }

  /**
   * A stall without negative curvature under a gradient tolerance: descent goes on from it without stopping at its
   * first row on the same gradient test (which analysed the same point again and again, never taking a step). Here every
   * stall counts as one (min-curvature 10), so the paper's n = 3 run descends to its step budget and stops.
   */
  @Test
  void aStallWithoutNegativeCurvatureUnderAGradientToleranceKeepsDescending(@TempDir Path tmp) throws Exception {
    Path x0 = tmp.resolve("x0.csv");
    // The SOD notebook's start of the n = 3 run: GD stalls at its spurious minimum.
    Files.writeString(x0, "-0.0031972367326162537\n-0.011497211087352351\n0.004471373514569678\n");
    EscapeSettings s = EscapeSettings.defaults().with("x0", x0.toString()).with("gd.gradient-tol", 1e-3)
        .with("min-curvature", 10).with("gd.steps", 3000).with("gd.total-steps", 12_000).with("delta-samples", 50);
    EscapeRun.Outcome o = assertTimeoutPreemptively(Duration.ofMinutes(5), () -> EscapeRun.runInProcess(s, 1));
    assertEquals(12_000, o.outcome().steps());
    assertEquals(Status.MAX_ITER, o.outcome().status());
    assertEquals(0, o.outcome().escapes());
    assertTrue(o.outcome().events().size() >= 1 && o.outcome().events().stream()
        .allMatch(e -> e.method() == Method.NONE), o.outcome().events().toString());
  }

  /**
   * A start file is a point, not a truth: a rank-deficient X₀ (here a zero second column, the rank-deficient stall
   * the β-collapse fills) is read as it is; a wrong width is refused naming the start file.
   */
  @Test
  void aRankDeficientStartIsAStartNotABadTruth(@TempDir Path tmp) throws Exception {
    Path x0 = tmp.resolve("x0.csv");
    Files.writeString(x0, "0.5,0\n0.1,0\n-0.3,0\n0.2,0\n");
    EscapeSettings s = EscapeSettings.defaults().with("n", 4).with("truth-rank", 2).with("x0", x0.toString());
    EscapeRun.Instance inst = EscapeRun.instance(s);
    double[] x = EscapeRun.start(s, new org.apache.hadoop.conf.Configuration(), inst);
    assertEquals(java.util.List.of(0.5, 0.1, -0.3, 0.2, 0.0, 0.0, 0.0, 0.0),
        java.util.Arrays.stream(x).boxed().toList()); // column-major
    Files.writeString(x0, "0.5\n0.1\n-0.3\nx\n");
    String msg = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
        () -> EscapeRun.start(s, new org.apache.hadoop.conf.Configuration(), inst)).getMessage();
    assertTrue(msg.startsWith("start file (escape.x0) " + x0 + ", line 4: 'x' is not a number"), msg);
  }
}
