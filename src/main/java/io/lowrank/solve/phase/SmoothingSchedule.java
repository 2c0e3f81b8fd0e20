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

  /** The schedule's name in configs and reports: none, loss, quantile or fixed. */
  String id();

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
