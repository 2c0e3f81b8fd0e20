package io.lowrank.linalg;

import dev.ludovic.netlib.lapack.LAPACK;
import org.netlib.util.intW;

/** Eigen-decomposition of a small symmetric matrix (LAPACK dsyev): eigenvalues ascending, eigenvectors as columns. */
public final class SymmetricEigen {
  private static final LAPACK LAPACK_ = Lapack.INSTANCE;
  private final double[] values;
  private final double[] vectors;
  private final int n;

  private SymmetricEigen(double[] values, double[] vectors, int n) {
    this.values = values;
    this.vectors = vectors;
    this.n = n;
  }

  /** Decomposes the {@code n x n} symmetric matrix {@code a} (column-major, upper triangle read). */
  public static SymmetricEigen of(double[] a, int n) {
    double[] v = a.clone();
    double[] w = new double[n];
    intW info = new intW(0);
    double[] query = new double[1];
    LAPACK_.dsyev("V", "U", n, v, n, w, query, -1, info);
    double[] work = new double[Math.max(1, (int) query[0])];
    LAPACK_.dsyev("V", "U", n, v, n, w, work, work.length, info);
    if (info.val != 0) {
      throw new IllegalStateException("LAPACK dsyev did not converge, info=" + info.val);
    }
    return new SymmetricEigen(w, v, n);
  }

  /** The i-th smallest eigenvalue. */
  public double value(int i) {
    return values[i];
  }

  /** A copy of the unit eigenvector of the i-th smallest eigenvalue. */
  public double[] vector(int i) {
    double[] v = new double[n];
    System.arraycopy(vectors, i * n, v, 0, n);
    return v;
  }

  public int dimension() {
    return n;
  }
}
