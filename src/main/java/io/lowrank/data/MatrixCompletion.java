package io.lowrank.data;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Matrix completion generated on the executors: each entry (i, j) of M* = X* Y*^T (d1×d2; or, symmetric, each entry
 * i ≤ j of M* = X* X*^T) is observed independently with probability q, y_ij = M*_ij + σ ε_ij (+ s_ij, the
 * {@link Outliers}). Which columns of row i are observed comes from the counter-based stream (seed, i) alone (the
 * gaps between observed columns are geometric, so a row costs its observed entries, not d2 draws); ε_ij and s_ij
 * are those of measurement id i·d2 + j. The same instance thus comes out whatever the block size or partition count.
 *
 * <p>Block b covers the matrix rows [b·rowsPerBlock, (b+1)·rowsPerBlock) and holds their observed entries in the
 * layout of {@code model.factor.EntryOperator}: Block.d = 3, columns i, j, w (w = 1), then y; 32 bytes an entry and
 * nothing of size d1×d2 anywhere. The number of entries m is Binomial(d1·d2, q) (d(d+1)/2 symmetric), known once
 * the blocks are counted; an exact count m asked for is q = m / (d1·d2), within a few √m of m.
 */
public final class MatrixCompletion implements BlockSource {
  private static final long serialVersionUID = 1L;
  private static final long SAMPLING_STREAM = 0x53414D504C45L;
  /** Entries a block holds on average by default: 2^17 (4 MB of i, j, w, y). */
  public static final long DEFAULT_BLOCK_ENTRIES = 1L << 17;

  private final FactorTruth truth;
  private final double q;
  private final long seed;
  private final double noise;
  private final Outliers outliers;
  private final BlockLayout layout;
  private final double cleanMax;

  private MatrixCompletion(FactorTruth truth, double q, long seed, double noise, Outliers outliers, int rowsPerBlock) {
    if (!(q > 0 && q <= 1)) {
      throw new IllegalArgumentException("sampling (the probability q that an entry is observed) must be in (0, 1], "
          + "got " + q);
    }
    this.truth = truth;
    this.q = q;
    this.seed = seed;
    this.noise = BlockSource.checkNoise(noise);
    this.outliers = outliers == null ? Outliers.none() : outliers;
    this.layout = new BlockLayout(truth.d1(), rowsPerBlock > 0 ? rowsPerBlock : defaultRowsPerBlock(truth, q));
    this.cleanMax = this.outliers.needsCleanMax() ? cleanMax() : Double.NaN;
  }

  /**
   * The instance: entries of {@code truth} observed with probability {@code q} (symmetric truths: the entries i ≤ j).
   *
   * @param rowsPerBlock matrix rows per block; 0 = about {@value #DEFAULT_BLOCK_ENTRIES} entries per block
   */
  public static MatrixCompletion of(FactorTruth truth, double q, long seed, double noise, Outliers outliers,
      int rowsPerBlock) {
    return new MatrixCompletion(truth, q, seed, noise, outliers, rowsPerBlock);
  }

  /** The q that observes m entries in expectation: m / (d1·d2), or m / (d(d+1)/2) for a symmetric truth. */
  public static double samplingFor(long m, int d1, int d2, boolean symmetric) {
    double cells = symmetric ? 0.5 * d1 * (d1 + 1.0) : (double) d1 * d2;
    if (m < 1 || m > cells) {
      throw new IllegalArgumentException("m (the number of observed entries) must be in [1, " + (long) cells
          + "] for a " + d1 + "x" + d2 + (symmetric ? " symmetric" : "") + " matrix, got " + m);
    }
    return m / cells;
  }

  private static int defaultRowsPerBlock(FactorTruth t, double q) {
    double perRow = Math.max(1e-9, q * (t.symmetric() ? 0.5 * t.d2() : t.d2()));
    return (int) Math.max(1, Math.min(t.d1(), DEFAULT_BLOCK_ENTRIES / perRow));
  }

  public FactorTruth truth() {
    return truth;
  }

  /** q, the probability that an entry is observed. */
  public double sampling() {
    return q;
  }

  public Outliers outliers() {
    return outliers;
  }

  /** The expected number of observed entries. */
  public double expectedEntries() {
    return q * (truth.symmetric() ? 0.5 * truth.d1() * (truth.d1() + 1.0) : (double) truth.d1() * truth.d2());
  }

  @Override
  public int blockCount() {
    return layout.count();
  }

  @Override
  public Block block(int b) {
    return entries(b, false);
  }

  /** ‖y*‖∞ over the observed clean entries: one generation of them on the driver (uniform, positive outliers). */
  private double cleanMax() {
    double max = 0;
    for (int b = 0; b < layout.count(); b++) {
      for (double v : entries(b, true).y) {
        max = Math.max(max, Math.abs(v));
      }
    }
    return max;
  }

  private Block entries(int b, boolean clean) {
    int first = (int) layout.first(b);
    int rows = layout.rowsIn(b);
    int d2 = truth.d2();
    int capacity = (int) Math.min(Integer.MAX_VALUE / 4, Math.max(16, (long) (1.2 * q * rows * d2) + 16));
    int[] ii = new int[capacity];
    int[] jj = new int[capacity];
    int n = 0;
    double logSkip = q < 1 ? Math.log1p(-q) : 0;
    for (int i = first; i < first + rows; i++) {
      SplittableRandom rng = Seeds.stream(Seeds.mix64(seed ^ SAMPLING_STREAM), i);
      int j = truth.symmetric() ? i : 0;
      while (true) {
        if (q < 1) {
          // The gap to the next observed column: Geometric(q) on {0, 1, ...}, by inversion.
          double gap = Math.floor(Math.log(1.0 - rng.nextDouble()) / logSkip);
          if (gap >= d2 - j) {
            break;
          }
          j += (int) gap;
        }
        if (j >= d2) {
          break;
        }
        if (n == ii.length) {
          ii = Arrays.copyOf(ii, 2 * n);
          jj = Arrays.copyOf(jj, 2 * n);
        }
        ii[n] = i;
        jj[n] = j;
        n++;
        j++;
      }
    }
    double[] a = new double[3 * n];
    double[] y = new double[n];
    for (int e = 0; e < n; e++) {
      a[e] = ii[e];
      a[e + n] = jj[e];
      a[e + 2 * n] = 1.0;
      y[e] = truth.entry(ii[e], jj[e]);
      if (!clean) {
        long id = (long) ii[e] * d2 + jj[e];
        if (noise > 0) {
          double[] one = {y[e]};
          GaussianSensing.addNoise(one, seed, id, noise);
          y[e] = one[0];
        }
        y[e] += outliers.offset(seed, id, cleanMax);
      }
    }
    return new Block(b, n, 3, a, y);
  }
}
