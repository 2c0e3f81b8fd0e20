package io.lowrank.linalg;

import java.util.Random;

/**
 * Reference dense linear algebra for the linalg tests, on column-major {@code double[]}: plain loops that share no
 * code with {@link Linalg}, {@link Cholesky}, {@link SymmetricEigen} or {@link Polar}, so a test compares the
 * facade with the definition rather than with itself.
 *
 * <p>Tolerances follow LAPACK's own test drivers (TESTING/LIN/dpot01.f and friends): an identity that a backward
 * stable algorithm satisfies exactly for a matrix within c·n·ε·‖A‖ of A is checked through the ratio
 * ‖residual‖₁ / (n·‖A‖₁·ε), which must stay below {@link #THRESHOLD} = 20, the threshold of LAPACK's dtest.in.
 * Rounding in the reference loops is of the same order and is covered by the same margin.
 */
final class Dense {
  /** Unit roundoff scale (2^-52), LAPACK's dlamch('Epsilon') up to a factor 2. */
  static final double EPS = Math.ulp(1.0);
  /** Largest acceptable test ratio ‖residual‖ / (n ‖A‖ ε), as in LAPACK's test inputs. */
  static final double THRESHOLD = 20;

  private Dense() {}

  /** A {@code rows x cols} matrix of independent N(0, 1) entries. */
  static double[] gaussian(Random rnd, int rows, int cols) {
    double[] a = new double[rows * cols];
    for (int i = 0; i < a.length; i++) {
      a[i] = rnd.nextGaussian();
    }
    return a;
  }

  /** A random {@code n x n} orthogonal matrix (Haar up to the signs Gram-Schmidt picks). */
  static double[] orthogonal(Random rnd, int n) {
    return orthonormalised(gaussian(rnd, n, n), n);
  }

  /**
   * Gram-Schmidt on the columns of the {@code n x n} matrix {@code a}, in order, done twice so the result is
   * orthonormal to ~ε (one pass loses orthogonality in proportion to the condition number).
   */
  static double[] orthonormalised(double[] a, int n) {
    double[] q = a.clone();
    for (int pass = 0; pass < 2; pass++) {
      for (int j = 0; j < n; j++) {
        for (int p = 0; p < j; p++) {
          double d = 0;
          for (int i = 0; i < n; i++) {
            d += q[i + p * n] * q[i + j * n];
          }
          for (int i = 0; i < n; i++) {
            q[i + j * n] -= d * q[i + p * n];
          }
        }
        double s = 0;
        for (int i = 0; i < n; i++) {
          s += q[i + j * n] * q[i + j * n];
        }
        double norm = Math.sqrt(s);
        for (int i = 0; i < n; i++) {
          q[i + j * n] /= norm;
        }
      }
    }
    return q;
  }

  /** Q diag(λ) Q^T, exactly symmetric (the upper triangle computed, then mirrored). */
  static double[] withSpectrum(double[] q, double[] lambda) {
    int n = lambda.length;
    double[] a = new double[n * n];
    for (int j = 0; j < n; j++) {
      for (int i = 0; i <= j; i++) {
        double s = 0;
        for (int k = 0; k < n; k++) {
          s += q[i + k * n] * lambda[k] * q[j + k * n];
        }
        a[i + j * n] = s;
        a[j + i * n] = s;
      }
    }
    return a;
  }

  /** (B + B^T)/2 for a random Gaussian B: a random symmetric matrix (GOE up to scale). */
  static double[] symmetric(Random rnd, int n) {
    double[] b = gaussian(rnd, n, n);
    double[] a = new double[n * n];
    for (int j = 0; j < n; j++) {
      for (int i = 0; i < n; i++) {
        a[i + j * n] = 0.5 * (b[i + j * n] + b[j + i * n]);
      }
    }
    return a;
  }

  /** A B for A ({@code m x k}) and B ({@code k x n}), by the definition. */
  static double[] times(double[] a, double[] b, int m, int k, int n) {
    double[] c = new double[m * n];
    for (int j = 0; j < n; j++) {
      for (int i = 0; i < m; i++) {
        double s = 0;
        for (int l = 0; l < k; l++) {
          s += a[i + l * m] * b[l + j * k];
        }
        c[i + j * m] = s;
      }
    }
    return c;
  }

  /** The transpose of a {@code rows x cols} matrix. */
  static double[] transpose(double[] a, int rows, int cols) {
    double[] t = new double[a.length];
    for (int j = 0; j < cols; j++) {
      for (int i = 0; i < rows; i++) {
        t[j + i * cols] = a[i + j * rows];
      }
    }
    return t;
  }

  /** Entry-wise absolute values. */
  static double[] abs(double[] a) {
    double[] b = new double[a.length];
    for (int i = 0; i < a.length; i++) {
      b[i] = Math.abs(a[i]);
    }
    return b;
  }

  /** a - b. */
  static double[] minus(double[] a, double[] b) {
    double[] c = new double[a.length];
    for (int i = 0; i < a.length; i++) {
      c[i] = a[i] - b[i];
    }
    return c;
  }

  /** The {@code n x n} identity. */
  static double[] identity(int n) {
    double[] a = new double[n * n];
    for (int i = 0; i < n; i++) {
      a[i + i * n] = 1;
    }
    return a;
  }

  /** The 1-norm (largest column sum of absolute values) of a {@code rows x cols} matrix, as LAPACK's tests use. */
  static double norm1(double[] a, int rows, int cols) {
    double max = 0;
    for (int j = 0; j < cols; j++) {
      double s = 0;
      for (int i = 0; i < rows; i++) {
        s += Math.abs(a[i + j * rows]);
      }
      max = Math.max(max, s);
    }
    return max;
  }

  /**
   * LAPACK's test ratio ‖residual‖₁ / (n · scale · ε) for an {@code n x cols} residual, where {@code scale} is the
   * norm the error is relative to (‖A‖₁, or 1 for an orthogonality defect).
   */
  static double ratio(double[] residual, int n, int cols, double scale) {
    return norm1(residual, n, cols) / (Math.max(1, n) * scale * EPS);
  }
}
