package io.lowrank.report;

import java.util.List;
import org.knowm.xchart.XYChart;

/**
 * One panel of convergence curves side by side (e.g. the solvers of one (κ, r) of {@code sensing --compare}, or the
 * cells of a sweep that differ only in solver): a value per iteration on a log axis, one line each. A line has gaps
 * where its value is not finite or above {@link #OFF_SCALE} (a diverging run; the axis would otherwise span hundreds
 * of decades), never a segment across them.
 */
public final class ConvergencePanel {
  private ConvergencePanel() {}

  /** Values above this are off the panel's scale. */
  public static final double OFF_SCALE = 1e6;

  /**
   * A curve.
   *
   * @param name the legend's text
   * @param iterations the iterations, increasing
   * @param values the value at each
   */
  public record Line(String name, int[] iterations, double[] values) {}

  /** The chart of {@code lines} under {@code title}, the y axis named {@code yTitle} (log scale). */
  public static XYChart chart(String title, String yTitle, List<Line> lines) {
    XYChart chart = Charts.chart(title, "iteration", yTitle);
    int last = 0;
    double lo = Double.POSITIVE_INFINITY;
    double hi = Double.NEGATIVE_INFINITY;
    for (Line l : lines) {
      for (int k = 0; k < l.iterations().length; k++) {
        last = Math.max(last, l.iterations()[k]);
        double v = l.values()[k];
        if (Double.isFinite(v) && v > 0 && v <= OFF_SCALE) {
          lo = Math.min(lo, v);
          hi = Math.max(hi, v);
        }
      }
    }
    Ticks.iterationAxis(chart, last);
    if (lo <= hi) {
      Ticks.logY(chart, lo, hi);
    }
    int i = 0;
    for (Line l : lines) {
      double[] v = l.values().clone();
      for (int k = 0; k < v.length; k++) {
        v[k] = v[k] > OFF_SCALE ? Double.POSITIVE_INFINITY : v[k];
      }
      Charts.iterationSeries(chart, l.name(), l.iterations(), v, true, Palette.series(i++), 0,
          last <= Charts.MARKERS_UP_TO);
    }
    return chart;
  }
}
