package io.lowrank.solve.sensing;

import io.lowrank.linalg.Linalg;
import io.lowrank.solve.IterationLoop;
import io.lowrank.solve.Result;
import io.lowrank.solve.Status;
import io.lowrank.solve.Stopping;

/**
 * SubGM, the sub-gradient method for robust low-rank recovery (Ma &amp; Fattahi, "Global convergence of sub-gradient
 * method for robust matrix recovery: small initialization, noisy measurements, and over-parameterization", JMLR
 * 2023): on the problem's loss f(W) = (1/2) Σ ρ(⟨A_i, WW^T⟩ − y_i) — ℓ1 above all — iterate
 * <pre>
 *   W_{t+1} = W_t − η_t G_t W_t,   G_t = Σ_i ψ(r_i) A_i (sign(r_i) for ℓ1),   η_t = η_0 ρ^t,
 * </pre>
 * from the small random start W_0 = α·N(0, 1/d) ({@link SensingInitializer#smallRandom}), one pass per iteration
 * (the pass at W_t gives f and G_t). G_t W_t is a sub-gradient of f (its gradient for smooth losses); DESIGN §4's
 * G = (1/m) Σ sign(r_i)(A_i + A_i^T), written with unnormalised A_i, is the same direction on another scale, which
 * η_0 absorbs (see {@link io.lowrank.model.Loss} for the normalisation). A sub-gradient
 * does not shrink near the solution, so the step must: the geometric decay η_0 ρ^t gives a linear rate when ρ is
 * not below the rate the problem allows, and a stall (the steps die out first) when it is.
 *
 * <p>The trace's mu column holds the η_t of the step that led to the row, its distance column the relative error
 * ‖WW^T − M*‖_F/‖M*‖_F when the truth is known. Stopping: {@link Stopping.ErrorOrVanishingStep}.
 */
public final class SubGradientMethod implements SensingSolver {
  /** Relative step / relative error below which a run that knows the truth is STALLED. */
  public static final double STALL_RATIO = 1e-4;

  /**
   * @param eta0 η_0 &gt; 0, the first step (in the units of G; {@link Defaults} derives it from the data)
   * @param rho ρ in (0, 1), the decay of η_t = η_0 ρ^t
   * @param tol stop when ‖WW^T − M*‖_F/‖M*‖_F ≤ tol (truth known), else when the relative step ≤ tol
   * @param maxIterations iteration budget
   * @param fstar NaN: the geometric schedule η_t = η_0 ρ^t; a number f* ≥ 0 (the optimal value, in the units of f =
   *     (1/2) Σ ρ(r_i)): Polyak's step η_t = (f(W_t) − f*) / ⟨∇, P(∇)⟩ with P the method's preconditioner (the
   *     identity for SubGM, (W^T W + λI)^{-1} for the scaled method; Tong, Ma &amp; Chi's scaled Polyak step), η_0 and
   *     ρ then unused
   */
  public record Options(double eta0, double rho, double tol, int maxIterations, double fstar) {
    /** The geometric schedule η_t = η_0 ρ^t. */
    public Options(double eta0, double rho, double tol, int maxIterations) {
      this(eta0, rho, tol, maxIterations, Double.NaN);
    }

    /** Whether the step is Polyak's (f* given). */
    public boolean polyak() {
      return !Double.isNaN(fstar);
    }

    public Options {
      if (!Double.isNaN(fstar) && (!(fstar >= 0) || Double.isInfinite(fstar))) {
        throw new IllegalArgumentException("fstar (the optimal loss f* of Polyak's step) must be finite and >= 0, got "
            + fstar);
      }
      if (!(eta0 > 0) || Double.isInfinite(eta0)) {
        throw new IllegalArgumentException("subgm-eta0 (the first step η_0) must be finite and > 0, got " + eta0);
      }
      if (!(rho > 0 && rho < 1)) {
        throw new IllegalArgumentException("subgm-rho (the step decay ρ in η_t = η_0 ρ^t) must be in (0, 1), got "
            + rho + (rho >= 1 ? ": a step that does not decay leaves a sub-gradient method oscillating at the scale "
            + "of η_0" : ""));
      }
      stopping(tol, maxIterations);
    }

    /** The loop's stopping rule. */
    public Stopping.ErrorOrVanishingStep stopping() {
      return stopping(tol, maxIterations);
    }

    private static Stopping.ErrorOrVanishingStep stopping(double tol, int maxIterations) {
      return new Stopping.ErrorOrVanishingStep(tol, maxIterations, STALL_RATIO);
    }
  }

  /**
   * c_η of {@link Defaults}: η_0 = c_η / σ̂_1. Measured on Gaussian operators (d = 20, r* = 2, m = 8 d r*, p = 0.2): 4
   * blows up at the first fit, 2 once at r = 2 r*; 1 never did.
   */
  public static final double ETA_FACTOR = 1.0;
  /** κ̂ is capped here (so ρ ≤ 1 − c_η/(200 L)): beyond it a set ρ, or a larger budget, is the user's call. */
  public static final double KAPPA_CAP = 100;
  /** λ_r(S) must exceed this multiple of the noise edge ν to count as a resolved eigenvalue. */
  public static final double RESOLVED_MARGIN = 1.3;

  /**
   * SubGM's data-derived η_0 and ρ, and what they were derived from — no extra pass: all of it comes from the set-up
   * pass's spectral matrix S = −G(0) = Σ ψ(y_i) A_i under the problem's loss.
   *
   * <p><b>η_0 = c_η / σ̂_1</b>, c_η = {@value #ETA_FACTOR}, σ̂_1 = λ_1(S). For ℓ1 the sub-gradient at W is
   * G ≈ β Δ / ‖Δ‖_F, Δ = WW^T − M*, with a β that depends on m, p, the outliers and the operator's scale (about
   * (1−p)√(2m/π) on ours); near the small start S ≈ β M* / ‖M*‖_F, so λ_1(S) ≈ β σ_1 / ‖M*‖_F and the first steps
   * η_0 G W are the least-squares gradient steps c_η Δ W / σ_1 whatever the loss, the operator's normalisation or
   * the scale of y (for ℓ2, S ≈ M* and this is GD's step c_η/σ_1).
   *
   * <p><b>ρ = 1 − c_η/(2 κ̂ L)</b>, L = ln(√d / α). From the small start W_0 = α·N(0, 1/d) the component of W along
   * the weakest direction of M* must grow from about α/√d to √σ_r, by factors 1 + η_t β σ_r/‖Δ_t‖ ≈ 1 + c_η ρ^t/κ,
   * before the steps have decayed: Σ_t c_η ρ^t/κ = c_η/(κ(1 − ρ)) ≥ L; ρ takes a factor 2 of margin on that. κ̂ is
   * the ratio of the top and r-th eigenvalue of S, both taken back through the BBP relation λ = θ + ν²/(4θ) of a
   * spike θ in a noise whose spectrum ends at ν = |λ_min(S)| (M* ⪰ 0, so the negative side of S is noise):
   * θ = (λ + √(λ² − ν²))/2. The r-th eigenvalue counts as resolved when λ_r &gt; {@value #RESOLVED_MARGIN}·ν (the
   * edge of the noise fluctuates: on Gaussian operators at m = 8 d r, p = 0.2, pure noise reached λ_r/ν = 1.2 in 48
   * draws); with no negative eigenvalue (ν = 0: the rank-one operator, whose S is dominated by a multiple of I) none
   * is. When it is not (m too small for one pass to see the weakest direction — the usual case at m ≈ 10 d r*,
   * and always at κ ≥ 10 there), κ̂ = θ_1/(ν/2) is only a lower bound of κ and says nothing of how slow ρ must be;
   * ρ is then the budget's, (tol/100)^{1/max-iter}: η_t comes down to tol·η_0/100 at the end of the budget, which
   * leaves the error (it follows η_t, a growth phase behind) room to reach tol. The budget, not a guess of κ, bounds
   * the run, and a harder problem needs a larger max-iter or a set ρ. STALLED says the steps died out first (raise ρ
   * toward 1); MAX_ITER with an error still falling at rate ρ says the budget was short.
   *
   * @param eta0 η_0
   * @param rho ρ
   * @param sigmaMax σ̂_1 = λ_1(S)
   * @param kappa κ̂ (a lower bound when not resolved, and then not used), at most {@value #KAPPA_CAP}
   * @param resolved whether λ_r(S) was above the noise edge ν (with the margin)
   * @param growth L = ln(√d/α)
   */
  public record Defaults(double eta0, double rho, double sigmaMax, double kappa, boolean resolved, double growth) {
    /**
     * The defaults for a search rank r and start scale α on a set-up problem; tol and maxIterations are the run's.
     *
     * @throws IllegalArgumentException when S has no positive eigenvalue (y ≡ 0): η_0 must then be set
     */
    public static Defaults of(SensingProblem p, int r, double alpha, double tol, int maxIterations) {
      int d = p.d();
      if (r < 1 || r > d) {
        throw new IllegalArgumentException("r (the search rank) must be in [1, d = " + d + "], got " + r);
      }
      double[] v = p.spectralValues();
      return of(v, Math.max(0, -v[d - 1]), r, d, alpha, tol, maxIterations);
    }

    /**
     * The same rule from the top of a spectrum and its noise edge: {@code v} the leading eigenvalues (or singular
     * values) of S, descending, at least r of them; ν ≥ 0 the edge of S's noise (0: none known); d the dimension in
     * L = ln(√d/α). The factored solvers (solve/factor) call it with S's singular values from power iterations.
     */
    public static Defaults of(double[] v, double nu, int r, int d, double alpha, double tol, int maxIterations) {
      if (!(v[0] > 0) || Double.isInfinite(v[0])) {
        throw new IllegalArgumentException("cannot derive subgm-eta0 from the data: the spectral matrix "
            + "Σ ψ(y_i) A_i has no positive eigenvalue (are all y_i zero?); set sensing.subgm-eta0");
      }
      double theta1 = spike(v[0], nu);
      boolean resolved = nu > 0 && v[r - 1] > RESOLVED_MARGIN * nu;
      double thetaR = resolved ? spike(v[r - 1], nu) : nu / 2;
      double kappa = Math.min(KAPPA_CAP, thetaR > 0 ? Math.max(1, theta1 / thetaR) : 1);
      double growth = Math.max(1, Math.log(Math.sqrt(d) / alpha));
      double rho = resolved ? 1 - ETA_FACTOR / (2 * kappa * growth) : Math.pow(0.01 * tol, 1.0 / maxIterations);
      return new Defaults(ETA_FACTOR / v[0], Math.min(rho, 1 - 1e-6), v[0], kappa, resolved, growth);
    }

    /** θ with θ + ν²/(4θ) = λ (the larger root), λ &gt; ν ≥ 0; λ itself when ν = 0. */
    private static double spike(double lambda, double nu) {
      return 0.5 * (lambda + Math.sqrt(Math.max(0, lambda * lambda - nu * nu)));
    }
  }

  /** Refuses a problem whose loss is not ℓ2 for a least-squares solver named {@code solver}. */
  static void requireL2(SensingProblem p, String solver) {
    if (!(p.loss() instanceof io.lowrank.model.Loss.L2)) {
      throw new IllegalArgumentException(solver + " minimises the l2 loss, but the problem was set up with "
          + p.loss().describe() + ": use subgm or scaled-subgm");
    }
  }

  private final Options options;

  public SubGradientMethod(Options options) {
    this.options = options;
  }

  @Override
  public String name() {
    return "subgm";
  }

  public Options options() {
    return options;
  }

  /** Iterates from W_0 (d×r, column-major) until the stopping rule fires or the budget ends. */
  @Override
  public Result solve(SensingProblem p, double[] w0, int r) {
    return iterate(name(), options, p, w0, r, (t, eta, subgradient, w) -> Linalg.scaled(eta, subgradient));
  }

  /**
   * How a sub-gradient method turns η_t and the sub-gradient G_t W_t into its step: SubGM's η_t G_t W_t, the scaled
   * method's η_t G_t W_t (W_t^T W_t + λ_t I)^{-1}.
   */
  @FunctionalInterface
  interface StepRule {
    /** The step at iteration t (W_{t+1} = W_t − step), or null when it cannot be taken (DIVERGED). */
    double[] step(int t, double eta, double[] subgradient, double[] w);
  }

  /**
   * The loop both sub-gradient methods share: η_t = η_0 ρ^{t−1} for the step into iteration t (or Polyak's step
   * when f* is given), one pass per iteration, the trace's mu column η_t, {@link Stopping.ErrorOrVanishingStep}.
   */
  static Result iterate(String name, Options options, SensingProblem p, double[] w0, int r, StepRule rule) {
    p.requireShape(w0, r);
    IterationLoop loop = new IterationLoop(name, p::label, p::passes, options.stopping(), p.listener());
    loop.start(p.lossAtZero(), p.hasTruth());
    double[] w = w0.clone();
    SensingProblem.Evaluation e = p.evaluate(w, r);
    double[] subgradient = p.gradient(e, w, r);
    loop.record(new IterationLoop.Row(e.loss(), Linalg.norm(subgradient), Double.NaN, Double.NaN,
        p.relativeError(w, r)), w);
    while (loop.next()) {
      int t = loop.iteration();
      double eta;
      double[] step;
      if (options.polyak()) {
        // η_t = (f − f*) / ⟨∇, P(∇)⟩: the step P(∇) at η = 1 gives the preconditioned norm.
        double[] direction = rule.step(t, 1.0, subgradient, w);
        double norm2 = direction == null ? Double.NaN : Linalg.dot(subgradient, direction);
        eta = norm2 > 0 ? Math.max(0, e.loss() - options.fstar()) / norm2 : 0;
        step = direction == null ? null : Linalg.scaled(eta, direction);
      } else {
        eta = options.eta0() * Math.pow(options.rho(), t - 1);
        step = rule.step(t, eta, subgradient, w);
      }
      if (step == null) {
        loop.stop(Status.DIVERGED);
        break;
      }
      double stepNorm = Linalg.norm(step) / Math.max(Linalg.norm(w), Double.MIN_NORMAL);
      w = Linalg.minus(w, step);
      e = p.evaluate(w, r);
      subgradient = p.gradient(e, w, r);
      loop.record(new IterationLoop.Row(e.loss(), Linalg.norm(subgradient), eta, stepNorm, p.relativeError(w, r)), w);
    }
    return loop.result(w);
  }
}
