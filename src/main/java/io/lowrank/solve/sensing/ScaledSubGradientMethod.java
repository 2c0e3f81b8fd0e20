package io.lowrank.solve.sensing;

import io.lowrank.solve.Result;
import io.lowrank.solve.Stopping;

/**
 * The scaled sub-gradient method (Tong, Ma &amp; Chi, "Low-rank matrix recovery with scaled subgradient methods: fast
 * and robust convergence without the condition number", 2020): on the problem's loss f(W) = (1/2) Σ ρ(⟨A_i, WW^T⟩ −
 * y_i) — ℓ1 above all — iterate
 * <pre>
 *   W_{t+1} = W_t − η_t G_t W_t (W_t^T W_t + λ_t I)^{-1},   G_t = Σ_i ψ(r_i) A_i,   η_t = η_0 ρ^t,
 * </pre>
 * from the trimmed spectral start ({@link TrimmedSpectralStart}), one pass per iteration. The preconditioner
 * (W^T W)^{-1} makes the step act on every direction of M* at the same relative rate, so the iteration count does
 * not grow with κ (plain SubGM's does). The paper has λ = 0 at exact rank (k = r*). Over-parameterised (k &gt; r*)
 * W^T W becomes near-singular along the excess columns; as ScaledGD(λ) and PrecGD do for ℓ2, λ_t &gt; 0 damps them:
 * λ_t = λ_0 ρ^t by default, shrinking with the step (and so with the error the step tracks), or a fixed λ. The loop
 * (schedule, trace, stopping) is {@link SubGradientMethod}'s; the preconditioned step is ScaledGD's
 * ({@link Preconditioned}). The trace's mu column holds η_t.
 */
public final class ScaledSubGradientMethod implements SensingSolver {
  /**
   * @param schedule η_0, ρ, tol and the budget (validated as SubGM's)
   * @param lambda0 λ_0 ≥ 0 (0: the paper's unregularised step)
   * @param decay whether λ_t = λ_0 ρ^t (true) or λ_t = λ_0 (false)
   */
  public record Options(SubGradientMethod.Options schedule, double lambda0, boolean decay) {
    public Options {
      if (schedule == null) {
        throw new IllegalArgumentException("the step schedule must be given");
      }
      if (!(lambda0 >= 0) || Double.isInfinite(lambda0)) {
        throw new IllegalArgumentException("lambda (the damping λ of scaled-subgm) must be finite and >= 0, got "
            + lambda0);
      }
    }

    /** λ_t for the step into iteration t (t ≥ 1). */
    public double lambda(int t) {
      return decay ? lambda0 * Math.pow(schedule.rho(), t - 1) : lambda0;
    }

    public Stopping.ErrorOrVanishingStep stopping() {
      return schedule.stopping();
    }
  }

  /** c_η of {@link Defaults}. */
  public static final double ETA_FACTOR = 0.5;
  /** 1 − ρ at m ≥ {@value #RICH} d k measurements (see {@link Defaults}). */
  public static final double RATE = 0.15;
  /** Measurements per search parameter, m/(d k), from which the fastest default ρ = 1 − RATE applies. */
  public static final double RICH = 5;

  /**
   * The data-derived η_0 and λ_0 and the default ρ, from the set-up pass and the start (no extra pass).
   *
   * <p><b>η_0 = c_η σ̂_1 / λ_1(S)</b>, c_η = {@value #ETA_FACTOR}: S = Σ ψ(y_i) A_i is the set-up pass's spectral
   * matrix under the problem's loss and σ̂_1 = σ_1(W_0 W_0^T) the start's top eigenvalue. For ℓ1, S ≈ β M* / ‖M*‖_F and
   * G ≈ β Δ/‖Δ‖_F with the same β (about (1−p)√(2m/π) on Gaussian operators), so σ̂_1/λ_1(S) ≈ ‖M*‖_F/β converts G
   * into the units of M: the first step η_0 G W (W^T W)^{-1} moves WW^T by about c_η‖M*‖_F along −Δ/‖Δ‖_F, the size
   * of the start's error (0.35 … 0.55 relative on the measured instances). For ℓ2, S ≈ M* and η_0 ≈ c_η: ScaledGD's
   * step. Measured (d = 60, r* = 3, m = 10 d r*, p ∈ {0, 0.2}, κ ∈ {10, 100}): c_η from 0.3 to 1 converge alike
   * at ρ = 0.8; 0.1 and below stall (the steps die out before the error has been walked off).
   *
   * <p><b>ρ = 1 − c_ρ·min(1, √(m / (c_m d k)))</b>, c_ρ = {@value #RATE}, c_m = {@value #RICH}; not derived from κ:
   * the scaled step contracts every direction of M* alike, so the rate the schedule may follow is set by the loss's
   * sharpness over the size of its sub-gradients' deviation, which grows like √(d k / m) with the search space (and
   * with the outlier fraction, which one pass does not measure). Measured (d = 60, r* = 3): at m = 10 d r* and
   * k ∈ {r*, 2r*} (m/(dk) ≥ 5, so ρ = 0.85) ρ = 0.8 converges except at k = 2r* with p = 0.2 (stalls at 2e-5) and
   * 0.85 converges everywhere, in about ln(1e10)/ln(1/ρ) ≈ 140 iterations to 1e-10; at k = d, m = 16 d r*
   * (m/(dk) = 0.8: ρ = 0.94) 0.85 converges without outliers and stalls with p = 0.2 (3e-4), 0.9 stalls (4e-5), 0.95
   * converges (441 iterations, κ = 10 and 100 alike).
   *
   * <p><b>λ_0 = c_λ σ̂_1</b> (c_λ = sensing.lambda-factor, 0.1), decaying as λ_t = λ_0 ρ^t with the step, so that λ
   * keeps the size of the error the step tracks (PrecGD's λ ∝ ‖Δ‖ for ℓ2).
   *
   * @param eta0 η_0
   * @param rho ρ
   * @param lambda0 λ_0
   * @param sigmaMax σ̂_1 = σ_1(W_0 W_0^T)
   */
  public record Defaults(double eta0, double rho, double lambda0, double sigmaMax) {
    /**
     * @throws IllegalArgumentException when S or the start has no positive eigenvalue (y ≡ 0): η_0 must be set
     */
    public static Defaults of(SensingProblem p, TrimmedSpectralStart.Start start, double lambdaFactor) {
      double s1 = p.spectralValues()[0];
      double sigma = start.sigmaMax();
      if (!(s1 > 0) || !(sigma > 0) || Double.isInfinite(s1)) {
        throw new IllegalArgumentException("cannot derive subgm-eta0 for scaled-subgm from the data: the spectral "
            + "matrix has no positive eigenvalue (are all y_i zero?); set sensing.subgm-eta0");
      }
      double k = start.x0().length / (double) p.d();
      double perParameter = p.m() / (p.d() * k); // m / (d k)
      double rho = 1 - RATE * Math.min(1, Math.sqrt(perParameter / RICH));
      return new Defaults(ETA_FACTOR * sigma / s1, rho, lambdaFactor * sigma, sigma);
    }
  }

  private final Options options;

  public ScaledSubGradientMethod(Options options) {
    this.options = options;
  }

  @Override
  public String name() {
    return "scaled-subgm";
  }

  public Options options() {
    return options;
  }

  /** Iterates from W_0 (d×r, column-major; the trimmed spectral start) until the rule stops or the budget ends. */
  @Override
  public Result solve(SensingProblem p, double[] w0, int r) {
    int d = p.d();
    return SubGradientMethod.iterate(name(), options.schedule(), p, w0, r,
        (t, eta, subgradient, w) -> Preconditioned.step(eta, subgradient, w, d, r, options.lambda(t)));
  }
}
