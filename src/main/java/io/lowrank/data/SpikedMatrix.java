package io.lowrank.data;

import java.util.SplittableRandom;

/**
 * Spiked rectangular matrices for rank-one denoising, in row blocks ({@link MatrixRows} layout):
 * Y = θ u v^T + W, u ∈ R^N and v ∈ R^M seeded unit vectors, W_ij ~ N(0, 1/M). Block b holds rows
 * [b·blockRows, ...) and draws its W entries from its own stream (seed, b), row by row, so the instance does not
 * depend on the partitioning, and W does not depend on θ (a sweep over θ sees the same noise).
 */
public final class SpikedMatrix implements BlockSource {
  private static final long serialVersionUID = 1L;
  private static final long U_STREAM = -1L;
  private static final long V_STREAM = -2L;
  private static final long X0_STREAM = -3L;
  private static final long Y0_STREAM = -4L;

  private final int n;
  private final int m;
  private final double theta;
  private final long seed;
  private final BlockLayout layout;
  private final double[] u;
  private final double[] v;

  /**
   * @param n rows N (≥ 2)
   * @param m columns M (≥ 2)
   * @param theta signal strength θ (&gt; 0)
   * @param seed seed of the instance
   * @param blockRows rows per block (≥ 1; 0 = about 4 MB per block)
   */
  public SpikedMatrix(int n, int m, double theta, long seed, int blockRows) {
    if (n < 2) {
      throw new IllegalArgumentException("N must be >= 2, got " + n);
    }
    if (m < 2) {
      throw new IllegalArgumentException("M must be >= 2, got " + m);
    }
    if (!(theta > 0) || Double.isInfinite(theta)) {
      throw new IllegalArgumentException("theta must be a finite number > 0, got " + theta);
    }
    if (blockRows < 0) {
      throw new IllegalArgumentException("block rows must be >= 0 (0 = default), got " + blockRows);
    }
    this.n = n;
    this.m = m;
    this.theta = theta;
    this.seed = seed;
    this.layout = new BlockLayout(n, blockRows == 0 ? MatrixRows.defaultRows(m) : blockRows);
    this.u = Seeds.unitVector(n, Seeds.stream(seed, U_STREAM));
    this.v = Seeds.unitVector(m, Seeds.stream(seed, V_STREAM));
  }

  public int n() {
    return n;
  }

  public int m() {
    return m;
  }

  public double theta() {
    return theta;
  }

  /** The left spike u (a copy). */
  public double[] u() {
    return u.clone();
  }

  /** The right spike v (a copy). */
  public double[] v() {
    return v.clone();
  }

  /** x₀ with ⟨x₀, u⟩ = m_u0, the rest a seeded random direction orthogonal to u; unit norm. */
  public double[] initialX(double mu0) {
    return startX(u, mu0, seed);
  }

  /** y₀ with ⟨y₀, v⟩ = m_v0, the rest a seeded random direction orthogonal to v; unit norm. */
  public double[] initialY(double mv0) {
    return startY(v, mv0, seed);
  }

  /** {@link #initialX} for spikes known from elsewhere (e.g. read back from files): the same x₀ for the same seed. */
  public static double[] startX(double[] u, double mu0, long seed) {
    return withOverlap(u, mu0, Seeds.stream(seed, X0_STREAM), "mu0");
  }

  /** {@link #initialY} for spikes known from elsewhere: the same y₀ for the same seed. */
  public static double[] startY(double[] v, double mv0, long seed) {
    return withOverlap(v, mv0, Seeds.stream(seed, Y0_STREAM), "mv0");
  }

  /**
   * A unit vector m·target + √(1−m²)·ξ with ξ a random unit vector orthogonal to {@code target} (a unit vector).
   *
   * @param name the parameter named in errors
   */
  public static double[] withOverlap(double[] target, double overlap, SplittableRandom rng, String name) {
    if (!(Math.abs(overlap) <= 1)) {
      throw new IllegalArgumentException(name + " (an initial overlap) must be in [-1, 1], got " + overlap);
    }
    double[] xi = Seeds.unitVector(target.length, rng);
    double dot = 0;
    for (int i = 0; i < xi.length; i++) {
      dot += xi[i] * target[i];
    }
    double norm2 = 0;
    for (int i = 0; i < xi.length; i++) {
      xi[i] -= dot * target[i];
      norm2 += xi[i] * xi[i];
    }
    double rest = Math.sqrt(Math.max(0, 1 - overlap * overlap)) / Math.sqrt(norm2);
    double[] x = new double[target.length];
    for (int i = 0; i < x.length; i++) {
      x[i] = overlap * target[i] + rest * xi[i];
    }
    return x;
  }

  @Override
  public int blockCount() {
    return layout.count();
  }

  @Override
  public Block block(int b) {
    int start = (int) layout.first(b);
    int rows = layout.rowsIn(b);
    SplittableRandom rng = Seeds.stream(seed, b);
    double sd = 1 / Math.sqrt(m);
    double[] a = new double[rows * m];
    double[] idx = new double[rows];
    for (int i = 0; i < rows; i++) {
      double spike = theta * u[start + i];
      for (int j = 0; j < m; j++) {
        a[i + j * rows] = sd * rng.nextGaussian() + spike * v[j];
      }
      idx[i] = start + i;
    }
    return new Block(b, rows, m, a, idx);
  }

}
