package io.lowrank.linalg;

import dev.ludovic.netlib.lapack.LAPACK;
import org.netlib.util.intW;

/** Cholesky factor of a symmetric positive definite matrix, computed once and used for many solves (LAPACK potrf/potrs). */
public final class Cholesky {
  private static final LAPACK LAPACK_ = Lapack.INSTANCE;
  private final double[] factor;
  private final int n;

  private Cholesky(double[] factor, int n) {
    this.factor = factor;
    this.n = n;
  }

  /**
   * Factors the {@code n x n} symmetric matrix {@code s} (column-major, upper triangle read).
   *
   * @throws IllegalArgumentException when {@code s} is not positive definite
   */
  public static Cholesky factor(double[] s, int n) {
    double[] f = s.clone();
    intW info = new intW(0);
    LAPACK_.dpotrf("U", n, f, n, info);
    if (info.val != 0) {
      throw new IllegalArgumentException("matrix is not positive definite (LAPACK dpotrf info=" + info.val + ")");
    }
    return new Cholesky(f, n);
  }

  /** Returns S^{-1} b. */
  public double[] solve(double[] b) {
    double[] x = b.clone();
    intW info = new intW(0);
    LAPACK_.dpotrs("U", n, 1, factor, n, x, n, info);
    if (info.val != 0) {
      throw new IllegalStateException("LAPACK dpotrs failed, info=" + info.val);
    }
    return x;
  }

  public int dimension() {
    return n;
  }

  /** Returns S^{-1} B for B ({@code n x nrhs}, column-major), one LAPACK potrs call. */
  public double[] solve(double[] b, int nrhs) {
    if (b.length != n * nrhs) {
      throw new IllegalArgumentException("right-hand sides must hold n*nrhs = " + n + "*" + nrhs + " values, got "
          + b.length);
    }
    double[] x = b.clone();
    intW info = new intW(0);
    LAPACK_.dpotrs("U", n, nrhs, factor, n, x, n, info);
    if (info.val != 0) {
      throw new IllegalStateException("LAPACK dpotrs failed, info=" + info.val);
    }
    return x;
  }
}
