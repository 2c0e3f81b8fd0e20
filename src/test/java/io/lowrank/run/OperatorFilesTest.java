package io.lowrank.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lowrank.SparkTestSession;
import io.lowrank.data.Block;
import io.lowrank.data.FactorTruth;
import io.lowrank.engine.SparkEngine;
import io.lowrank.io.Format;
import io.lowrank.io.OperatorFile;
import io.lowrank.model.Loss;
import io.lowrank.model.factor.DenseOperator;
import io.lowrank.solve.factor.FactorProblem;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The factored entry point: an asymmetric operator file as cached rows, {@link DenseOperator} and its truth. */
class OperatorFilesTest {
  private static final int D1 = 3;
  private static final int D2 = 4;
  private static final int R = 2;
  private static final int M = 40;

  @TempDir
  static Path tmp;
  private static double[] x;
  private static double[] y;
  private static double sumY2;

  /** ops.csv: 40 Gaussian 3×4 A_i with y_i = ⟨A_i, X* Y*ᵀ⟩. */
  @BeforeAll
  static void files() {
    SparkSession spark = SparkTestSession.get();
    SplittableRandom rng = new SplittableRandom(8);
    x = new double[D1 * R];
    y = new double[D2 * R];
    for (int i = 0; i < x.length; i++) {
      x[i] = rng.nextGaussian();
    }
    for (int i = 0; i < y.length; i++) {
      y[i] = rng.nextGaussian();
    }
    double[] mstar = new double[D1 * D2];
    for (int r = 0; r < D1; r++) {
      for (int c = 0; c < D2; c++) {
        for (int k = 0; k < R; k++) {
          mstar[r + c * D1] += x[r + k * D1] * y[c + k * D2];
        }
      }
    }
    double[] a = new double[M * D1 * D2];
    double[] resp = new double[M];
    for (int i = 0; i < M; i++) {
      for (int q = 0; q < D1 * D2; q++) {
        a[i + q * M] = rng.nextGaussian();
        resp[i] += a[i + q * M] * mstar[q];
      }
      sumY2 += resp[i] * resp[i];
    }
    OperatorFile.write(spark, SparkTestSession.jsc().parallelize(List.of(new Block(0, M, D1 * D2, a, resp)), 1),
        tmp.resolve("ops.csv").toString(), Format.CSV, false);
  }

  private static SensingSettings asymmetric() {
    return SensingSettings.defaults().with("operator", "asymmetric").with("solver", "subgm");
  }

  private static FactorTruth truth() {
    return FactorTruth.of(x, D1, y, D2, R);
  }

  @Test
  void anAsymmetricFileLoadsAsDenseBlocksWithItsTruth() {
    SparkSession spark = SparkTestSession.get();
    // The shape comes from the truth (3x4); the file's 12 columns agree with it.
    OperatorFiles.Factored f = OperatorFiles.loadFactored(spark, Input.path(tmp.resolve("ops.csv").toString()),
        truth(), asymmetric());
    try (SparkEngine engine = new SparkEngine(SparkTestSession.jsc(), f.measurements().blocks(), "test",
        StorageLevel.MEMORY_ONLY())) {
      assertEquals(new OperatorFile.Shape(D1, D2), f.shape());
      assertFalse(f.operator().symmetric());
      assertEquals(D1, f.operator().rows());
      assertEquals(D2, f.operator().cols());
      assertEquals(M, engine.rows());
      FactorProblem p = new FactorProblem(engine, f.operator(), Loss.l2(), f.truth().left(), f.truth().right(),
          f.truth().rank());
      // The responses mean what they say: zero residuals at the truth (sums of 12 O(1) products: rounding only), and
      // at W1 = W2 = 0 the mean l2 loss (1/m) Σ y_i²/2.
      assertTrue(p.evaluate(x, y, R).loss() <= 1e-26, "loss at the truth " + p.evaluate(x, y, R).loss());
      assertEquals(0.5 * sumY2 / M, p.evaluate(new double[D1], new double[D2], 1).loss(), 1e-12 * sumY2);
      assertEquals(0, p.relativeError(x, y, R), 1e-15);
    }
  }

  @Test
  void theShapeIsSetOrSquareAndMustFitTheColumns() {
    SparkSession spark = SparkTestSession.get();
    Input in = Input.path(tmp.resolve("ops.csv").toString());
    OperatorFiles.Factored f = OperatorFiles.loadFactored(spark, in, null, asymmetric().with("d1", 2).with("d2", 6));
    assertEquals(new OperatorFile.Shape(2, 6), f.shape());
    assertEquals(null, f.truth());
    f.measurements().unpersist();
    String m = assertThrows(IllegalArgumentException.class, () -> OperatorFiles.loadFactored(spark, in, null,
        asymmetric())).getMessage();
    assertTrue(m.contains("12 sensing columns") && m.contains("not a square"), m);
    String other = assertThrows(IllegalArgumentException.class, () -> OperatorFiles.loadFactored(spark, in,
        FactorTruth.of(java.util.Arrays.copyOf(x, D1), D1, java.util.Arrays.copyOf(x, D1), D1, 1), asymmetric()))
        .getMessage();
    assertTrue(other.contains("truth X* Y*^T is 3x3") && other.contains("12 sensing columns"), other);
  }

  /** The factored run on the file: SubGM from the small random start recovers X* Y*ᵀ (m = 40 = 3.3 r*(d1 + d2)). */
  @Test
  void theFactoredRunRecoversTheTruthOfTheFile() {
    RunResult r = FactoredSensingRun.run(SparkTestSession.get(), Input.path(tmp.resolve("ops.csv").toString()),
        truth(), asymmetric().with("tol", 1e-6).with("max-iter", 3000).with("r", R));
    assertEquals("file (W1 W2^T)", r.summary().get("operator"));
    assertTrue((Double) r.summary().get("relative_error") <= 1e-6, r.summary().toString());
  }
}
