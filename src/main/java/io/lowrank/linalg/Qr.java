package io.lowrank.linalg;

import dev.ludovic.netlib.lapack.LAPACK;
import org.netlib.util.intW;

/**
 * The R factor of a thin Householder QR (LAPACK dgeqrf): for A (m×n, m ≥ n), A = Q R with Q^T Q = I, so ‖A B^T‖_F =
 * ‖R B^T‖_F for any B. Norms of differences of low-rank products computed this way have no cancellation, where
 * tr(A^T A ...) formulas lose half the digits.
 */
public final class Qr {
  private static final LAPACK LAPACK_ = Lapack.INSTANCE;

  private Qr() {}

  /** R (n×n, upper triangular, column-major) of A (m×n, column-major, m ≥ n); A is not modified. */
  public static double[] r(double[] a, int m, int n) {
    if (m < n || a.length != (long) m * n) {
      throw new IllegalArgumentException("QR needs an m x n matrix with m >= n, got " + m + "x" + n + " ("
          + a.length + " values)");
    }
    double[] f = a.clone();
    double[] tau = new double[n];
    double[] query = new double[1];
    intW info = new intW(0);
    LAPACK_.dgeqrf(m, n, f, m, tau, query, -1, info);
    double[] work = new double[Math.max(1, (int) query[0])];
    LAPACK_.dgeqrf(m, n, f, m, tau, work, work.length, info);
    if (info.val != 0) {
      throw new IllegalStateException("dgeqrf failed: info = " + info.val);
    }
    double[] r = new double[n * n];
    for (int j = 0; j < n; j++) {
      for (int i = 0; i <= j; i++) {
        r[i + j * n] = f[i + j * m];
      }
    }
    return r;
  }
}
