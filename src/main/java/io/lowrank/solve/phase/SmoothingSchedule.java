package io.lowrank.solve.phase;

import io.lowrank.model.AmplitudeKernel;
import java.io.Serializable;

/**
 * How the smoothing parameter μ of the smoothing Newton method shrinks. Each pass at x_t uses μ_t computed from
 * the residuals r_i = |a_i^T x_{t−1}| − √y_i of the previous pass (a lag of one pass, so each iteration stays
 * one pass). μ_0 comes from the residuals at the start x_0 themselves (one extra pass at the start for adaptive
 * schedules), since a μ_0 much larger than the start's residuals would spoil the first step.
 */
public sealed interface SmoothingSchedule extends Serializable {
  /** μ_0 from the residuals at the start (not read when {@link #adaptive()} is false). */
  double initial(AmplitudeKernel.Stats start);

  /** Whether μ depends on the residuals (then the solver measures them at x_0 before the first step). */
  default boolean adaptive() {
    return true;
  }

  /** μ_t from μ_{t−1} and the previous pass's residuals. */
  double next(double previous, AmplitudeKernel.Stats residuals);

  /** The schedule's name in configs and reports: none, switching, loss, quantile or fixed. */
  String id();

  /**
   * Whether the schedule may drop the smoothing of a step after seeing the pass's residuals: then each pass also
   * returns b_0 beside b_μ, and the pass at x_0 is unsmoothed (no separate probe for μ_0).
   */
  default boolean switching() {
    return false;
  }

  /**
   * For a switching schedule, whether the start (its unsmoothed pass at x_0) is far enough from x* that the first step
   * must be smoothed too (one more pass at x_0).
   */
  default boolean smoothFirstStep(AmplitudeKernel.Stats atStart, double meanY) {
    return true;
  }

  /** The μ of the step from x_t, given the μ_t its pass used and that pass's residuals: μ_t unless switching. */
  default double stepMu(double passMu, AmplitudeKernel.Stats current) {
    return passMu;
  }

  /** Whether the passes must sketch |r_i|. */
  default boolean needsQuantile() {
    return false;
  }

  /** μ ≡ 0: Newton on the non-smooth loss, i.e. BWGD. */
  record None() implements SmoothingSchedule {
    public String id() {
      return "none";
    }

    public double initial(AmplitudeKernel.Stats start) {
      return 0;
    }

    @Override
    public boolean adaptive() {
      return false;
    }

    public double next(double previous, AmplitudeKernel.Stats residuals) {
      return 0;
    }
  }

  /** Loss-based: μ_t = min(γ μ_{t−1}, c·√(mean r_i²)), μ_0 = c·√(mean r_i²) at x_0. */
  record LossBased(double c, double gamma) implements SmoothingSchedule {
    public String id() {
      return "loss";
    }

    public LossBased {
      requirePositive("smoothing.c", c);
      requireFraction("smoothing.gamma", gamma);
    }

    public double initial(AmplitudeKernel.Stats start) {
      return c * start.rmsResidual();
    }

    public double next(double previous, AmplitudeKernel.Stats residuals) {
      return Math.min(gamma * previous, c * residuals.rmsResidual());
    }
  }

  /**
   * Loss-based with a switch: μ_t as {@link LossBased}, but the step from x_t is unsmoothed (BWGD's) when the residuals
   * at x_t collapsed since μ_t was chosen, c·√(mean r_i²) ≤ θ·μ_t. Near x* BWGD converges quadratically and the
   * one-pass lag of μ only slows it (the smoothed fixed point is O(μ²) away from x*), so once the residuals drop
   * faster than μ can follow, the unsmoothed step is the better one; far from x* (where BWGD stalls on spurious fixed
   * points, whose residuals do not collapse) the steps stay smoothed. Both b_μ and b_0 come from the same pass.
   * The first step is unsmoothed too, without a probe pass for μ_0, unless the start's residuals exceed
   * far·√(mean y): measured at d = 100, an unsmoothed first step from such a start (n/d ≤ 2.5, where that ratio is
   * 0.46–0.69) loses a quarter of the successes, while from closer starts it saves two passes.
   */
  record Switching(double c, double gamma, double theta, double far) implements SmoothingSchedule {
    public String id() {
      return "switching";
    }

    public Switching {
      requirePositive("smoothing.c", c);
      requireFraction("smoothing.gamma", gamma);
      requireFraction("smoothing.theta", theta);
      requirePositive("smoothing.far", far);
    }

    @Override
    public boolean smoothFirstStep(AmplitudeKernel.Stats atStart, double meanY) {
      return atStart.rmsResidual() > far * Math.sqrt(meanY);
    }

    public double initial(AmplitudeKernel.Stats start) {
      return c * start.rmsResidual();
    }

    public double next(double previous, AmplitudeKernel.Stats residuals) {
      return Math.min(gamma * previous, c * residuals.rmsResidual());
    }

    @Override
    public boolean switching() {
      return true;
    }

    @Override
    public double stepMu(double passMu, AmplitudeKernel.Stats current) {
      return c * current.rmsResidual() <= theta * passMu ? 0.0 : passMu;
    }
  }

  /** Quantile-based: μ_t = min(γ μ_{t−1}, c·Q_q(|r_i|)), μ_0 = c·Q_q(|r_i|) at x_0; Q_q from the histogram of |r_i| built in the pass. */
  record QuantileBased(double q, double c, double gamma) implements SmoothingSchedule {
    public String id() {
      return "quantile";
    }

    public QuantileBased {
      requireFraction("smoothing.quantile", q);
      requirePositive("smoothing.c", c);
      requireFraction("smoothing.gamma", gamma);
    }

    public double initial(AmplitudeKernel.Stats start) {
      return c * start.residualQuantile(q);
    }

    public double next(double previous, AmplitudeKernel.Stats residuals) {
      return Math.min(gamma * previous, c * residuals.residualQuantile(q));
    }

    @Override
    public boolean needsQuantile() {
      return true;
    }
  }

  /** A fixed μ &gt; 0. */
  record Fixed(double mu) implements SmoothingSchedule {
    public String id() {
      return "fixed";
    }

    public Fixed {
      requirePositive("smoothing.mu", mu);
    }

    public double initial(AmplitudeKernel.Stats start) {
      return mu;
    }

    @Override
    public boolean adaptive() {
      return false;
    }

    public double next(double previous, AmplitudeKernel.Stats residuals) {
      return mu;
    }
  }

  private static void requirePositive(String name, double v) {
    if (!(v > 0) || Double.isInfinite(v)) {
      throw new IllegalArgumentException(name + " must be a finite number > 0, got " + v);
    }
  }

  private static void requireFraction(String name, double v) {
    if (!(v > 0 && v < 1)) {
      throw new IllegalArgumentException(name + " must be in (0, 1), got " + v);
    }
  }
}
