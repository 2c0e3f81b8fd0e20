package io.lowrank.solve.landscape;

import io.lowrank.linalg.Linalg;
import io.lowrank.linalg.SymmetricEigen;

/**
 * min over s ∈ [−1, 1]^n of ½ ‖g + B s‖², B = [b_1 … b_n] (q×n), by accelerated projected gradient (FISTA with
 * O'Donoghue–Candès gradient restart; step 1/‖B‖₂²) on the driver, with a duality-gap certificate. For any u,
 * <pre>
 *   ½ ‖g + B s‖² ≥ ⟨u, g + B s⟩ − ½ ‖u‖² ≥ ⟨u, g⟩ − ½ ‖u‖² − ‖B^T u‖₁ =: D(u)      (|s_i| ≤ 1),
 * </pre>
 * so D at the best multiple of the current residual v = g + B s bounds the optimum from below, and
 * √(2 D) ≤ min ‖g + B s‖ ≤ ‖v‖: the solve stops when the interval is decided against the threshold it is asked about
 * (or narrow), so the verdict rests on a certified bound, not on an iteration count. The problem is a convex QP over a
 * polyhedron, on which projected gradient converges linearly (Luo–Tseng error bound).
 */
public final class BoundedLeastSquares {
  /**
   * @param value the upper bound ‖g + B s‖ at the returned s
   * @param lowerBound √(2 D), a lower bound of the minimum
   * @param s the weights, n values in [−1, 1]
   * @param iterations iterations run
   */
  public record Solution(double value, double lowerBound, double[] s, int iterations) {}

  private BoundedLeastSquares() {}

  /**
   * Solves the problem, stopping when the minimum is certified ≤ {@code threshold} (upper bound below it), or
   * certified above it with the bounds within 0.1%, or after {@code maxIter} iterations.
   *
   * @param b column-major q×n
   * @param g q values
   */
  public static Solution solve(double[] b, int q, int n, double[] g, double threshold, int maxIter) {
    double[] s = new double[n];
    if (n == 0) {
      double norm = Linalg.norm(g);
      return new Solution(norm, norm, s, 0);
    }
    double lipschitz = largestEigenvalue(b, q, n);
    if (!(lipschitz > 0)) {
      double norm = Linalg.norm(g);
      return new Solution(norm, norm, s, 0);
    }
    double[] y = s.clone();
    double t = 1;
    double[] best = s.clone();
    double bestValue = Double.POSITIVE_INFINITY;
    double bestLower = 0;
    int it = 0;
    for (; it < maxIter; it++) {
      if (it % 10 == 0) {
        double[] v = residual(b, q, n, g, s);
        double value = Linalg.norm(v);
        if (value < bestValue) {
          bestValue = value;
          best = s.clone();
        }
        bestLower = Math.max(bestLower, lowerBound(b, q, n, g, v));
        if (bestValue <= threshold || (bestLower > threshold && bestValue - bestLower <= 1e-3 * bestValue)) {
          break;
        }
      }
      double[] grad = transposeTimes(b, q, n, residual(b, q, n, g, y));
      double[] next = new double[n];
      for (int i = 0; i < n; i++) {
        next[i] = Math.max(-1, Math.min(1, y[i] - grad[i] / lipschitz));
      }
      double tNext = 0.5 * (1 + Math.sqrt(1 + 4 * t * t));
      // Restart when the momentum points uphill: ⟨y − s⁺, s⁺ − s⟩ > 0.
      double uphill = 0;
      for (int i = 0; i < n; i++) {
        uphill += (y[i] - next[i]) * (next[i] - s[i]);
      }
      if (uphill > 0) {
        t = 1;
        tNext = 1;
        y = next.clone();
      } else {
        for (int i = 0; i < n; i++) {
          y[i] = next[i] + (t - 1) / tNext * (next[i] - s[i]);
        }
      }
      s = next;
      t = tNext;
    }
    double[] v = residual(b, q, n, g, s);
    if (Linalg.norm(v) < bestValue) {
      bestValue = Linalg.norm(v);
      best = s;
    }
    bestLower = Math.max(bestLower, lowerBound(b, q, n, g, v));
    return new Solution(bestValue, Math.min(bestLower, bestValue), best, it);
  }

  /** √(2 max_θ D(θ v)) with D(u) = ⟨u, g⟩ − ½‖u‖² − ‖B^T u‖₁: at θ = (⟨v, g⟩ − ‖B^T v‖₁)/‖v‖². */
  static double lowerBound(double[] b, int q, int n, double[] g, double[] v) {
    double vv = Linalg.dot(v, v);
    if (vv == 0) {
      return 0;
    }
    double l1 = 0;
    for (double x : transposeTimes(b, q, n, v)) {
      l1 += Math.abs(x);
    }
    double a = Linalg.dot(v, g) - l1;
    return a > 0 ? a / Math.sqrt(vv) : 0;
  }

  /** g + B s. */
  private static double[] residual(double[] b, int q, int n, double[] g, double[] s) {
    double[] v = g.clone();
    Linalg.gemm(false, false, q, 1, n, 1.0, b, s, 1.0, v);
    return v;
  }

  /** B^T v. */
  private static double[] transposeTimes(double[] b, int q, int n, double[] v) {
    double[] out = new double[n];
    Linalg.gemm(true, false, n, 1, q, 1.0, b, v, 0.0, out);
    return out;
  }

  /** ‖B‖₂² = λ_max(B B^T) (q×q). */
  private static double largestEigenvalue(double[] b, int q, int n) {
    double[] gram = new double[q * q];
    Linalg.gemm(false, true, q, q, n, 1.0, b, b, 0.0, gram);
    SymmetricEigen e = SymmetricEigen.of(gram, q);
    double max = 0;
    for (int i = 0; i < q; i++) {
      max = Math.max(max, e.value(i));
    }
    return max;
  }
}
