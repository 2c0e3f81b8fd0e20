package io.lowrank.data;

import java.util.SplittableRandom;

/**
 * Rank-one matrix sensing: A_i = a_i a_i^T with a_i ~ N(0, I_d), y_i = a_i^T M* a_i + σ ε_i = ‖X*^T a_i‖² + σ ε_i
 * (+ s_i, the {@link Outliers}, drawn per measurement from (seed, i)).
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
  private final Outliers outliers;
  private final double cleanMax;

  /**
   * @param truth M*
   * @param m measurements (≥ 1)
   * @param seed seed of the instance
   * @param noise σ of the additive Gaussian noise (≥ 0)
   * @param blockRows rows per block (≥ 1)
   */
  public RankOneSensing(LowRankTruth truth, long m, long seed, double noise, int blockRows) {
    this(truth, m, seed, noise, Outliers.none(), blockRows);
  }

  /**
   * The instance with its responses corrupted by {@code outliers}.
   *
   * @param outliers the outlier model (uniform and positive ones cost one generation of the clean responses on the
   *     driver, for ‖y*‖∞)
   */
  public RankOneSensing(LowRankTruth truth, long m, long seed, double noise, Outliers outliers, int blockRows) {
    if (m < 1) {
      throw new IllegalArgumentException("m must be >= 1, got " + m);
    }
    this.truth = truth;
    this.m = m;
    this.seed = seed;
    this.noise = BlockSource.checkNoise(noise);
    this.layout = new BlockLayout(m, blockRows);
    this.outliers = outliers == null ? Outliers.none() : outliers;
    this.cleanMax = this.outliers.needsCleanMax() ? cleanMax() : Double.NaN;
  }

  /** ‖y*‖∞ over the clean, noiseless responses a_i^T M* a_i (≥ 0): one generation on the driver. */
  private double cleanMax() {
    double max = 0;
    for (int b = 0; b < layout.count(); b++) {
      double[] clean = new double[layout.rowsIn(b)];
      generate(b, clean, null);
      for (double v : clean) {
        max = Math.max(max, v);
      }
    }
    return max;
  }

  /** The outlier model of the responses (none by default). */
  public Outliers outliers() {
    return outliers;
  }

  /** ‖y*‖∞ of the clean responses when uniform or positive outliers needed it, else NaN. */
  public double cleanMaxAbs() {
    return cleanMax;
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
    int rows = layout.rowsIn(b);
    double[] a = new double[rows * truth.d()];
    double[] y = new double[rows];
    generate(b, y, a);
    outliers.addTo(y, seed, layout.first(b), cleanMax);
    return new Block(b, rows, truth.d(), a, y);
  }

  /**
   * Draws block b from stream (seed, b): the sensing vectors into {@code a} (when not null) and into {@code y}
   * either y_i = ‖X*^T a_i‖² + σ ε_i (a given) or the clean ‖X*^T a_i‖² (a null, for ‖y*‖∞).
   */
  private void generate(int b, double[] y, double[] a) {
    int d = truth.d();
    int r = truth.rank();
    double[] x = truth.factor();
    int rows = layout.rowsIn(b);
    SplittableRandom rng = Seeds.stream(seed ^ 0x52414E4B31L, b);
    double[] z = new double[r];
    for (int i = 0; i < rows; i++) {
      java.util.Arrays.fill(z, 0);
      for (int j = 0; j < d; j++) {
        double v = rng.nextGaussian();
        if (a != null) {
          a[i + j * rows] = v;
        }
        for (int k = 0; k < r; k++) {
          z[k] += v * x[j + k * d];
        }
      }
      double q = 0;
      for (int k = 0; k < r; k++) {
        q += z[k] * z[k];
      }
      double eps = rng.nextGaussian();
      y[i] = a != null ? q + noise * eps : q;
    }
  }

}
