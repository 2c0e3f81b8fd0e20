package io.lowrank.solve.sensing;

import io.lowrank.linalg.SymmetricEigen;

/**
 * ScaledGD(λ)'s λ when σ_min(M*) is not known: λ_t = c·σ̂_t, with σ̂_t an estimate of σ_min(M*) that sharpens as the
 * iterate grows,
 * <pre>
 *   σ̂_t = max( min_{τ ≤ t} λ_1(−D_τ)⁺ ,  2√f(X_t) ).
 * </pre>
 * D = A*A(XX^T − M*) is the step matrix of the pass at X_t (G for isotropic operators), so −D ≈ M* − XX^T: its top
 * eigenvalue is the strength of the strongest direction of M* the iterate has not fitted yet — σ_1 at the small
 * start, then σ_2, …, and σ_min(M*) while the weakest one grows, which is when λ ≈ c·σ_min matters (the weak
 * direction grows by 1 + ησ_min/λ per step). The running min keeps the estimate from rising again. Once everything
 * is fitted λ_1(−D) is only the operator's noise, and the second term takes over: 2√f = ‖A(XX^T) − y‖ ≈ ‖XX^T −
 * M*‖_F, the current error, PrecGD's damping (λ_t = c√f there) up to the factor 2. That floor keeps the excess
 * directions of an over-parameterised X stable (a λ far below the noise of D along them blows them up at r = d)
 * and lets λ shrink with the error, so the tail stays linear where a fixed λ leaves a slow one.
 *
 * <p>Measured (d = 60, r* = 3, m = 10 d r*, the trials' instance, c = 0.1, small start α = 1e-3; iterations to 1e-8):
 * κ = 100: r = 3: 58 (fixed λ = 0.1σ_min: 61; the former auto, 0.1·σ̂_min of the set-up pass: 181), r = 6: 75 (fixed:
 * MAX_ITER at 3.7e-6), r = 60: 281 (fixed: DIVERGED); κ = 10: 61, 78, 286. One d×d eigen-decomposition per iteration
 * on the driver (O(d³), small next to the pass's O(m d²) with m ≥ d).
 */
public final class AdaptiveDamping {
  private final double factor;
  private double estimate = Double.POSITIVE_INFINITY;

  /** @param factor c in λ_t = c·σ̂_t (&gt; 0; sensing.lambda-factor, default 0.1) */
  public AdaptiveDamping(double factor) {
    if (!(factor > 0) || Double.isInfinite(factor)) {
      throw new IllegalArgumentException("lambda-factor must be finite and > 0, got " + factor);
    }
    this.factor = factor;
  }

  /**
   * λ_t at X_t.
   *
   * @param stepMatrix D_t (d×d) of the pass at X_t
   * @param loss f(X_t) = (1/4) Σ r_i²
   */
  public double next(double[] stepMatrix, int d, double loss) {
    double unfit = Math.max(0, -SymmetricEigen.of(stepMatrix, d).value(0));
    estimate = Math.min(estimate, unfit);
    return factor * Math.max(estimate, 2 * Math.sqrt(loss));
  }

  /** σ̂_t so far (+∞ before the first call). */
  public double sigmaMinEstimate() {
    return estimate;
  }
}
