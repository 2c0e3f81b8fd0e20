package io.lowrank.data;

import io.lowrank.linalg.Linalg;
import java.io.Serializable;
import java.util.SplittableRandom;

/**
 * The ground truth of a matrix-sensing instance: M* = X* X*^T, d×d, positive semidefinite, rank r*, with the
 * eigenvalues of M* evenly spaced from 1 down to 1/κ (so σ_1(M*) = 1, σ_{r*}(M*) = 1/κ and κ is the condition
 * number) and a seeded uniformly random r*-dimensional eigenspace. X* = U diag(√σ) with U (d×r*) orthonormal.
 */
public final class LowRankTruth implements Serializable {
  private static final long serialVersionUID = 1L;
  private static final long TRUTH_STREAM = -7L;

  private final int d;
  private final int rank;
  private final double kappa;
  private final double[] factor;
  private final double[] eigenvalues;

  private LowRankTruth(int d, int rank, double kappa, double[] factor, double[] eigenvalues) {
    this.d = d;
    this.rank = rank;
    this.kappa = kappa;
    this.factor = factor;
    this.eigenvalues = eigenvalues;
  }

  /**
   * Draws M*.
   *
   * @param d dimension (≥ 1)
   * @param rank r* (1 ≤ r* ≤ d)
   * @param kappa condition number κ = σ_1/σ_{r*} (≥ 1)
   * @param seed seed of the eigenspace
   */
  public static LowRankTruth generate(int d, int rank, double kappa, long seed) {
    if (d < 1) {
      throw new IllegalArgumentException("d must be >= 1, got " + d);
    }
    if (rank < 1 || rank > d) {
      throw new IllegalArgumentException("rstar (the true rank r*) must be in [1, d = " + d + "], got " + rank);
    }
    if (!(kappa >= 1) || Double.isInfinite(kappa)) {
      throw new IllegalArgumentException("kappa must be finite and >= 1, got " + kappa);
    }
    SplittableRandom rng = Seeds.stream(seed, TRUTH_STREAM);
    double[] u = new double[d * rank];
    for (int i = 0; i < u.length; i++) {
      u[i] = rng.nextGaussian();
    }
    orthonormalizeColumns(u, d, rank);
    double[] sigma = new double[rank];
    double[] x = new double[d * rank];
    for (int k = 0; k < rank; k++) {
      // Evenly spaced from 1 to 1/κ.
      sigma[k] = rank == 1 ? 1.0 : 1.0 + (1.0 / kappa - 1.0) * k / (rank - 1);
      double s = Math.sqrt(sigma[k]);
      for (int i = 0; i < d; i++) {
        x[i + k * d] = s * u[i + k * d];
      }
    }
    // With r* = 1 there is one eigenvalue: κ = 1 whatever was asked.
    return new LowRankTruth(d, rank, sigma[0] / sigma[rank - 1], x, sigma);
  }

  /** Wraps a given factor X* ({@code d x rank}, column-major); the eigenvalues are computed from it. */
  public static LowRankTruth ofFactor(double[] factor, int d, int rank) {
    double[] sigma = gramEigenvalues(factor, d, rank, "X*");
    return new LowRankTruth(d, rank, sigma[0] / sigma[rank - 1], factor.clone(), sigma);
  }

  /**
   * The eigenvalues of F^T F, largest first, of a truth factor F ({@code d x rank}, column-major) that must have full
   * column rank (for F = X* they are those of M* = X* X*^T).
   *
   * @param name the factor in messages (X*, Y*)
   * @throws IllegalArgumentException if F does not hold d·rank values or its columns are dependent up to rounding
   */
  public static double[] gramEigenvalues(double[] factor, int d, int rank, String name) {
    if (d < 1 || rank < 1 || factor.length != d * rank) {
      throw new IllegalArgumentException("truth factor " + name + " must hold d*rank = " + d + "*" + rank
          + " values, got " + factor.length);
    }
    double[] gram = new double[rank * rank];
    Linalg.gemm(true, false, rank, rank, d, 1.0, factor, factor, 0.0, gram);
    var eig = io.lowrank.linalg.SymmetricEigen.of(gram, rank);
    double[] sigma = new double[rank];
    for (int k = 0; k < rank; k++) {
      sigma[k] = eig.value(rank - 1 - k);
    }
    // Relative to σ_1 and d: below this the columns are dependent up to rounding.
    if (!(sigma[rank - 1] > 1e-12 * d * sigma[0])) {
      throw new IllegalArgumentException("the truth factor " + name + " (" + d + "x" + rank + ") must have full "
          + "column rank " + rank + ": the smallest eigenvalue of " + name + "^T " + name + " is " + sigma[rank - 1]
          + " against a largest of " + sigma[0] + " (drop dependent or zero columns)");
    }
    return sigma;
  }

  /** Modified Gram-Schmidt (twice, for orthogonality to rounding) on the columns of a {@code rows x cols} matrix. */
  public static void orthonormalizeColumns(double[] a, int rows, int cols) {
    for (int pass = 0; pass < 2; pass++) {
      for (int k = 0; k < cols; k++) {
        for (int j = 0; j < k; j++) {
          double dot = 0;
          for (int i = 0; i < rows; i++) {
            dot += a[i + j * rows] * a[i + k * rows];
          }
          for (int i = 0; i < rows; i++) {
            a[i + k * rows] -= dot * a[i + j * rows];
          }
        }
        double norm = 0;
        for (int i = 0; i < rows; i++) {
          norm += a[i + k * rows] * a[i + k * rows];
        }
        norm = Math.sqrt(norm);
        for (int i = 0; i < rows; i++) {
          a[i + k * rows] /= norm;
        }
      }
    }
  }

  public int d() {
    return d;
  }

  /** r*. */
  public int rank() {
    return rank;
  }

  /** κ = σ_1(M*)/σ_{r*}(M*). */
  public double kappa() {
    return kappa;
  }

  /** σ_1(M*). */
  public double sigmaMax() {
    return eigenvalues[0];
  }

  /** σ_{r*}(M*), the smallest nonzero eigenvalue. */
  public double sigmaMin() {
    return eigenvalues[rank - 1];
  }

  /** The factor X* (d×r*, column-major; a copy). */
  public double[] factor() {
    return factor.clone();
  }

  /** M* = X* X*^T (d×d, column-major, full). */
  public double[] matrix() {
    double[] m = new double[d * d];
    Linalg.gemm(false, true, d, d, rank, 1.0, factor, factor, 0.0, m);
    return m;
  }
}
