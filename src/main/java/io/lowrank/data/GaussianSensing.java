package io.lowrank.data;

import java.util.SplittableRandom;

/**
 * Dense symmetric Gaussian matrix sensing: y_i = ⟨A_i, M*⟩ + σ ε_i (+ s_i, the {@link Outliers}), i = 0..m−1, A_i
 * symmetric with diagonal N(0, 1/m) and off-diagonal N(0, 1/(2m)) entries (so E‖A(M)‖² = ‖M‖_F²), ε_i ~ N(0, 1).
 *
 * <p>A_i is a function of (seed, i) alone — its packed form ({@link PackedSymmetric}) is the p = d(d+1)/2 Gaussians of
 * the counter-based stream {@link Seeds#stream}(operator seed, i) — so the operator can be <em>stored</em> (blocks of
 * {@code rows x p} packed values, {@link #stored}) or <em>generated on the fly</em> inside every pass from the
 * counter ({@link #onTheFly}: blocks hold only y, with d = 0, and {@code model.sensing.GeneratedGaussianOperator}
 * regenerates the rows). Both give bit-identical y and passes.
 */
public final class GaussianSensing implements BlockSource {
  private static final long serialVersionUID = 1L;
  private static final long NOISE_STREAM_OFFSET = 0x4E4F495345L;

  private final LowRankTruth truth;
  private final long m;
  private final long seed;
  private final double noise;
  private final BlockLayout layout;
  private final boolean stored;
  private final double[] packedTruth;
  private final Outliers outliers;
  private final double cleanMax;

  private GaussianSensing(LowRankTruth truth, long m, long seed, double noise, Outliers outliers, int blockRows,
      boolean stored) {
    if (m < 1) {
      throw new IllegalArgumentException("m must be >= 1, got " + m);
    }
    this.truth = truth;
    this.m = m;
    this.seed = seed;
    this.noise = BlockSource.checkNoise(noise);
    this.layout = new BlockLayout(m, blockRows);
    this.stored = stored;
    this.packedTruth = PackedSymmetric.pack(truth.matrix(), truth.d());
    this.outliers = outliers == null ? Outliers.none() : outliers;
    this.cleanMax = this.outliers.needsCleanMax() ? cleanMax() : Double.NaN;
  }

  /** The instance with A stored in blocks of packed rows. */
  public static GaussianSensing stored(LowRankTruth truth, long m, long seed, double noise, int blockRows) {
    return stored(truth, m, seed, noise, Outliers.none(), blockRows);
  }

  /** The instance with A stored in blocks of packed rows, its responses corrupted by {@code outliers}. */
  public static GaussianSensing stored(LowRankTruth truth, long m, long seed, double noise, Outliers outliers,
      int blockRows) {
    return new GaussianSensing(truth, m, seed, noise, outliers, blockRows, true);
  }

  /** The same instance with only y stored; the A_i are regenerated from (seed, i) in every pass. */
  public static GaussianSensing onTheFly(LowRankTruth truth, long m, long seed, double noise, int blockRows) {
    return onTheFly(truth, m, seed, noise, Outliers.none(), blockRows);
  }

  /** As {@link #onTheFly(LowRankTruth, long, long, double, int)}, the responses corrupted by {@code outliers}. */
  public static GaussianSensing onTheFly(LowRankTruth truth, long m, long seed, double noise, Outliers outliers,
      int blockRows) {
    return new GaussianSensing(truth, m, seed, noise, outliers, blockRows, false);
  }

  /**
   * ‖y*‖∞ = max_i |⟨A_i, M*⟩| over the clean responses: one generation of the operator on the driver, block by block
   * (only when uniform or positive outliers need it).
   */
  private double cleanMax() {
    double max = 0;
    for (int b = 0; b < layout.count(); b++) {
      for (double v : cleanResponses(b, null)) {
        max = Math.max(max, Math.abs(v));
      }
    }
    return max;
  }

  /** ⟨A_i, M*⟩ for the rows of block b; the packed A_i go into {@code a} (allocated when null). */
  private double[] cleanResponses(int b, double[] a) {
    int rows = layout.rowsIn(b);
    int p = packedTruth.length;
    double[] values = a != null ? a : new double[rows * p];
    fillPackedRows(operatorSeed(), m, truth.d(), layout.first(b), rows, values);
    double[] y = new double[rows];
    io.lowrank.linalg.Linalg.multiply(values, rows, p, packedTruth, y);
    return y;
  }

  /** Rows per block for packed dimension p: about 4 MB of values per block. */
  public static int defaultBlockRows(int d) {
    return Block.rowsFor(PackedSymmetric.length(d), 4L << 20);
  }

  /** The seed of the A_i streams (what {@code GeneratedGaussianOperator} needs). */
  public long operatorSeed() {
    return operatorSeed(seed);
  }

  /** The seed of the A_i streams of an instance seeded {@code seed} (symmetric and asymmetric Gaussian sensing). */
  public static long operatorSeed(long seed) {
    return Seeds.mix64(seed ^ 0x53454E53494E47L);
  }

  /** y[i] += σ ε_{first+i}, ε from the counter-based noise stream of measurement first+i (nothing when σ = 0). */
  static void addNoise(double[] y, long seed, long first, double noise) {
    if (noise > 0) {
      for (int i = 0; i < y.length; i++) {
        y[i] += noise * Seeds.stream(seed + NOISE_STREAM_OFFSET, first + i).nextGaussian();
      }
    }
  }

  /**
   * Fills {@code out} (column-major {@code rows x p}) with the packed A_i, i = firstRow..firstRow+rows−1: entry
   * (i, q) = N(0,1)/√m drawn from the counter-based stream (operatorSeed, i).
   */
  public static void fillPackedRows(long operatorSeed, long m, int d, long firstRow, int rows, double[] out) {
    fillRows(operatorSeed, m, PackedSymmetric.length(d), firstRow, rows, out);
  }

  /**
   * Fills {@code out} (column-major {@code rows x width}) with rows of N(0,1)/√m values, row i drawn from the
   * counter-based stream (operatorSeed, firstRow + i): the packed symmetric A_i ({@link #fillPackedRows}) and the
   * vec(A_i) of asymmetric Gaussian sensing ({@link AsymmetricGaussianSensing}) alike.
   */
  public static void fillRows(long operatorSeed, long m, int width, long firstRow, int rows, double[] out) {
    double scale = 1.0 / Math.sqrt(m);
    for (int i = 0; i < rows; i++) {
      SplittableRandom rng = Seeds.stream(operatorSeed, firstRow + i);
      for (int q = 0; q < width; q++) {
        out[i + q * rows] = scale * rng.nextGaussian();
      }
    }
  }

  public LowRankTruth truth() {
    return truth;
  }

  public long m() {
    return m;
  }

  public int d() {
    return truth.d();
  }

  public int blockRows() {
    return layout.blockRows();
  }

  public boolean isStored() {
    return stored;
  }

  /** The outlier model of the responses (none by default). */
  public Outliers outliers() {
    return outliers;
  }

  /** ‖y*‖∞ of the clean responses when uniform or positive outliers needed it, else NaN. */
  public double cleanMaxAbs() {
    return cleanMax;
  }

  @Override
  public int blockCount() {
    return layout.count();
  }

  @Override
  public Block block(int b) {
    int rows = layout.rowsIn(b);
    long first = layout.first(b);
    int p = packedTruth.length;
    double[] a = new double[rows * p];
    double[] y = cleanResponses(b, a);
    addNoise(y, seed, first, noise);
    outliers.addTo(y, seed, first, cleanMax);
    return stored ? new Block(b, rows, p, a, y) : new Block(b, rows, 0, new double[0], y);
  }

}
