package io.lowrank.data;

/**
 * Perturbed matrix completion (Yalcin, Zhang, Lavaei and Sojoudi, arXiv 2110.10279), the instance with exponentially
 * many spurious local minima: mask_ij = 1 when i = j or i or j is odd (0-based), ε otherwise, and one measurement per
 * ordered pair (i, j), all n² of them (the convention the SOD paper's figures depend on), A_ij = mask_ij (e_i e_j^T +
 * e_j e_i^T)/2, y_ij = mask_ij M*_ij.
 *
 * <p>Rank r*: the even indices are dealt round-robin to r* groups (group(i) = (i/2) mod r*), the truth Z (n×r*) has
 * Z_{i,k} = 1 when i is even and in group k, and ε weighs only the pairs of distinct even indices of the same group:
 * mask_ij = 1 also when i and j are in different groups (where M*_ij = 0). So M* is r* rank-one instances side by
 * side, their supports kept orthogonal by weight-1 entries, and r* = 1 is the paper's instance. (With ε on every pair
 * of even indices instead, a row of X can turn from one sign to the other through another column at a cost of order
 * ε², and gradient descent reaches the truth from random and signed starts alike: no spurious minimum to study.)
 *
 * <p>Blocks are entry blocks of {@code model.factor.EntryOperator} (columns i, j, w, then y), row e = i·n + j; a block
 * is a function of its index alone, so executors generate their own and n = 2000 (4·10⁶ entries) never passes
 * through the driver.
 */
public final class PerturbedCompletion implements BlockSource {
  private static final long serialVersionUID = 1L;
  private final int n;
  private final double epsilon;
  private final int truthRank;
  private final BlockLayout layout;

  /**
   * @param epsilon the weight off the odd rows and columns, in (0, 1]
   * @param truthRank r* ≥ 1, at most the number of even indices
   * @param blockRows entries per block (0 = 2^16)
   */
  public PerturbedCompletion(int n, double epsilon, int truthRank, int blockRows) {
    if (n < 2 || n > 46_340) {
      throw new IllegalArgumentException("perturbed completion needs 2 <= n <= 46340 (n^2 entries), got n = " + n);
    }
    if (!(epsilon > 0 && epsilon <= 1)) {
      throw new IllegalArgumentException("epsilon must be in (0, 1], got " + epsilon);
    }
    int evens = (n + 1) / 2;
    if (truthRank < 1 || truthRank > evens) {
      throw new IllegalArgumentException("the truth's rank r* must be in [1, " + evens + "] (the even indices of n = "
          + n + "), got " + truthRank);
    }
    this.n = n;
    this.epsilon = epsilon;
    this.truthRank = truthRank;
    this.layout = new BlockLayout((long) n * n, blockRows > 0 ? blockRows : 1 << 16);
  }

  public int n() {
    return n;
  }

  public double epsilon() {
    return epsilon;
  }

  public int truthRank() {
    return truthRank;
  }

  /** Number of measurements, n². */
  public long m() {
    return (long) n * n;
  }

  /** The weight of entry (i, j): ε between distinct even indices of the same group, 1 elsewhere. */
  public double mask(int i, int j) {
    return i == j || i % 2 == 1 || j % 2 == 1 || (i / 2) % truthRank != (j / 2) % truthRank ? 1.0 : epsilon;
  }

  /** The truth's factor Z (n×r*, column-major), M* = Z Z^T. */
  public double[] truth() {
    double[] z = new double[n * truthRank];
    for (int i = 0; i < n; i += 2) {
      z[i + ((i / 2) % truthRank) * n] = 1.0;
    }
    return z;
  }

  /** The operator's restricted isometry constant, 1 − ε² (‖A(M)‖² / ‖M‖_F² lies in [ε², 1]). */
  public double delta() {
    return 1 - epsilon * epsilon;
  }

  @Override
  public int blockCount() {
    return layout.count();
  }

  @Override
  public Block block(int b) {
    int rows = layout.rowsIn(b);
    long first = layout.first(b);
    double[] a = new double[3 * rows];
    double[] y = new double[rows];
    for (int e = 0; e < rows; e++) {
      long k = first + e;
      int i = (int) (k / n);
      int j = (int) (k % n);
      double w = mask(i, j);
      a[e] = i;
      a[e + rows] = j;
      a[e + 2 * rows] = w;
      // M*_ij = 1 when i and j are even and dealt to the same column of Z.
      boolean same = i % 2 == 0 && j % 2 == 0 && (i / 2) % truthRank == (j / 2) % truthRank;
      y[e] = same ? w : 0.0;
    }
    return new Block(b, rows, 3, a, y);
  }
}
