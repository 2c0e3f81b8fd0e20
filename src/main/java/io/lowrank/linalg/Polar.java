package io.lowrank.linalg;

import dev.ludovic.netlib.lapack.LAPACK;
import org.netlib.util.intW;

/** The orthogonal polar factor of a small square matrix, from its SVD (LAPACK dgesvd). */
public final class Polar {
  private static final LAPACK LAPACK_ = Lapack.INSTANCE;

  private Polar() {}

  /**
   * The orthogonal Q = U V^T of K = U Σ V^T ({@code n x n}, column-major): the Q that maximises tr(Q^T K), i.e. the
   * rotation of an orthogonal Procrustes problem.
   */
  public static double[] orthogonalFactor(double[] k, int n) {
    double[] a = k.clone();
    double[] s = new double[n];
    double[] u = new double[n * n];
    double[] vt = new double[n * n];
    intW info = new intW(0);
    double[] query = new double[1];
    LAPACK_.dgesvd("A", "A", n, n, a, n, s, u, n, vt, n, query, -1, info);
    double[] work = new double[Math.max(1, (int) query[0])];
    LAPACK_.dgesvd("A", "A", n, n, a, n, s, u, n, vt, n, work, work.length, info);
    if (info.val != 0) {
      throw new IllegalStateException("LAPACK dgesvd did not converge, info=" + info.val);
    }
    double[] q = new double[n * n];
    Linalg.gemm(false, false, n, n, n, 1.0, u, vt, 0.0, q);
    return q;
  }
}
