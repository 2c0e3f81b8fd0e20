package io.lowrank.data;

import io.lowrank.linalg.Linalg;

/**
 * Asymmetric Gaussian matrix sensing: y_i = ⟨A_i, M*⟩ + σ ε_i (+ s_i, the {@link Outliers}), M* = X* Y*^T (d1×d2,
 * rank r*), A_i ∈ R^{d1×d2} with i.i.d. N(0, 1/m) entries (so E‖A(M)‖² = ‖M‖_F²). Row i of the operator, vec(A_i)
 * column-major, is the d1·d2 Gaussians of the counter-based stream (operator seed, i) that {@link GaussianSensing}
 * draws its packed rows from ({@link GaussianSensing#fillRows}), so the operator is <em>stored</em> (blocks of
 * {@code rows x d1·d2}, the layout of {@code model.factor.DenseOperator}) or <em>generated on the fly</em> (y-only
 * blocks, Block.d = 0, read by {@code model.factor.GeneratedDenseOperator}) with bit-identical y and passes.
 */
public final class AsymmetricGaussianSensing implements BlockSource {
  private static final long serialVersionUID = 1L;

  private final FactorTruth truth;
  private final long m;
  private final long seed;
  private final double noise;
  private final Outliers outliers;
  private final BlockLayout layout;
  private final boolean stored;
  private final double[] truthMatrix;
  private final double cleanMax;

  private AsymmetricGaussianSensing(FactorTruth truth, long m, long seed, double noise, Outliers outliers,
      int blockRows, boolean stored) {
    if (m < 1) {
      throw new IllegalArgumentException("m must be >= 1, got " + m);
    }
    if (truth.symmetric()) {
      throw new IllegalArgumentException("asymmetric sensing needs a truth X* Y*^T, got a symmetric one");
    }
    if ((long) truth.d1() * truth.d2() > (1 << 24)) {
      throw new IllegalArgumentException("dense Gaussian sensing stores d1*d2 values per measurement: "
          + truth.d1() + "x" + truth.d2() + " is too large (d1*d2 <= 2^24)");
    }
    this.truth = truth;
    this.m = m;
    this.seed = seed;
    this.noise = BlockSource.checkNoise(noise);
    this.outliers = outliers == null ? Outliers.none() : outliers;
    this.stored = stored;
    this.truthMatrix = truth.matrix();
    this.layout = new BlockLayout(m, blockRows > 0 ? blockRows : defaultBlockRows(truth.d1(), truth.d2()));
    this.cleanMax = this.outliers.needsCleanMax() ? cleanMax() : Double.NaN;
  }

  /** The instance with vec(A_i) stored in the blocks. */
  public static AsymmetricGaussianSensing stored(FactorTruth truth, long m, long seed, double noise,
      Outliers outliers, int blockRows) {
    return new AsymmetricGaussianSensing(truth, m, seed, noise, outliers, blockRows, true);
  }

  /** The same instance with only y stored; the A_i are regenerated from (seed, i) in every pass. */
  public static AsymmetricGaussianSensing onTheFly(FactorTruth truth, long m, long seed, double noise,
      Outliers outliers, int blockRows) {
    return new AsymmetricGaussianSensing(truth, m, seed, noise, outliers, blockRows, false);
  }

  /** Rows per block: about 4 MB of sensing values. */
  public static int defaultBlockRows(int d1, int d2) {
    return Block.rowsFor(d1 * d2, 4L << 20);
  }

  public FactorTruth truth() {
    return truth;
  }

  public long m() {
    return m;
  }

  public int blockRows() {
    return layout.blockRows();
  }

  public boolean isStored() {
    return stored;
  }

  /** The seed of the A_i streams. */
  public long operatorSeed() {
    return GaussianSensing.operatorSeed(seed);
  }

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

  private double cleanMax() {
    double max = 0;
    for (int b = 0; b < layout.count(); b++) {
      for (double v : clean(b, null)) {
        max = Math.max(max, Math.abs(v));
      }
    }
    return max;
  }

  /** ⟨A_i, M*⟩ for the rows of block b; vec(A_i) go into {@code a} (allocated when null). */
  private double[] clean(int b, double[] a) {
    int rows = layout.rowsIn(b);
    int width = truth.d1() * truth.d2();
    double[] values = a != null ? a : new double[rows * width];
    GaussianSensing.fillRows(operatorSeed(), m, width, layout.first(b), rows, values);
    double[] y = new double[rows];
    Linalg.multiply(values, rows, width, truthMatrix, y);
    return y;
  }

  @Override
  public Block block(int b) {
    int rows = layout.rowsIn(b);
    long first = layout.first(b);
    int width = truth.d1() * truth.d2();
    double[] a = new double[rows * width];
    double[] y = clean(b, a);
    GaussianSensing.addNoise(y, seed, first, noise);
    outliers.addTo(y, seed, first, cleanMax);
    return stored ? new Block(b, rows, width, a, y) : new Block(b, rows, 0, new double[0], y);
  }
}
