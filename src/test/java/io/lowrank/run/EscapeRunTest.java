package io.lowrank.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lowrank.SparkTestSession;
import io.lowrank.solve.escape.EscapeEvent;
import org.junit.jupiter.api.Test;

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
}
