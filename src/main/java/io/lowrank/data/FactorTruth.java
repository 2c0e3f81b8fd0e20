package io.lowrank.data;

import io.lowrank.linalg.Linalg;
import io.lowrank.linalg.Qr;
import io.lowrank.linalg.SymmetricEigen;
import java.io.Serializable;
import java.util.SplittableRandom;

/**
 * The ground truth of a factored instance held as its factors, M* = X* Y*^T (d1×d2, rank r*), or M* = X* X*^T when
 * symmetric ({@code right} is then the same array as {@code left}): an entry costs r* multiplications and nothing of
 * size d1×d2 is ever formed, so a 10⁴×10⁴ completion instance carries 2·10⁴·r* numbers.
 *
 * @param d1 rows of M*
 * @param d2 columns of M*
 * @param rank r*
 * @param left X*, d1×r* column-major
 * @param right Y*, d2×r* column-major (X* itself when symmetric)
 * @param symmetric whether M* = X* X*^T (positive semidefinite)
 */
public record FactorTruth(int d1, int d2, int rank, double[] left, double[] right, boolean symmetric)
    implements Serializable {
  private static final long TRUTH_STREAM = -11L;

  public FactorTruth {
    if (d1 < 1 || d2 < 1 || rank < 1 || rank > Math.min(d1, d2)) {
      throw new IllegalArgumentException("rstar (the true rank r*) must be in [1, min(d1, d2) = " + Math.min(d1, d2)
          + "], got " + rank + " for a " + d1 + "x" + d2 + " matrix");
    }
    if (left == null || left.length != (long) d1 * rank || right == null || right.length != (long) d2 * rank) {
      throw new IllegalArgumentException("the truth's factors must be " + d1 + "x" + rank + " and " + d2 + "x" + rank);
    }
    if (symmetric && (d1 != d2 || left != right)) {
      throw new IllegalArgumentException("a symmetric truth X* X*^T has one factor of a square matrix");
    }
  }

  /** M* = X* X*^T of a {@link LowRankTruth} (eigenvalues 1 down to 1/κ). */
  public static FactorTruth of(LowRankTruth truth) {
    double[] x = truth.factor();
    return new FactorTruth(truth.d(), truth.d(), truth.rank(), x, x, true);
  }

  /** M* = X* Y*^T from given factors (e.g. truth files), copied. */
  public static FactorTruth of(double[] left, int d1, double[] right, int d2, int rank) {
    return new FactorTruth(d1, d2, rank, left.clone(), right.clone(), false);
  }

  /**
   * Draws M* = U Σ V^T, d1×d2, with U and V uniformly random orthonormal r*-frames and singular values evenly spaced
   * from 1 down to 1/κ (as {@link LowRankTruth} draws its eigenvalues); X* = U Σ^{1/2}, Y* = V Σ^{1/2} (balanced).
   */
  public static FactorTruth generate(int d1, int d2, int rank, double kappa, long seed) {
    if (d1 < 1 || d2 < 1) {
      throw new IllegalArgumentException("d1 and d2 must be >= 1, got " + d1 + "x" + d2);
    }
    if (rank < 1 || rank > Math.min(d1, d2)) {
      throw new IllegalArgumentException("rstar (the true rank r*) must be in [1, min(d1, d2) = " + Math.min(d1, d2)
          + "], got " + rank);
    }
    if (!(kappa >= 1) || Double.isInfinite(kappa)) {
      throw new IllegalArgumentException("kappa must be finite and >= 1, got " + kappa);
    }
    SplittableRandom rng = Seeds.stream(seed, TRUTH_STREAM);
    double[] u = gaussian(d1 * rank, rng);
    double[] v = gaussian(d2 * rank, rng);
    LowRankTruth.orthonormalizeColumns(u, d1, rank);
    LowRankTruth.orthonormalizeColumns(v, d2, rank);
    for (int k = 0; k < rank; k++) {
      double s = Math.sqrt(rank == 1 ? 1.0 : 1.0 + (1.0 / kappa - 1.0) * k / (rank - 1));
      for (int i = 0; i < d1; i++) {
        u[i + k * d1] *= s;
      }
      for (int j = 0; j < d2; j++) {
        v[j + k * d2] *= s;
      }
    }
    return new FactorTruth(d1, d2, rank, u, v, false);
  }

  private static double[] gaussian(int n, SplittableRandom rng) {
    double[] x = new double[n];
    for (int i = 0; i < n; i++) {
      x[i] = rng.nextGaussian();
    }
    return x;
  }

  /** M*_ij = Σ_k X*_ik Y*_jk. */
  public double entry(int i, int j) {
    double s = 0;
    for (int k = 0; k < rank; k++) {
      s += left[i + k * d1] * right[j + k * d2];
    }
    return s;
  }

  /**
   * σ_1(M*) ≥ … ≥ σ_{r*}(M*), from the factors alone: with the thin QRs X* = Q_1 R_1 and Y* = Q_2 R_2,
   * M* = Q_1 (R_1 R_2^T) Q_2^T, so they are the singular values of the r*×r* matrix C = R_1 R_2^T, the square roots of
   * the eigenvalues of C^T C. O((d1 + d2) r*²); nothing d1×d2 is formed.
   */
  public double[] singularValues() {
    double[] r1 = Qr.r(left, d1, rank);
    double[] r2 = symmetric ? r1 : Qr.r(right, d2, rank);
    double[] c = new double[rank * rank];
    Linalg.gemm(false, true, rank, rank, rank, 1.0, r1, r2, 0.0, c);
    double[] ctc = new double[rank * rank];
    Linalg.gemm(true, false, rank, rank, rank, 1.0, c, c, 0.0, ctc);
    SymmetricEigen eig = SymmetricEigen.of(ctc, rank);
    double[] sigma = new double[rank];
    for (int k = 0; k < rank; k++) {
      sigma[k] = Math.sqrt(Math.max(0, eig.value(rank - 1 - k)));
    }
    return sigma;
  }

  /** κ = σ_1(M*)/σ_{r*}(M*) of this truth, computed from its factors ({@link #singularValues()}). */
  public double kappa() {
    double[] sigma = singularValues();
    return sigma[0] / sigma[rank - 1];
  }

  /** vec(M*), column-major d1·d2 values (for dense operators, whose d1·d2 is small by nature). */
  public double[] matrix() {
    double[] m = new double[d1 * d2];
    Linalg.gemm(false, true, d1, d2, rank, 1.0, left, right, 0.0, m);
    return m;
  }
}
