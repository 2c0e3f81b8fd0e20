package io.lowrank.data;

import java.util.ArrayList;
import java.util.List;
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
  private final int blockRows;
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
    if (!(noise >= 0) || Double.isInfinite(noise)) {
      throw new IllegalArgumentException("noise must be finite and >= 0, got " + noise);
    }
    if (blockRows < 1) {
      throw new IllegalArgumentException("block rows must be >= 1, got " + blockRows);
    }
    this.n = n;
    this.d = d;
    this.seed = seed;
    this.noise = noise;
    this.blockRows = blockRows;
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
    return (int) ((n + blockRows - 1) / blockRows);
  }

  @Override
  public Block block(int b) {
    if (b < 0 || b >= blockCount()) {
      throw new IllegalArgumentException("block index " + b + " outside [0, " + blockCount() + ")");
    }
    int rows = (int) Math.min(blockRows, n - (long) b * blockRows);
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

  /** All blocks, in order (for the in-process backend). */
  public List<Block> blocks() {
    List<Block> list = new ArrayList<>(blockCount());
    for (int b = 0; b < blockCount(); b++) {
      list.add(block(b));
    }
    return list;
  }
}
