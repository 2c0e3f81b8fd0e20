package io.lowrank.run;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lowrank.SparkTestSession;
import io.lowrank.data.Block;
import io.lowrank.io.FactorFile;
import io.lowrank.io.Format;
import io.lowrank.io.OperatorFile;
import io.lowrank.model.Loss;
import io.lowrank.model.factor.DenseOperator;
import io.lowrank.solve.factor.FactorProblem;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The factored entry point: an asymmetric operator file as engine, {@link DenseOperator} and truth factors. */
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

  /** ops.csv: 40 Gaussian 3×4 A_i with y_i = ⟨A_i, X* Y*ᵀ⟩; x.truth (X*), y.truth (Y*) and z.truth (Y* of rank 1). */
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
    Configuration conf = new Configuration();
    FactorFile.write(tmp.resolve("x.truth").toString(), x, D1, R, conf);
    FactorFile.write(tmp.resolve("y.truth").toString(), y, D2, R, conf);
    FactorFile.write(tmp.resolve("z.truth").toString(), java.util.Arrays.copyOf(y, D2), D2, 1, conf);
  }

  private static SensingSettings asymmetric(String truthY) {
    return SensingSettings.defaults().with("shape", D1 + "x" + D2).with("truth-y", truthY);
  }

  @Test
  void anAsymmetricFileLoadsAsDenseBlocksWithItsTruth() {
    SparkSession spark = SparkTestSession.get();
    try (OperatorFiles.Factored f = OperatorFiles.loadFactored(spark, Input.path(tmp.resolve("ops.csv").toString()),
        Truth.file(tmp.resolve("x.truth").toString()), asymmetric(tmp.resolve("y.truth").toString()))) {
      assertEquals(new OperatorFile.Shape(D1, D2), f.shape());
      assertFalse(f.operator().symmetric());
      assertEquals(D1, f.operator().rows());
      assertEquals(D2, f.operator().cols());
      assertEquals(M, f.engine().rows());
      assertEquals(R, f.truthRank());
      assertArrayEquals(x, f.truthLeft(), 0.0);
      assertArrayEquals(y, f.truthRight(), 0.0);
      FactorProblem p = new FactorProblem(f.engine(), f.operator(), Loss.l2(), f.truthLeft(), f.truthRight(),
          f.truthRank());
      // The responses mean what they say: zero residuals at the truth (sums of 12 O(1) products: rounding only), and
      // at W1 = W2 = 0 the mean l2 loss (1/m) Σ y_i²/2.
      assertTrue(p.evaluate(x, y, R).loss() <= 1e-26, "loss at the truth " + p.evaluate(x, y, R).loss());
      assertEquals(0.5 * sumY2 / M, p.evaluate(new double[D1], new double[D2], 1).loss(), 1e-12 * sumY2);
      assertEquals(0, p.relativeError(x, y, R), 1e-15);
    }
  }

  @Test
  void aSquareFileLoadsWithTheSymmetricModelUnlessAsymmetric() {
    // The same 12 columns read as 2x6 asymmetric and, with --shape absent, refused (12 is not a square).
    SparkSession spark = SparkTestSession.get();
    Input in = Input.path(tmp.resolve("ops.csv").toString());
    try (OperatorFiles.Factored f = OperatorFiles.loadFactored(spark, in, Truth.none(),
        SensingSettings.defaults().with("shape", "2x6"))) {
      assertFalse(f.operator().symmetric());
      assertEquals(null, f.truthLeft());
    }
    String m = assertThrows(IllegalArgumentException.class, () -> OperatorFiles.loadFactored(spark, in, Truth.none(),
        SensingSettings.defaults())).getMessage();
    assertTrue(m.contains("12 sensing columns") && m.contains("not a square"), m);
  }

  @Test
  void truthFactorsThatDisagreeAreRefused() {
    SparkSession spark = SparkTestSession.get();
    Input in = Input.path(tmp.resolve("ops.csv").toString());
    Truth xTruth = Truth.file(tmp.resolve("x.truth").toString());
    String rank = assertThrows(IllegalArgumentException.class, () -> OperatorFiles.loadFactored(spark, in, xTruth,
        asymmetric(tmp.resolve("z.truth").toString()))).getMessage();
    assertTrue(rank.contains("z.truth") && rank.contains("1 columns but X* has 2"), rank);
    String rows = assertThrows(IllegalArgumentException.class, () -> OperatorFiles.loadFactored(spark, in,
        Truth.file(tmp.resolve("y.truth").toString()), asymmetric(tmp.resolve("x.truth").toString()))).getMessage();
    assertTrue(rows.contains("y.truth") && rows.contains("4 rows, expected d = 3"), rows);
    String missing = assertThrows(IllegalArgumentException.class, () -> OperatorFiles.loadFactored(spark, in, xTruth,
        asymmetric(""))).getMessage();
    assertTrue(missing.contains("--truth-y"), missing);
  }
}
