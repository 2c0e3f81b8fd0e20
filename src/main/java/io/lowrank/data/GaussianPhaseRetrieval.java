package io.lowrank.data;

import java.util.SplittableRandom;

/**
 * Real Gaussian phase-retrieval instances: a_i ~ N(0, I_d), y_i = (a_i^T x*)^2 + σ ε_i with ε_i ~ N(0, 1),
 * clipped at 0 so intensities stay valid; x* is a seeded unit vector. Block b is drawn from its own stream
 * (seed, b), so the instance does not depend on how blocks are spread over partitions.
 */
public final class GaussianPhaseRetrieval implements BlockSource {
  private static final long serialVersionUID = 1L;
  private static final long TRUTH_STREAM = -1L;

  private final long n;
  private final int d;
  private final long seed;
  private final double noise;
  private final BlockLayout layout;
  private final double[] truth;

  /**
   * @param n measurements (≥ 1)
   * @param d dimension (≥ 1)
   * @param seed seed of the instance
   * @param noise σ of the additive Gaussian noise on y (0 for none)
   * @param blockRows rows per block (≥ 1)
   */
  public GaussianPhaseRetrieval(long n, int d, long seed, double noise, int blockRows) {
    if (n < 1) {
      throw new IllegalArgumentException("n must be >= 1, got " + n);
    }
    if (d < 1) {
      throw new IllegalArgumentException("d must be >= 1, got " + d);
    }
    this.n = n;
    this.d = d;
    this.seed = seed;
    this.noise = BlockSource.checkNoise(noise);
    this.layout = new BlockLayout(n, blockRows);
    this.truth = Seeds.unitVector(d, Seeds.stream(seed, TRUTH_STREAM));
  }

  /** The same instance with the default block size for d. */
  public GaussianPhaseRetrieval(long n, int d, long seed, double noise) {
    this(n, d, seed, noise, Block.defaultRows(d));
  }

  public long n() {
    return n;
  }

  public int d() {
    return d;
  }

  /** The unit-norm signal x* (a copy). */
  public double[] truth() {
    return truth.clone();
  }

  @Override
  public int blockCount() {
    return layout.count();
  }

  @Override
  public Block block(int b) {
    int rows = layout.rowsIn(b);
    SplittableRandom rng = Seeds.stream(seed, b);
    double[] a = new double[rows * d];
    double[] y = new double[rows];
    // Row by row, so a row's values depend only on (seed, block, row) and not on σ.
    for (int i = 0; i < rows; i++) {
      double z = 0;
      for (int j = 0; j < d; j++) {
        double v = rng.nextGaussian();
        a[i + j * rows] = v;
        z += v * truth[j];
      }
      double eps = rng.nextGaussian(); // drawn even when σ = 0, so the a_i do not depend on σ
      y[i] = noise > 0 ? Math.max(0.0, z * z + noise * eps) : z * z;
    }
    return new Block(b, rows, d, a, y);
  }

}
