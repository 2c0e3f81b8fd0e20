package io.lowrank.solve.landscape;

/**
 * h(Z) and the gradient of its smoothed version h_μ at one Z (d×c), as one evaluation (one pass over the data when
 * the oracle is {@link PassCurvature}).
 */
public interface CurvatureOracle {
  /** One evaluation of h and ∇h_μ at z. */
  Evaluation evaluate(double[] z, double mu);

  /** Rows d of Z. */
  int rows();

  /**
   * @param h the exact h(Z)
   * @param smoothed h_μ(Z) (≤ h(Z); = h at μ = 0)
   * @param gradient the Euclidean gradient of h_μ at Z, d×c column-major
   * @param scale (1/m) Σ_i |⟨A_i, Z Z^T⟩|, the scale h is normalised by (|h| ≤ scale)
   * @param meanCleanAbs the mean of |⟨A_i, Z Z^T⟩| over the clean rows (where μ smooths)
   * @param quadraticRadius γ_q: f(W* + γ[0, Z]) − f(W*) = γ² h(Z) exactly for γ ≤ γ_q (+∞ without outliers)
   */
  record Evaluation(double h, double smoothed, double[] gradient, double scale, double meanCleanAbs,
      double quadraticRadius) {}
}
