package io.lowrank.linalg;

import dev.ludovic.netlib.blas.BLAS;

/**
 * Dense linear algebra on raw column-major {@code double[]} arrays, through dev.ludovic.netlib BLAS.
 * Names follow the math; every hot loop in the project goes through here.
 */
public final class Linalg {
  private static final BLAS BLAS_ = BLAS.getInstance();

  private Linalg() {}

  /** The BLAS implementation that runs (JNI system BLAS, VectorBLAS or plain Java). */
  public static String blasName() {
    return BLAS_.getClass().getName();
  }

  /** z = A x for A ({@code rows x cols}, column-major). */
  public static void multiply(double[] a, int rows, int cols, double[] x, double[] z) {
    BLAS_.dgemv("N", rows, cols, 1.0, a, rows, x, 1, 0.0, z, 1);
  }

  /** Z = A X for A ({@code rows x cols}) and X ({@code cols x k}), all column-major. */
  public static void multiply(double[] a, int rows, int cols, double[] x, int k, double[] z) {
    BLAS_.dgemm("N", "N", rows, k, cols, 1.0, a, rows, x, cols, 0.0, z, rows);
  }

  /** y += alpha A^T w for A ({@code rows x cols}, column-major). */
  public static void addTransposeTimes(double alpha, double[] a, int rows, int cols, double[] w, double[] y) {
    BLAS_.dgemv("T", rows, cols, alpha, a, rows, w, 1, 1.0, y, 1);
  }

  /** Upper triangle of C ({@code cols x cols}) += alpha A^T A; call {@link #symmetrize} before reading the lower part. */
  public static void addGram(double alpha, double[] a, int rows, int cols, double[] c) {
    BLAS_.dsyrk("U", "T", cols, rows, alpha, a, rows, 1.0, c, cols);
  }

  /** Copies the upper triangle of the {@code n x n} matrix C into its lower triangle. */
  public static void symmetrize(double[] c, int n) {
    for (int j = 0; j < n; j++) {
      for (int i = j + 1; i < n; i++) {
        c[i + j * n] = c[j + i * n];
      }
    }
  }

  /** C ← (C + C^T)/2 in place, for an {@code n x n} matrix C: its symmetric part. */
  public static void symmetricPart(double[] c, int n) {
    for (int j = 0; j < n; j++) {
      for (int i = j + 1; i < n; i++) {
        double s = 0.5 * (c[i + j * n] + c[j + i * n]);
        c[i + j * n] = s;
        c[j + i * n] = s;
      }
    }
  }

  /** y = A x for a square {@code n x n} matrix (driver-side, small). */
  public static double[] times(double[] a, int n, double[] x) {
    double[] y = new double[n];
    multiply(a, n, n, x, y);
    return y;
  }

  public static double dot(double[] x, double[] y) {
    return BLAS_.ddot(x.length, x, 1, y, 1);
  }

  public static double norm(double[] x) {
    return BLAS_.dnrm2(x.length, x, 1);
  }

  /** y += alpha x. */
  public static void axpy(double alpha, double[] x, double[] y) {
    BLAS_.daxpy(x.length, alpha, x, 1, y, 1);
  }

  public static void scale(double alpha, double[] x) {
    BLAS_.dscal(x.length, alpha, x, 1);
  }

  /** Returns x - y. */
  public static double[] minus(double[] x, double[] y) {
    double[] z = x.clone();
    axpy(-1.0, y, z);
    return z;
  }

  /** Returns alpha x as a new array. */
  public static double[] scaled(double alpha, double[] x) {
    double[] z = x.clone();
    scale(alpha, z);
    return z;
  }

  /** True when every entry is finite. */
  public static boolean isFinite(double[] x) {
    for (double v : x) {
      if (!Double.isFinite(v)) {
        return false;
      }
    }
    return true;
  }

  /**
   * General matrix product C = alpha op(A) op(B) + beta C (BLAS dgemm, column-major), op = transpose when the
   * flag is set; op(A) is {@code m x k}, op(B) is {@code k x n}, C is {@code m x n}.
   */
  public static void gemm(boolean transA, boolean transB, int m, int n, int k, double alpha, double[] a, double[] b,
      double beta, double[] c) {
    BLAS_.dgemm(transA ? "T" : "N", transB ? "T" : "N", m, n, k, alpha, a, transA ? k : m, b, transB ? n : k, beta,
        c, m);
  }

  /**
   * C += alpha A^T diag(w) A for A ({@code rows x cols}, column-major) and any real weights w (signs allowed, so no
   * square-root trick): scales a copy of the rows by w, then one dgemm. C is {@code cols x cols}, full (both triangles).
   */
  public static void addWeightedGram(double alpha, double[] a, int rows, int cols, double[] w, double[] c) {
    double[] wa = new double[a.length];
    for (int j = 0; j < cols; j++) {
      int off = j * rows;
      for (int i = 0; i < rows; i++) {
        wa[off + i] = w[i] * a[off + i];
      }
    }
    BLAS_.dgemm("T", "N", cols, cols, rows, alpha, a, rows, wa, rows, 1.0, c, cols);
  }
}
