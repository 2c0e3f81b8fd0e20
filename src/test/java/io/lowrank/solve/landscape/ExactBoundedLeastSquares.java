package io.lowrank.solve.landscape;

import io.lowrank.linalg.Linalg;
import java.util.List;

/**
 * min over s ∈ [−1, 1]^n of ‖g + Σ s_i b_i‖ by enumeration, independent of {@link BoundedLeastSquares}: some minimiser
 * has linearly independent free columns (move along a null direction of the free columns until a bound is hit: the
 * value does not change), so it is enough to try every set F of at most q free indices with every ±1 assignment of the
 * others, solve the free least squares exactly (normal equations by Gaussian elimination) and keep the feasible ones.
 */
final class ExactBoundedLeastSquares {
  private ExactBoundedLeastSquares() {}

  static double min(List<double[]> b, double[] g) {
    int n = b.size();
    int q = g.length;
    double best = Double.POSITIVE_INFINITY;
    int[] state = new int[n]; // 0 free, 1 = +1, 2 = −1
    long total = (long) Math.pow(3, n);
    for (long code = 0; code < total; code++) {
      long c = code;
      int free = 0;
      for (int i = 0; i < n; i++) {
        state[i] = (int) (c % 3);
        c /= 3;
        free += state[i] == 0 ? 1 : 0;
      }
      if (free > q) {
        continue;
      }
      double[] f = g.clone();
      int[] idx = new int[free];
      int k = 0;
      for (int i = 0; i < n; i++) {
        if (state[i] == 0) {
          idx[k++] = i;
        } else {
          Linalg.axpy(state[i] == 1 ? 1 : -1, b.get(i), f);
        }
      }
      double[] s = solveFree(b, idx, f);
      if (s == null) {
        continue;
      }
      boolean feasible = true;
      double[] v = f.clone();
      for (int j = 0; j < free; j++) {
        feasible &= Math.abs(s[j]) <= 1 + 1e-12;
        Linalg.axpy(s[j], b.get(idx[j]), v);
      }
      if (feasible) {
        best = Math.min(best, Linalg.norm(v));
      }
    }
    return best;
  }

  /** argmin ‖f + B_F s‖ (normal equations), or null when B_F is rank-deficient. */
  private static double[] solveFree(List<double[]> b, int[] idx, double[] f) {
    int k = idx.length;
    double[][] a = new double[k][k + 1];
    for (int i = 0; i < k; i++) {
      for (int j = 0; j < k; j++) {
        a[i][j] = Linalg.dot(b.get(idx[i]), b.get(idx[j]));
      }
      a[i][k] = -Linalg.dot(b.get(idx[i]), f);
    }
    double scale = 0;
    for (int i = 0; i < k; i++) {
      scale = Math.max(scale, Math.abs(a[i][i]));
    }
    for (int col = 0; col < k; col++) {
      int piv = col;
      for (int r = col + 1; r < k; r++) {
        if (Math.abs(a[r][col]) > Math.abs(a[piv][col])) {
          piv = r;
        }
      }
      if (Math.abs(a[piv][col]) <= 1e-12 * scale) {
        return null;
      }
      double[] t = a[col];
      a[col] = a[piv];
      a[piv] = t;
      for (int r = 0; r < k; r++) {
        if (r != col) {
          double fct = a[r][col] / a[col][col];
          for (int j = col; j <= k; j++) {
            a[r][j] -= fct * a[col][j];
          }
        }
      }
    }
    double[] s = new double[k];
    for (int i = 0; i < k; i++) {
      s[i] = a[i][k] / a[i][i];
    }
    return s;
  }
}
