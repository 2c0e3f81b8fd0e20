package io.lowrank.solve.denoise;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lowrank.SparkTestSession;
import io.lowrank.data.SpikedMatrix;
import io.lowrank.engine.LocalEngine;
import io.lowrank.engine.SparkEngine;
import io.lowrank.linalg.Linalg;
import org.apache.spark.storage.StorageLevel;
import org.junit.jupiter.api.Test;

/** Denoising GD on local Spark gives the in-process iterates, whatever the partition count. */
class SparkDenoisingTest {
  @Test
  void sparkMatchesInProcess() {
    SpikedMatrix inst = new SpikedMatrix(120, 200, 1.5, 9L, 16);
    SphericalGradientDescent gd = new SphericalGradientDescent(new SphericalGradientDescent.Options(0.1, 30, 0));
    SphericalGradientDescent.Run local = gd.solve(new DenoisingProblem(new LocalEngine(inst.blocks()), 1, inst.u(),
        inst.v()), inst.initialX(0.3), inst.initialY(0.2));
    try (SparkEngine spark = SparkEngine.generated(SparkTestSession.jsc(), inst, 3, "denoise-test",
        StorageLevel.MEMORY_ONLY())) {
      assertEquals(120, spark.rows());
      assertEquals(200, spark.dimension());
      SphericalGradientDescent.Run dist = gd.solve(new DenoisingProblem(spark, 1, inst.u(), inst.v()),
          inst.initialX(0.3), inst.initialY(0.2));
      assertEquals(local.size(), dist.size());
      assertEquals(31, dist.result().passes());
      for (int k = 0; k < local.size(); k++) {
        assertEquals(local.overlapU()[k], dist.overlapU()[k], 1e-12);
        assertEquals(local.mu()[k], dist.mu()[k], 1e-12);
      }
      assertTrue(Linalg.norm(Linalg.minus(local.y(), dist.y())) < 1e-12);
    }
  }
}
