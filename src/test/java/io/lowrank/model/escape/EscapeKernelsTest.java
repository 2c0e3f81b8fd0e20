package io.lowrank.model.escape;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.lowrank.data.Block;
import io.lowrank.data.EscapeToy;
import io.lowrank.data.PerturbedCompletion;
import io.lowrank.engine.LocalEngine;
import io.lowrank.model.VectorSum;
import io.lowrank.model.factor.DenseOperator;
import io.lowrank.model.factor.EntryOperator;
import io.lowrank.model.factor.FactorOperator;
import io.lowrank.model.factor.FactorStats;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The escape's probe passes against explicit matrices and tensors: the lifted objective from inner products against
 * the l-fold Kronecker powers formed outright (the toy, l = 3, r = 1 and 2), the measurement products and
 * A*A(P Q^T) V against dense A_i.
 */
class EscapeKernelsTest {
  private static final Random RND = new Random(11);

  /** The dense A_i (n×n, row-major [i][r][s]) and y of a set of blocks (symmetric parts). */
  private static double[][][] dense(List<Block> blocks, FactorOperator op, List<Double> ys) {
    int n = op.rows();
    List<double[][]> as = new ArrayList<>();
    for (Block b : blocks) {
      for (int e = 0; e < b.rows; e++) {
        double[][] a = new double[n][n];
        if (op instanceof EntryOperator) {
          int i = (int) b.a(e, 0);
          int j = (int) b.a(e, 1);
          double w = b.a(e, 2);
          a[i][j] += w / 2;
          a[j][i] += w / 2;
        } else {
          for (int r = 0; r < n; r++) {
            for (int s = 0; s < n; s++) {
              a[r][s] = 0.5 * (b.a(e, r + s * n) + b.a(e, s + r * n));
            }
          }
        }
        as.add(a);
        ys.add(b.y[e]);
      }
    }
    return as.toArray(new double[0][][]);
  }

  private static double[][] kron(double[][] x, double[][] y) {
    double[][] k = new double[x.length * y.length][x[0].length * y[0].length];
    for (int i = 0; i < x.length; i++) {
      for (int j = 0; j < x[0].length; j++) {
        for (int p = 0; p < y.length; p++) {
          for (int q = 0; q < y[0].length; q++) {
            k[i * y.length + p][j * y[0].length + q] = x[i][j] * y[p][q];
          }
        }
      }
    }
    return k;
  }

  private static double[][] power(double[][] x, int l) {
    double[][] k = x;
    for (int t = 1; t < l; t++) {
      k = kron(k, x);
    }
    return k;
  }

  private static double[][] matrix(double[] colMajor, int rows, int cols) {
    double[][] m = new double[rows][cols];
    for (int i = 0; i < rows; i++) {
      for (int j = 0; j < cols; j++) {
        m[i][j] = colMajor[i + j * rows];
      }
    }
    return m;
  }

  private static double[] gaussian(int n) {
    double[] x = new double[n];
    for (int i = 0; i < n; i++) {
      x[i] = RND.nextGaussian();
    }
    return x;
  }

  @Test
  void liftedObjectiveMatchesExplicitTensorsOnTheToy() {
    int n = 2;
    int l = 3;
    FactorOperator op = DenseOperator.symmetric(n);
    List<Block> blocks = new EscapeToy().blocks();
    List<Double> ys = new ArrayList<>();
    double[][][] as = dense(blocks, op, ys);
    for (int r = 1; r <= 2; r++) {
      List<double[]> factors = List.of(gaussian(n * r), gaussian(n * r), gaussian(n * r));
      double[][] weights = {{1, 0, 0}, {1, 0.3, 0}, {1, 0.7, -1.3}, {0.2, -0.5, 2}};
      double[] got;
      try (LocalEngine engine = new LocalEngine(blocks)) {
        VectorSum s = engine.pass("test", new LiftedObjectiveKernel.State(op, factors, r, l, weights),
            new LiftedObjectiveKernel());
        got = s.sum;
      }
      int big = (int) Math.pow(n, l);
      int wide = (int) Math.pow(r, l);
      for (int g = 0; g < weights.length; g++) {
        // w = Σ_j ω_j X_j^{⊗l} (n^l × r^l), F = Σ_i (⟨A_i^{⊗l}, w w^T⟩ − y_i^l)².
        double[][] w = new double[big][wide];
        for (int j = 0; j < 3; j++) {
          double[][] p = power(matrix(factors.get(j), n, r), l);
          for (int a = 0; a < big; a++) {
            for (int b = 0; b < wide; b++) {
              w[a][b] += weights[g][j] * p[a][b];
            }
          }
        }
        double f = 0;
        for (int i = 0; i < as.length; i++) {
          double[][] al = power(as[i], l);
          double v = 0;
          for (int a = 0; a < big; a++) {
            for (int b = 0; b < big; b++) {
              double ww = 0;
              for (int c = 0; c < wide; c++) {
                ww += w[a][c] * w[b][c];
              }
              v += al[a][b] * ww;
            }
          }
          double res = v - Math.pow(ys.get(i), l);
          f += res * res;
        }
        // Summation order differs (inner products first vs. 64-term tensor sums): relative 1e-10.
        assertEquals(f, got[g], 1e-10 * Math.max(1, Math.abs(f)), "r = " + r + ", grid point " + g);
      }
    }
  }

  @Test
  void measurementProductsAndNormalOperatorMatchDenseMatrices() {
    int n = 5;
    PerturbedCompletion pmc = new PerturbedCompletion(n, 0.2, 1, 7); // several blocks of 7 entries
    FactorOperator op = EntryOperator.symmetric(n);
    List<Block> blocks = pmc.blocks();
    List<Double> ys = new ArrayList<>();
    double[][][] as = dense(blocks, op, ys);
    double[] p = gaussian(n * 2);
    double[] q = gaussian(n * 2);
    double[] u = gaussian(n);
    double[] v = gaussian(n * 3);
    List<FactorPair> mats = List.of(new FactorPair(p, q, 2), FactorPair.gram(u, 1));
    try (LocalEngine engine = new LocalEngine(blocks)) {
      double[] sums = engine.pass("t", new MeasurementProductKernel.State(op, mats, new int[] {0, 0, 0, 1, 1, 1}),
          new MeasurementProductKernel()).sum;
      NormalOperatorKernel.State ns = new NormalOperatorKernel.State(op, p, q, 2, v, null, 3);
      FactorStats stats = engine.pass("t", ns, new NormalOperatorKernel());
      double[] got = NormalOperatorKernel.product(ns, stats);
      double[][] pq = new double[n][n];
      double[][] uu = new double[n][n];
      for (int i = 0; i < n; i++) {
        for (int j = 0; j < n; j++) {
          for (int k = 0; k < 2; k++) {
            pq[i][j] += p[i + k * n] * q[j + k * n];
          }
          uu[i][j] = u[i] * u[j];
        }
      }
      double s00 = 0;
      double s01 = 0;
      double s11 = 0;
      double[][] adj = new double[n][n];
      for (double[][] a : as) {
        double m0 = 0;
        double m1 = 0;
        for (int i = 0; i < n; i++) {
          for (int j = 0; j < n; j++) {
            m0 += a[i][j] * pq[i][j];
            m1 += a[i][j] * uu[i][j];
          }
        }
        s00 += m0 * m0;
        s01 += m0 * m1;
        s11 += m1 * m1;
        for (int i = 0; i < n; i++) {
          for (int j = 0; j < n; j++) {
            adj[i][j] += m0 * a[i][j];
          }
        }
      }
      assertEquals(s00, sums[0], 1e-12 * s00);
      assertEquals(s01, sums[1], 1e-12 * Math.abs(s00));
      assertEquals(s11, sums[2], 1e-12 * s11);
      for (int i = 0; i < n; i++) {
        for (int c = 0; c < 3; c++) {
          double want = 0;
          for (int j = 0; j < n; j++) {
            want += adj[i][j] * v[j + c * n];
          }
          assertEquals(want, got[i + c * n], 1e-12 * (1 + Math.abs(want)));
        }
      }
    }
  }

  @Test
  void frobeniusFromFactors() {
    double[] p = gaussian(8);
    double[] q = gaussian(6);
    double want = 0;
    for (int i = 0; i < 4; i++) {
      for (int j = 0; j < 3; j++) {
        double m = p[i] * q[j] + p[i + 4] * q[j + 3];
        want += m * m;
      }
    }
    FactorPair pq = new FactorPair(p, q, 2);
    assertEquals(want, pq.frobeniusSquared(4, 3), 1e-12 * want);
  }
}
