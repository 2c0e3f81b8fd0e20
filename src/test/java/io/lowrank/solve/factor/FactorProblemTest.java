package io.lowrank.solve.factor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.lowrank.data.Block;
import io.lowrank.engine.LocalEngine;
import io.lowrank.linalg.Linalg;
import io.lowrank.model.Loss;
import io.lowrank.model.factor.EntryOperator;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The factored problem's scaling (f a mean, gradients of that mean) and its factor-only relative error. */
class FactorProblemTest {
  private static double[] gaussian(int n, Random rnd) {
    double[] x = new double[n];
    for (int i = 0; i < n; i++) {
      x[i] = rnd.nextGaussian();
    }
    return x;
  }

  /** All entries of a d1×d2 matrix observed once, in two blocks, y = entries of X Y^T. */
  private static List<Block> fullObservation(int d1, int d2, double[] x, double[] y, int r) {
    double[] m = new double[d1 * d2];
    Linalg.gemm(false, true, d1, d2, r, 1.0, x, y, 0.0, m);
    List<Block> blocks = new ArrayList<>();
    int n = d1 * d2;
    int half = n / 2;
    for (int[] range : new int[][] {{0, half}, {half, n}}) {
      int rows = range[1] - range[0];
      double[] a = new double[rows * 3];
      double[] ys = new double[rows];
      for (int e = 0; e < rows; e++) {
        int t = range[0] + e;
        a[e] = t % d1;
        a[e + rows] = t / d1;
        a[e + 2 * rows] = 1;
        ys[e] = m[t];
      }
      blocks.add(new Block(blocks.size(), rows, 3, a, ys));
    }
    return blocks;
  }

  @Test
  void fullyObservedCompletionIsTheFrobeniusObjective() {
    int d1 = 7;
    int d2 = 5;
    int r = 2;
    Random rnd = new Random(1);
    double[] x = gaussian(d1 * r, rnd);
    double[] y = gaussian(d2 * r, rnd);
    try (LocalEngine engine = new LocalEngine(fullObservation(d1, d2, x, y, r))) {
      FactorProblem p = new FactorProblem(engine, EntryOperator.asymmetric(d1, d2), Loss.l2(), x, y, r);
      double[] w1 = gaussian(d1 * 3, rnd);
      double[] w2 = gaussian(d2 * 3, rnd);
      // With every entry observed once, f = ‖W1 W2^T − M*‖_F² / (2 d1 d2): relative error ties f to the truth norm.
      double[] diff = new double[d1 * d2];
      Linalg.gemm(false, true, d1, d2, 3, 1.0, w1, w2, 0.0, diff);
      Linalg.gemm(false, true, d1, d2, r, -1.0, x, y, 1.0, diff);
      double[] mStar = new double[d1 * d2];
      Linalg.gemm(false, true, d1, d2, r, 1.0, x, y, 0.0, mStar);
      double frob = Linalg.norm(diff);
      FactorProblem.Evaluation e = p.evaluate(w1, w2, 3);
      assertEquals(frob * frob / (2.0 * d1 * d2), e.loss(), 1e-12 * frob * frob);
      assertEquals(frob / Linalg.norm(mStar), p.relativeError(w1, w2, 3), 1e-12);
      // ∇_{W1} f = (W1 W2^T − M*) W2 / (d1 d2).
      double[] expected = new double[d1 * 3];
      Linalg.gemm(false, false, d1, 3, d2, 1.0 / (d1 * d2), diff, w2, 0.0, expected);
      for (int i = 0; i < expected.length; i++) {
        assertEquals(expected[i], e.left()[i], 1e-12);
      }
      assertEquals(0.0, p.relativeError(x, y, r), 1e-15);
      // A perturbation of relative size 1e-12 is resolved (the trace formula's floor was ~1e-8).
      double[] x2 = x.clone();
      for (int i = 0; i < x2.length; i++) {
        x2[i] *= 1 + 1e-12;
      }
      assertEquals(1e-12, p.relativeError(x2, y, r), 1e-15);
    }
  }
}
