package io.lowrank.data;

import java.io.Serializable;
import java.util.SplittableRandom;

/**
 * Gross outliers on generated measurements (DESIGN §4, robust recovery): y_i = ⟨A_i, M*⟩ + σ ε_i + s_i, where each
 * measurement is corrupted independently with probability p and then
 * <ul>
 *   <li>{@link Kind#GAUSSIAN}: s_i ~ N(0, s²) (s in the units of y);</li>
 *   <li>{@link Kind#UNIFORM}: s_i = s·‖y*‖∞·U(−1, 1);</li>
 *   <li>{@link Kind#POSITIVE}: s_i = s·‖y*‖∞·U(0, 1) (one-sided: biases every least-squares fit);</li>
 * </ul>
 * with ‖y*‖∞ = max_i |⟨A_i, M*⟩| over the clean, noiseless responses of the whole instance, and s_i = 0 otherwise.
 * Whether measurement i is corrupted and its s_i come from the counter-based stream (seed, i) of that measurement
 * alone, so the same instance comes out whatever the block size or partition count, and the corrupted set does not
 * depend on the kind or the scale.
 *
 * <p>p must stay below 1/2: with half of the measurements or more corrupted, the outliers can be another low-rank
 * matrix's measurements and M* is not identifiable.
 *
 * @param fraction p, the probability that a measurement is corrupted, 0 ≤ p &lt; 1/2
 * @param kind the distribution of s_i
 * @param scale s &gt; 0 (default {@link #DEFAULT_SCALE})
 */
public record Outliers(double fraction, Kind kind, double scale) implements Serializable {
  /** The default s: outliers up to ten times the largest clean response (uniform, positive). */
  public static final double DEFAULT_SCALE = 10.0;
  private static final long OUTLIER_STREAM = 0x4F55544C49455253L;

  /** The distribution of an outlier s_i. */
  public enum Kind {
    GAUSSIAN("gaussian"),
    UNIFORM("uniform"),
    POSITIVE("positive");

    private final String id;

    Kind(String id) {
      this.id = id;
    }

    /** The name in configs: gaussian, uniform, positive. */
    public String id() {
      return id;
    }

    /** The kind of a name. */
    public static Kind of(String id) {
      for (Kind k : values()) {
        if (k.id.equals(id)) {
          return k;
        }
      }
      throw new IllegalArgumentException("unknown outlier kind '" + id + "' (expected one of: gaussian, uniform, "
          + "positive)");
    }
  }

  public Outliers {
    if (kind == null) {
      throw new IllegalArgumentException("outlier kind must be one of gaussian, uniform, positive");
    }
    requireFraction("outliers", fraction);
    requireScale("outlier-scale", scale);
  }

  /**
   * Checks p: in [0, 1/2), naming {@code key} in the message.
   *
   * @throws IllegalArgumentException for p &lt; 0, p ≥ 1/2 (not identifiable) or NaN
   */
  public static double requireFraction(String key, double p) {
    if (!(p >= 0) || Double.isInfinite(p)) {
      throw new IllegalArgumentException(key + " (the fraction p of corrupted measurements) must be in [0, 0.5), got "
          + p);
    }
    if (p >= 0.5) {
      throw new IllegalArgumentException(key + " = " + p + ": with half of the measurements or more corrupted M* is "
          + "not identifiable (the outliers can be another low-rank matrix's measurements); use p < 0.5");
    }
    return p;
  }

  /** Checks s: finite and &gt; 0, naming {@code key} in the message. */
  public static double requireScale(String key, double s) {
    if (!(s > 0) || Double.isInfinite(s)) {
      throw new IllegalArgumentException(key + " (the outlier scale s) must be finite and > 0, got " + s);
    }
    return s;
  }

  /** No outliers. */
  public static Outliers none() {
    return new Outliers(0, Kind.GAUSSIAN, DEFAULT_SCALE);
  }

  /** Whether any measurement can be corrupted (p &gt; 0). */
  public boolean any() {
    return fraction > 0;
  }

  /** Whether s_i needs ‖y*‖∞ (uniform, positive), which the generator then computes once on the driver. */
  public boolean needsCleanMax() {
    return any() && kind != Kind.GAUSSIAN;
  }

  /** Whether measurement i of the instance with this seed is corrupted. */
  public boolean isCorrupted(long seed, long i) {
    return any() && stream(seed, i).nextDouble() < fraction;
  }

  /**
   * s_i for measurement i (0 when it is not corrupted).
   *
   * @param seed the instance's seed
   * @param cleanMax ‖y*‖∞ of the instance (read for uniform and positive)
   */
  public double offset(long seed, long i, double cleanMax) {
    if (!any()) {
      return 0;
    }
    SplittableRandom rng = stream(seed, i);
    if (!(rng.nextDouble() < fraction)) {
      return 0;
    }
    return switch (kind) {
      case GAUSSIAN -> scale * rng.nextGaussian();
      case UNIFORM -> scale * cleanMax * (2 * rng.nextDouble() - 1);
      case POSITIVE -> scale * cleanMax * rng.nextDouble();
    };
  }

  /** Adds s_i to y[i − first], i = first..first+y.length−1. */
  void addTo(double[] y, long seed, long first, double cleanMax) {
    if (!any()) {
      return;
    }
    for (int i = 0; i < y.length; i++) {
      y[i] += offset(seed, first + i, cleanMax);
    }
  }

  private static SplittableRandom stream(long seed, long i) {
    return Seeds.stream(Seeds.mix64(seed ^ OUTLIER_STREAM), i);
  }

  /** For reports: none, or e.g. "0.2 uniform (scale 10)". */
  public String describe() {
    return any() ? fraction + " " + kind.id() + " (scale " + scale + ")" : "none";
  }
}
