package io.lowrank.solve.phase;

import io.lowrank.model.AmplitudeKernel;

/**
 * How the smoothing parameter μ of the smoothing Newton method shrinks. Each pass at x_t uses μ_t computed from
 * the residuals r_i = |a_i^T x_{t−1}| − √y_i of the previous pass (a lag of one pass, so each iteration stays
 * one pass); μ_0 = c·√(mean y), the loss-based value at x = 0.
 */
public sealed interface SmoothingSchedule {
  /** μ for the first pass. */
  double initial(double meanY);

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

    public double initial(double meanY) {
      return 0;
    }

    public double next(double previous, AmplitudeKernel.Stats residuals) {
      return 0;
    }
  }

  /** Loss-based: μ_t = min(γ μ_{t−1}, c·√(mean r_i²)). */
  record LossBased(double c, double gamma) implements SmoothingSchedule {
    public String id() {
      return "loss";
    }

    public LossBased {
      requirePositive("smoothing.c", c);
      requireFraction("smoothing.gamma", gamma);
    }

    public double initial(double meanY) {
      return c * Math.sqrt(meanY);
    }

    public double next(double previous, AmplitudeKernel.Stats residuals) {
      return Math.min(gamma * previous, c * residuals.rmsResidual());
    }
  }

  /** Quantile-based: μ_t = min(γ μ_{t−1}, c·Q_q(|r_i|)), Q_q from a KLL sketch built in the same pass. */
  record QuantileBased(double q, double c, double gamma) implements SmoothingSchedule {
    public String id() {
      return "quantile";
    }

    public QuantileBased {
      requireFraction("smoothing.quantile", q);
      requirePositive("smoothing.c", c);
      requireFraction("smoothing.gamma", gamma);
    }

    public double initial(double meanY) {
      return c * Math.sqrt(meanY);
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

    public double initial(double meanY) {
      return mu;
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
