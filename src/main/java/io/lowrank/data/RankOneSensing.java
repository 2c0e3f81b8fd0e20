package io.lowrank.data;

import java.util.SplittableRandom;

/**
 * Rank-one matrix sensing: A_i = a_i a_i^T with a_i ~ N(0, I_d), y_i = a_i^T M* a_i + σ ε_i = ‖X*^T a_i‖² + σ ε_i.
 * Blocks have the phase-retrieval layout (rows × d sensing vectors plus y), so the same CSV/Parquet contract
 * ({@link MeasurementReader}) reads them; with r* = 1 this is exactly phase retrieval. Block b is drawn from stream
 * (seed, b).
 */
public final class RankOneSensing implements BlockSource {
  private static final long serialVersionUID = 1L;

  private final LowRankTruth truth;
  private final long m;
  private final long seed;
  private final double noise;
  private final BlockLayout layout;

  /**
   * @param truth M*
   * @param m measurements (≥ 1)
   * @param seed seed of the instance
   * @param noise σ of the additive Gaussian noise (≥ 0)
   * @param blockRows rows per block (≥ 1)
   */
  public RankOneSensing(LowRankTruth truth, long m, long seed, double noise, int blockRows) {
    if (m < 1) {
      throw new IllegalArgumentException("m must be >= 1, got " + m);
    }
    this.truth = truth;
    this.m = m;
    this.seed = seed;
    this.noise = BlockSource.checkNoise(noise);
    this.layout = new BlockLayout(m, blockRows);
  }

  public LowRankTruth truth() {
    return truth;
  }

  public long m() {
    return m;
  }

  @Override
  public int blockCount() {
    return layout.count();
  }

  @Override
  public Block block(int b) {
    int d = truth.d();
    int r = truth.rank();
    double[] x = truth.factor();
    int rows = layout.rowsIn(b);
    SplittableRandom rng = Seeds.stream(seed ^ 0x52414E4B31L, b);
    double[] a = new double[rows * d];
    double[] y = new double[rows];
    double[] z = new double[r];
    for (int i = 0; i < rows; i++) {
      java.util.Arrays.fill(z, 0);
      for (int j = 0; j < d; j++) {
        double v = rng.nextGaussian();
        a[i + j * rows] = v;
        for (int k = 0; k < r; k++) {
          z[k] += v * x[j + k * d];
        }
      }
      double q = 0;
      for (int k = 0; k < r; k++) {
        q += z[k] * z[k];
      }
      double eps = rng.nextGaussian();
      y[i] = q + noise * eps;
    }
    return new Block(b, rows, d, a, y);
  }

}
