package io.lowrank.report;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.style.XYStyler;

/**
 * The one place for tick rules. A linear axis is labelled at the multiples of one step, the smallest of
 * 1, 2, 5 × 10^k that leaves at most {@link #MAX_INTERVALS} intervals over the axis; an iteration axis uses integer
 * steps only, so that 10 iterations are labelled 0, 1, …, 10, 300 iterations every 50 and 3000 every 500. A log axis
 * is labelled at the decades, all in one notation.
 *
 * <p>XChart 3.8 has no way to give tick positions, and over evenly spaced data (iterations 0, 1, 2, …) it labels
 * every k-th data point instead of round numbers (0, 12, 24, … over 300 iterations). So the rule is imposed through
 * its label formatter, which names the multiples of the step and leaves every other candidate blank: XChart keeps
 * widening its own step until every label is distinct, which first happens at our step. The axis range is nudged
 * (its minimum down to a multiple of the step, its maximum a hair past the data) so that XChart never takes its
 * evenly-spaced path, where a blank label could never become distinct.
 */
public final class Ticks {
  /** At most this many intervals between labelled ticks: labels at least ~70 px apart on a standard chart. */
  public static final int MAX_INTERVALS = 10;

  // XChart starts from this spacing (px) and widens it in 5 px steps: small, so that it starts below our step.
  private static final int START_SPACING_PX = 20;
  // The maximum is moved this fraction of the span past the data (a pixel's width at most): see the class comment.
  private static final double NUDGE = 1e-3;

  /** The label of a value that is not a multiple of the step. */
  static final String BLANK = " ";

  private Ticks() {}

  /**
   * The step between labelled ticks of an iteration axis from 0 to {@code lastIteration}: the smallest integer
   * 1, 2, 5 × 10^k with at most {@link #MAX_INTERVALS} intervals (1 up to 10 iterations, 10 at 100, 50 at 300, 500 at
   * 3000).
   */
  public static long iterationStep(long lastIteration) {
    if (lastIteration < 0) {
      throw new IllegalArgumentException("the last iteration must be >= 0, got " + lastIteration);
    }
    for (long decade = 1; ; decade *= 10) {
      for (long m : new long[] {1, 2, 5}) {
        if (lastIteration <= MAX_INTERVALS * m * decade) {
          return m * decade;
        }
      }
    }
  }

  /** The labelled ticks of an iteration axis from 0 to {@code lastIteration}: 0, step, 2·step, … ≤ lastIteration. */
  public static long[] iterationTicks(long lastIteration) {
    long step = iterationStep(lastIteration);
    long[] ticks = new long[(int) (lastIteration / step) + 1];
    for (int k = 0; k < ticks.length; k++) {
      ticks[k] = k * step;
    }
    return ticks;
  }

  /**
   * The step between labelled ticks of a linear axis over [min, max]: the smallest 1, 2, 5 × 10^k with at most
   * {@link #MAX_INTERVALS} intervals between the multiples that cover the range.
   */
  public static double step(double min, double max) {
    if (!(max > min) || !Double.isFinite(max - min)) {
      throw new IllegalArgumentException("an axis needs finite min < max, got [" + min + ", " + max + "]");
    }
    double decade = Math.pow(10, Math.floor(Math.log10((max - min) / MAX_INTERVALS)));
    for (int i = 0; i < 8; i++, decade *= 10) {
      for (double m : new double[] {1, 2, 5}) {
        double step = m * decade;
        if (Math.ceil(max / step - 1e-9) - Math.floor(min / step + 1e-9) <= MAX_INTERVALS) {
          return clean(step);
        }
      }
    }
    throw new IllegalStateException("no tick step for [" + min + ", " + max + "]");
  }

  /** The labelled ticks of a linear axis over [min, max]: the multiples of {@link #step} inside the range. */
  public static double[] ticks(double min, double max) {
    double step = step(min, max);
    List<Double> out = new ArrayList<>();
    for (long k = (long) Math.ceil(min / step - 1e-9); k * step <= max + 1e-9 * step; k++) {
      out.add(clean(k * step));
    }
    return out.stream().mapToDouble(Double::doubleValue).toArray();
  }

  /**
   * The label of {@code value} on an axis labelled every {@code step}: the multiple written with just the decimals
   * the step needs ("0", "250", "0.2", "-1.5"), or a blank (" ") when {@code value} is not a multiple of the step.
   */
  public static String label(double value, double step) {
    double k = value / step;
    long r = Math.round(k);
    if (Math.abs(k - r) > 1e-6) {
      // Not "": XChart measures every label it keeps with a TextLayout, which refuses an empty string.
      return BLANK;
    }
    BigDecimal v = BigDecimal.valueOf(r).multiply(BigDecimal.valueOf(step)).stripTrailingZeros();
    if (v.signum() == 0) {
      return "0";
    }
    return v.scale() <= 0 ? v.toBigInteger().toString() : v.toPlainString();
  }

  /**
   * Makes the x-axis of {@code chart} an iteration axis over 0..{@code lastIteration}, labelled every
   * {@link #iterationStep}.
   */
  public static void iterationAxis(XYChart chart, long lastIteration) {
    long step = iterationStep(lastIteration);
    apply(chart.getStyler(), true, 0, Math.max(lastIteration, 1), step);
  }

  /** Makes the x-axis of {@code chart} a linear axis over [min, max] labelled every {@link #step}. */
  public static void linearX(XYChart chart, double min, double max) {
    apply(chart.getStyler(), true, min, max, step(min, max));
  }

  /** Makes the y-axis of {@code chart} a linear axis over [min, max] labelled every {@link #step}. */
  public static void linearY(XYChart chart, double min, double max) {
    apply(chart.getStyler(), false, min, max, step(min, max));
  }

  /**
   * Makes the y-axis of {@code chart} logarithmic, labelled at the decades, over data from {@code min} to
   * {@code max} (both &gt; 0): plain numbers (0.01, 1, 100) within [10⁻³, 10³], else all in one notation (1E-8, 1E0)
   * rather than XChart's mix of the two. A log axis cannot show values ≤ 0: the callers leave them out.
   */
  public static void logY(XYChart chart, double min, double max) {
    XYStyler s = chart.getStyler();
    s.setYAxisLogarithmic(true);
    s.setYAxisLogarithmicDecadeOnly(true);
    if (min < 1e-3 || max > 1e3) {
      s.setYAxisDecimalPattern("0E0");
    }
  }

  private static void apply(XYStyler s, boolean x, double min, double max, double step) {
    double lo = Math.floor(min / step + 1e-9) * step;
    double hi = max + NUDGE * (max - lo);
    Function<Double, String> format = v -> label(v, step);
    if (x) {
      s.setXAxisMin(lo).setXAxisMax(hi);
      s.setXAxisTickMarkSpacingHint(START_SPACING_PX);
      s.setxAxisTickLabelsFormattingFunction(format);
    } else {
      s.setYAxisMin(lo).setYAxisMax(hi);
      s.setYAxisTickMarkSpacingHint(START_SPACING_PX);
      s.setyAxisTickLabelsFormattingFunction(format);
    }
  }

  private static double clean(double v) {
    return new BigDecimal(v).round(new java.math.MathContext(12)).doubleValue();
  }
}
