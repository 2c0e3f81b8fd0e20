package io.lowrank.data;

/**
 * The isometric packing of symmetric d×d matrices into vectors of length p = d(d+1)/2: the upper triangle column by
 * column (entry (j, k), j ≤ k, at k(k+1)/2 + j), diagonal entries as they are, off-diagonal entries times √2. Then
 * ⟨A, M⟩ = Σ_jk A_jk M_jk is the plain dot product of the packed vectors, and a symmetric Gaussian matrix with
 * diagonal N(0, 1/m) and off-diagonal N(0, 1/(2m)) packs to a vector of iid N(0, 1/m) entries.
 */
public final class PackedSymmetric {
  private static final double SQRT2 = Math.sqrt(2.0);

  private PackedSymmetric() {}

  /** p = d(d+1)/2. */
  public static int length(int d) {
    long p = (long) d * (d + 1) / 2;
    if (p > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("d = " + d + " is too large for packed symmetric storage");
    }
    return (int) p;
  }

  /** Packs the symmetric d×d matrix {@code m} (column-major; the upper triangle is read). */
  public static double[] pack(double[] m, int d) {
    double[] p = new double[length(d)];
    for (int k = 0; k < d; k++) {
      int base = k * (k + 1) / 2;
      for (int j = 0; j < k; j++) {
        p[base + j] = SQRT2 * m[j + k * d];
      }
      p[base + k] = m[k + k * d];
    }
    return p;
  }

  /** The full symmetric d×d matrix (column-major) of a packed vector. */
  public static double[] unpack(double[] p, int d) {
    double[] m = new double[d * d];
    for (int k = 0; k < d; k++) {
      int base = k * (k + 1) / 2;
      for (int j = 0; j < k; j++) {
        double v = p[base + j] / SQRT2;
        m[j + k * d] = v;
        m[k + j * d] = v;
      }
      m[k + k * d] = p[base + k];
    }
    return m;
  }
}
