package io.lowrank.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lowrank.SparkTestSession;
import io.lowrank.data.Block;
import io.lowrank.data.GaussianPhaseRetrieval;
import io.lowrank.linalg.Linalg;
import io.lowrank.model.BlockKernel;
import io.lowrank.model.VectorSum;
import io.lowrank.solve.Result;
import io.lowrank.solve.Trace;
import io.lowrank.solve.phase.PhaseRetrievalProblem;
import io.lowrank.solve.phase.SmoothingNewton;
import io.lowrank.solve.phase.SmoothingSchedule;
import io.lowrank.solve.phase.SpectralInitializer;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.storage.StorageLevel;
import org.junit.jupiter.api.Test;

/** The Spark backend gives the in-process backend's iterates, whatever the partition count. */
class SparkEngineTest {
  private final JavaSparkContext jsc = SparkTestSession.jsc();
  // Small blocks so that 7 partitions each hold several.
  private final GaussianPhaseRetrieval instance = new GaussianPhaseRetrieval(1600, 40, 31L, 0.0, 50);

  private Result solve(Engine engine, SmoothingSchedule schedule, SmoothingNewton.Hessian hessian) {
    PhaseRetrievalProblem p = PhaseRetrievalProblem.setUp(engine, instance.truth());
    double[] x0 = SpectralInitializer.defaults(5L).initialize(p);
    return new SmoothingNewton(SmoothingNewton.Options.smoothing(schedule, hessian, 1e-10, 30)).solve(p, x0);
  }

  private static void assertSameIterates(Result expected, Result actual) {
    List<Trace.Record> e = expected.trace().records();
    List<Trace.Record> a = actual.trace().records();
    assertEquals(e.size(), a.size(), "iteration count");
    // Summation order differs, so sums agree to rounding relative to the terms summed (scale: the start's loss);
    // near the solution the loss is a cancellation of much larger terms.
    double scale = e.get(0).loss();
    for (int t = 0; t < e.size(); t++) {
      assertEquals(e.get(t).loss(), a.get(t).loss(), 1e-12 * scale, "loss at iteration " + t);
      assertEquals(e.get(t).passes(), a.get(t).passes(), "passes at iteration " + t);
    }
    double[] x = expected.estimate();
    assertTrue(Linalg.norm(Linalg.minus(x, actual.estimate())) <= 1e-12 * Linalg.norm(x));
    assertEquals(expected.status(), actual.status());
  }

  @Test
  void sparkMatchesInProcessAndPartitionCountDoesNotMatter() {
    // 1 and 7 partitions: one job merged on the driver; 20: more than 16, a tree reduce.
    SmoothingSchedule loss = new SmoothingSchedule.LossBased(1, 0.8);
    Result local = solve(new LocalEngine(instance.blocks()), loss, SmoothingNewton.Hessian.GAUSS_NEWTON);
    for (int partitions : new int[] {1, 7, 20}) {
      try (SparkEngine spark = SparkEngine.generated(jsc, instance, partitions, "test", StorageLevel.MEMORY_ONLY())) {
        assertEquals(partitions, spark.partitions());
        assertEquals(1600, spark.rows());
        assertSameIterates(local, solve(spark, loss, SmoothingNewton.Hessian.GAUSS_NEWTON));
      }
    }
  }

  @Test
  void fullHessianAndQuantileScheduleAgreeAcrossBackends() {
    SmoothingSchedule quantile = new SmoothingSchedule.QuantileBased(0.9, 1, 0.8);
    Result local = solve(new LocalEngine(instance.blocks()), quantile, SmoothingNewton.Hessian.FULL);
    // 3 partitions: merged on the driver; 20: a tree reduce, whose levels ship merged sketches on.
    for (int partitions : new int[] {3, 20}) {
      try (SparkEngine spark = SparkEngine.generated(jsc, instance, partitions, "test", StorageLevel.MEMORY_ONLY())) {
        Result distributed = solve(spark, quantile, SmoothingNewton.Hessian.FULL);
        // The KLL sketch's compaction depends on how values are split over partitions, so μ (a quantile
        // estimate) may differ slightly; the solution must not.
        double[] x = local.estimate();
        assertTrue(Linalg.norm(Linalg.minus(x, distributed.estimate())) <= 1e-10 * Linalg.norm(x), partitions + "");
        assertEquals(local.status(), distributed.status());
      }
    }
  }

  /** Σ over blocks of rows · state[block id]: reads a state far larger than the closure limit. */
  private static final class LargeStateKernel implements BlockKernel<double[], VectorSum> {
    @Override
    public VectorSum zero(double[] state) {
      return new VectorSum(1);
    }

    @Override
    public void add(VectorSum acc, Block block, double[] state) {
      acc.sum[0] += block.rows * state[(int) block.id];
    }
  }

  @Test
  void aStateBeyondTheClosureLimitTravelsByBroadcast() {
    double[] state = new double[200_000]; // 1.6 MB serialised: its own broadcast
    for (int i = 0; i < state.length; i++) {
      state[i] = 1.0 + i % 7;
    }
    double expected = new LocalEngine(instance.blocks()).pass("large state", state, new LargeStateKernel()).sum[0];
    try (SparkEngine spark = SparkEngine.generated(jsc, instance, 3, "test", StorageLevel.MEMORY_ONLY())) {
      assertEquals(expected, spark.pass("large state", state, new LargeStateKernel()).sum[0], 0.0);
      assertEquals(1, spark.passes());
      assertEquals(1, spark.broadcastPasses());
      double[] small = java.util.Arrays.copyOf(state, 1000); // 8 KB: in the closure
      assertEquals(new LocalEngine(instance.blocks()).pass("small state", small, new LargeStateKernel()).sum[0],
          spark.pass("small state", small, new LargeStateKernel()).sum[0], 0.0);
      assertEquals(1, spark.broadcastPasses());
    }
  }

  @Test
  void closingReleasesTheCachedBlocks() {
    SparkEngine spark = SparkEngine.generated(jsc, instance, 2, "test", StorageLevel.MEMORY_ONLY());
    assertTrue(spark.cachedBytes() > 0);
    assertEquals(2, spark.cachedPartitions());
    spark.close();
    assertEquals(0, spark.cachedBytes());
    assertEquals(0, spark.cachedPartitions());
  }

  /** Partitions that are not in storage (here none are kept) are reported, so a bench can refuse to time them. */
  @Test
  void partitionsOutsideTheCacheAreCounted() {
    try (SparkEngine spark = SparkEngine.generated(jsc, instance, 3, "test", StorageLevel.NONE())) {
      assertEquals(3, spark.partitions());
      assertEquals(0, spark.cachedPartitions());
    }
  }
}
