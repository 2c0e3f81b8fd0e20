package io.lowrank.model.factor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.lowrank.data.Block;
import io.lowrank.model.Loss;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Both operators against explicit d1×d2 matrices A_i; the loss pass's gradients against finite differences. */
class FactorOperatorTest {
  private static final int D1 = 5;
  private static final int D2 = 4;
  private static final int C = 2;

  /** Entries with repeated and diagonal positions, and the same measurements as explicit dense A_i. */
  private record Instance(Block entries, Block dense, double[][] matrices) {}

  private static Instance instance(boolean symmetric, int n, long seed) {
    Random rnd = new Random(seed);
    int d2 = symmetric ? D1 : D2;
    double[] e = new double[n * 3];
    double[] a = new double[n * D1 * d2];
    double[] y = new double[n];
    double[][] mats = new double[n][];
    for (int k = 0; k < n; k++) {
      int i = rnd.nextInt(D1);
      int j = k % 7 == 0 && symmetric ? i : rnd.nextInt(d2);
      double w = 0.3 + rnd.nextDouble();
      e[k] = i;
      e[k + n] = j;
      e[k + 2 * n] = w;
      double[] m = new double[D1 * d2];
      if (symmetric) {
        m[i + j * D1] += w / 2;
        m[j + i * D1] += w / 2;
      } else {
        m[i + j * D1] = w;
      }
      mats[k] = m;
      for (int t = 0; t < m.length; t++) {
        a[k + t * n] = m[t];
      }
      y[k] = rnd.nextGaussian();
    }
    return new Instance(new Block(0, n, 3, e, y), new Block(0, n, D1 * d2, a, y.clone()), mats);
  }

  private static double[] gaussian(int len, Random rnd) {
    double[] x = new double[len];
    for (int i = 0; i < len; i++) {
      x[i] = rnd.nextGaussian();
    }
    return x;
  }

  private static double inner(double[] m, double[] p, double[] q, int d1, int d2) {
    double s = 0;
    for (int r = 0; r < d1; r++) {
      for (int c = 0; c < d2; c++) {
        double pq = 0;
        for (int k = 0; k < C; k++) {
          pq += p[r + k * d1] * q[c + k * d2];
        }
        s += m[r + c * d1] * pq;
      }
    }
    return s;
  }

  @Test
  void measureAndAdjointMatchExplicitMatrices() {
    for (boolean symmetric : new boolean[] {false, true}) {
      int d2 = symmetric ? D1 : D2;
      Instance in = instance(symmetric, 40, symmetric ? 3 : 4);
      Random rnd = new Random(9);
      double[] p = gaussian(D1 * C, rnd);
      double[] q = symmetric ? p : gaussian(d2 * C, rnd);
      double[] phi = gaussian(40, rnd);
      double[] v = gaussian(d2 * C, rnd);
      double[] u = gaussian(D1 * C, rnd);
      // Expected: ⟨A_i, P Q^T⟩ and [G V ; G^T U] with G = Σ φ_i A_i formed explicitly.
      double[] expectedMeasure = new double[40];
      double[] g = new double[D1 * d2];
      for (int k = 0; k < 40; k++) {
        expectedMeasure[k] = inner(in.matrices[k], p, q, D1, d2);
        for (int t = 0; t < g.length; t++) {
          g[t] += phi[k] * in.matrices[k][t];
        }
      }
      double[] expectedAdjoint = new double[symmetric ? D1 * C : (D1 + d2) * C];
      for (int k = 0; k < C; k++) {
        for (int r = 0; r < D1; r++) {
          for (int c = 0; c < d2; c++) {
            expectedAdjoint[r + k * D1] += g[r + c * D1] * v[c + k * d2];
            if (!symmetric) {
              expectedAdjoint[D1 * C + c + k * d2] += g[r + c * D1] * u[r + k * D1];
            }
          }
        }
      }
      FactorOperator[] ops = symmetric
          ? new FactorOperator[] {EntryOperator.symmetric(D1), DenseOperator.symmetric(D1)}
          : new FactorOperator[] {EntryOperator.asymmetric(D1, D2), DenseOperator.asymmetric(D1, D2)};
      for (FactorOperator op : ops) {
        Block block = op instanceof EntryOperator ? in.entries : in.dense;
        double[] out = new double[40];
        op.measure(block, p, q, C, out);
        assertArrayEquals(expectedMeasure, out, 1e-12, op.name() + " measure, symmetric " + symmetric);
        double[] acc = new double[op.adjointLength(C)];
        op.addAdjoint(block, phi, v, u, C, acc);
        assertArrayEquals(expectedAdjoint, op.applyAdjoint(acc, v, u, C), 1e-12,
            op.name() + " adjoint, symmetric " + symmetric);
      }
    }
  }

  @Test
  void lossPassGradientsMatchFiniteDifferences() {
    Loss[] losses = {Loss.l2(), Loss.of("huber", 2, 0.5), Loss.of("lq", 1.5, 0)};
    for (boolean symmetric : new boolean[] {false, true}) {
      int d2 = symmetric ? D1 : D2;
      Instance in = instance(symmetric, 60, 11);
      FactorOperator op = symmetric ? EntryOperator.symmetric(D1) : EntryOperator.asymmetric(D1, D2);
      Random rnd = new Random(5);
      double[] p = gaussian(D1 * C, rnd);
      double[] q = symmetric ? p : gaussian(d2 * C, rnd);
      for (Loss loss : losses) {
        FactorKernel.State s = symmetric ? FactorKernel.State.at(op, loss, p, C)
            : FactorKernel.State.at(op, loss, p, q, C);
        double[] grad = FactorKernel.products(s, pass(s, in.entries));
        double[] x = symmetric ? p : concat(p, q);
        double h = 1e-6;
        for (int t = 0; t < x.length; t++) {
          double[] plus = x.clone();
          double[] minus = x.clone();
          plus[t] += h;
          minus[t] -= h;
          double fd = (value(op, loss, plus, symmetric, in.entries) - value(op, loss, minus, symmetric, in.entries))
              / (2 * h);
          // Σ ρ(⟨A_i, W W^T⟩ − y_i) has gradient 2 G W (A_i symmetric); W1 W2^T has G W2 and G^T W1.
          double analytic = symmetric ? 2 * grad[t] : grad[t];
          assertEquals(fd, analytic, 1e-6 * Math.max(1, Math.abs(fd)), loss.describe() + " coordinate " + t);
        }
      }
    }
  }

  private static FactorStats pass(FactorKernel.State s, Block block) {
    return new FactorKernel().fold(List.of(block).iterator(), s);
  }

  private static double value(FactorOperator op, Loss loss, double[] x, boolean symmetric, Block block) {
    FactorKernel.State s = symmetric ? FactorKernel.State.at(op, loss, x, C)
        : FactorKernel.State.at(op, loss, java.util.Arrays.copyOf(x, D1 * C),
            java.util.Arrays.copyOfRange(x, D1 * C, x.length), C);
    return pass(s, block).sumLoss;
  }

  private static double[] concat(double[] a, double[] b) {
    double[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  @Test
  void outOfRangeAndFractionalIndicesAreNamed() {
    Block bad = new Block(7, 1, 3, new double[] {2.5, 0, 1}, new double[] {0});
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> EntryOperator.asymmetric(4, 4).measure(bad, new double[4], new double[4], 1, new double[1]));
    assertEquals("block 7, entry 0: i = 2.5 is not an integer in [0, 4)", e.getMessage());
  }
}
