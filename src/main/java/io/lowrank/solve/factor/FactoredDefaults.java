package io.lowrank.solve.factor;

import io.lowrank.solve.sensing.SubGradientMethod;

/**
 * The data-derived step sizes of the factored solvers, from a {@link SpectralScale} of S = (1/m) Σ ψ(y_i) A_i (no
 * knowledge of M*): SubGM's rule ({@link SubGradientMethod.Defaults#of(double[], double, int, int, double, double,
 * double, int)}, the one the symmetric sensing solver uses) applied to σ̂_1 ≥ … ≥ σ̂_{k+1} of S with the noise edge
 * ν = σ̂_{k+1} (the first value beyond the search rank k) and L = ln(√max(d1, d2)/α), and the step put in the units
 * of {@link FactorProblem}'s mean loss: η_0 = c_η / σ̂_1 for W1 W2^T, c_η / (2 σ̂_1) for W W^T (whose gradient carries
 * a factor 2). For ℓ2 (GD) and completion this makes the first steps η_0 ∇f ≈ c_η (W W^T − M*) W / σ_1(M*)
 * whatever the sampling rate q: S ≈ q M* /m and ∇f ≈ (q/m) Δ W alike.
 *
 * @param subgm SubGM's rule as applied (η_0 in the units of S, ρ, κ̂, whether σ̂_k stood out of the noise)
 * @param eta0 SubGM's η_0 in the units of the problem
 * @param stepUnit 1/σ̂_1 in the units of the problem (GD's step is η · stepUnit)
 */
public record FactoredDefaults(SubGradientMethod.Defaults subgm, double eta0, double stepUnit) {
  /**
   * The defaults for search rank k; α and ρ as set (NaN: derived, SubGM's α being the start's); tol and maxIterations
   * are the run's.
   */
  public static FactoredDefaults of(FactorProblem p, SpectralScale s, int k, double alpha, double rho, double tol,
      int maxIterations) {
    double[] v = s.values();
    double nu = v.length > k ? v[k] : 0;
    int d = Math.max(p.operator().rows(), p.operator().cols());
    SubGradientMethod.Defaults base = SubGradientMethod.Defaults.of(v, nu, Math.min(k, v.length), d, alpha, rho, tol,
        maxIterations);
    double unit = (p.symmetric() ? 0.5 : 1.0) / v[0];
    return new FactoredDefaults(base, base.eta0() * unit * v[0], unit);
  }
}
