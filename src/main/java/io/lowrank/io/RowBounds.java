package io.lowrank.io;

import java.util.Locale;
import java.util.function.IntFunction;

/**
 * How large the values of one row may be: finite is not enough, since the kernels sum products of them.
 *
 * <p>Per measurement row (a, y) the kernels form Ŝ = (1/n) Σ a aᵀ (entries a_j a_k, each |a_j a_k| ≤ ‖a‖²), the
 * spectral products (1/n) Σ y (aᵀv) a with ‖v‖ = 1 (entries ≤ y‖a‖², by Cauchy–Schwarz), the mean of y, and for
 * rank-one sensing G = Σ r a aᵀ with r of the order of y; per matrix row the denoising products Y v and Yᵀ u for unit
 * u, v (entries ≤ ‖row‖) and ‖Y‖_F² = Σ ‖row‖². Each is a sum over at most 2⁶³ rows (n is a long) taken before
 * the division by n, so bounding ‖a‖², y and y‖a‖² of every row by {@link #LIMIT} = Double.MAX_VALUE / 2⁶⁴
 * (≈ 9.7e288) keeps every partial sum finite with a factor 2 to spare; LAPACK (dsyev, dpotrf) and dnrm2 scale
 * internally and are safe on such sums. In practice this refuses any |a_j| above about 1e144 (its square alone passes
 * the limit) and any value whose square overflows (|v| ≳ 1.3e154), which would otherwise surface much later as a
 * "LAPACK dsyev did not converge" with no row named. The bound concerns the data only: what a solver's iterates
 * do with data near it is the solver's concern.
 */
final class RowBounds {
  /** Largest ‖a‖², y and y·‖a‖² of a row: Double.MAX_VALUE / 2⁶⁴ (see the class comment). */
  static final double LIMIT = Double.MAX_VALUE / 0x1p64;

  private RowBounds() {}

  /**
   * What is too large in measurement row {@code r} of a column-major block (stride = the block's row capacity),
   * or null.
   *
   * @param column the label of coordinate j, e.g. "column a3" or "column a, entry 3"
   * @param yColumn the label of the intensity, e.g. "column y"
   */
  static String measurement(double[] a, int stride, int r, int d, double y, IntFunction<String> column,
      String yColumn) {
    double norm2 = 0;
    int largest = 0;
    for (int j = 0; j < d; j++) {
      double v = a[r + j * stride];
      norm2 += v * v;
      if (Math.abs(v) > Math.abs(a[r + largest * stride])) {
        largest = j;
      }
    }
    if (!(norm2 <= LIMIT)) {
      return column.apply(largest) + ": value " + a[r + largest * stride] + " is too large (the row's |a|^2 = "
          + g(norm2) + ")" + rule();
    }
    double weighted = Math.abs(y) * norm2;
    if (!(Math.abs(y) <= LIMIT) || !(weighted <= LIMIT)) {
      return yColumn + ": value " + y + " is too large (" + (Math.abs(y) <= LIMIT ? "y*|a|^2 = " + g(weighted)
          : "y") + ")" + rule();
    }
    return null;
  }

  /** What is too large in a matrix row, or null. */
  static String matrixRow(double[] row, IntFunction<String> column) {
    double norm2 = 0;
    int largest = 0;
    for (int j = 0; j < row.length; j++) {
      norm2 += row[j] * row[j];
      if (Math.abs(row[j]) > Math.abs(row[largest])) {
        largest = j;
      }
    }
    if (!(norm2 <= LIMIT)) {
      return column.apply(largest) + ": value " + row[largest] + " is too large (the row's squared norm = "
          + g(norm2) + "); a row's squared norm must be <= " + g(LIMIT) + " so that the sums over the rows stay finite";
    }
    return null;
  }

  private static String rule() {
    // ASCII: the line goes to terminals of any locale.
    return "; each row needs |a|^2, y and y*|a|^2 <= " + g(LIMIT) + " so that the sums over the rows stay finite";
  }

  private static String g(double v) {
    return Double.isInfinite(v) ? "Infinity" : String.format(Locale.ROOT, "%.3g", v);
  }
}
