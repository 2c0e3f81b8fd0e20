package io.lowrank.model.sensing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.lowrank.data.Block;
import io.lowrank.data.GaussianSensing;
import io.lowrank.data.LowRankTruth;
import io.lowrank.data.Outliers;
import io.lowrank.data.PackedSymmetric;
import io.lowrank.model.factor.DenseOperator;
import io.lowrank.model.factor.FactorOperator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The packed Gaussian operators (stored and generated on the fly) as {@link FactorOperator}s against
 * {@link DenseOperator} on the same matrices: each packed row unpacked to the full symmetric A_i (off-diagonal
 * entries p/√2), so the two layouts must agree on ⟨A_i, P Q^T⟩ and on A*(φ) V to rounding.
 */
class PackedFactorOperatorTest {
  private static final int D = 6;
  private static final long M = 150;
  private static final int C = 3;
  // Sums of ~d² products of O(1/√m) terms: 1e-12 absolute is far above rounding (~1e-15) and far below any error.
  private static final double TOL = 1e-12;

  private static GaussianSensing instance(boolean stored) {
    LowRankTruth truth = LowRankTruth.generate(D, 2, 3, 5);
    Outliers out = new Outliers(0.2, Outliers.Kind.GAUSSIAN, 1);
    return stored ? GaussianSensing.stored(truth, M, 5, 0, out, 64) : GaussianSensing.onTheFly(truth, M, 5, 0, out, 64);
  }

  /** The stored block as a dense block: row i = vec(A_i) column-major. */
  private static Block dense(Block packed) {
    int n = packed.rows;
    int p = PackedSymmetric.length(D);
    double[] a = new double[n * D * D];
    double[] row = new double[p];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < p; j++) {
        row[j] = packed.a[i + j * n];
      }
      double[] full = PackedSymmetric.unpack(row, D);
      for (int t = 0; t < D * D; t++) {
        a[i + t * n] = full[t];
      }
    }
    return new Block(packed.id, n, D * D, a, packed.y);
  }

  private static double[] gaussian(int n, Random rnd) {
    double[] x = new double[n];
    for (int i = 0; i < n; i++) {
      x[i] = rnd.nextGaussian();
    }
    return x;
  }

  @Test
  void storedAndGeneratedAgreeWithTheDenseOperator() {
    GaussianSensing stored = instance(true);
    GaussianSensing fly = instance(false);
    FactorOperator packedOp = new PackedGaussianOperator(D, M);
    FactorOperator flyOp = new GeneratedGaussianOperator(fly);
    FactorOperator denseOp = DenseOperator.symmetric(D);
    List<Block> sb = stored.blocks();
    List<Block> fb = fly.blocks();
    Random rnd = new Random(11);
    double[] p = gaussian(D * C, rnd);
    double[] q = gaussian(D * C, rnd);
    double[] v = gaussian(D * C, rnd);
    double[] accPacked = new double[packedOp.adjointLength(C)];
    double[] accFly = new double[flyOp.adjointLength(C)];
    double[] accDense = new double[denseOp.adjointLength(C)];
    for (int b = 0; b < sb.size(); b++) {
      Block packed = sb.get(b);
      Block full = dense(packed);
      int n = packed.rows;
      for (double[][] pq : new double[][][] {{p, p}, {p, q}}) {
        double[] want = new double[n];
        double[] got = new double[n];
        double[] gotFly = new double[n];
        denseOp.measure(full, pq[0], pq[1], C, want);
        packedOp.measure(packed, pq[0], pq[1], C, got);
        flyOp.measure(fb.get(b), pq[0], pq[1], C, gotFly);
        for (int i = 0; i < n; i++) {
          assertEquals(want[i], got[i], TOL, "stored, row " + i);
          assertEquals(want[i], gotFly[i], TOL, "generated, row " + i);
        }
      }
      double[] phi = gaussian(n, rnd);
      denseOp.addAdjoint(full, phi, v, v, C, accDense);
      packedOp.addAdjoint(packed, phi, v, v, C, accPacked);
      flyOp.addAdjoint(fb.get(b), phi, v, v, C, accFly);
    }
    double[] want = denseOp.applyAdjoint(accDense, v, v, C);
    double[] got = packedOp.applyAdjoint(accPacked, v, v, C);
    double[] gotFly = flyOp.applyAdjoint(accFly, v, v, C);
    assertEquals(D * C, got.length);
    for (int t = 0; t < want.length; t++) {
      assertEquals(want[t], got[t], TOL, "A*(phi) V, stored, entry " + t);
      assertEquals(want[t], gotFly[t], TOL, "A*(phi) V, generated, entry " + t);
    }
  }

  @Test
  void blocksOfTheOtherLayoutAreRefused() {
    FactorOperator packedOp = new PackedGaussianOperator(D, M);
    FactorOperator flyOp = new GeneratedGaussianOperator(instance(false));
    Block stored = instance(true).blocks().get(0);
    Block yOnly = instance(false).blocks().get(0);
    double[] w = new double[D];
    double[] out = new double[stored.rows];
    assertThrows(IllegalArgumentException.class, () -> packedOp.measure(yOnly, w, w, 1, out));
    assertThrows(IllegalArgumentException.class, () -> flyOp.measure(stored, w, w, 1, out));
    assertThrows(IllegalArgumentException.class, () -> packedOp.measure(stored, new double[D + 1], w, 1, out));
  }
}
