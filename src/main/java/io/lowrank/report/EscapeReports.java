package io.lowrank.report;

import io.lowrank.solve.Trace;
import io.lowrank.solve.escape.EscapeEvent;
import io.lowrank.solve.escape.EscapeSolver;
import java.util.List;
import java.util.Locale;
import org.knowm.xchart.XYChart;

/**
 * The files an escape run adds: events.csv (one row per escape: stall, certificate, lifted objective, collapse,
 * accepted), lifted.csv (the lifted objective on each escape's t grid) and escape.png (‖XX^T − M*‖_F over the
 * gradient steps, the escapes marked).
 */
public final class EscapeReports {
  private EscapeReports() {}

  /** One row per escape. */
  public static String eventsCsv(List<EscapeEvent> events) {
    StringBuilder sb = new StringBuilder(EscapeEvent.CSV_HEADER).append('\n');
    for (EscapeEvent e : events) {
      sb.append(e.csv()).append('\n');
    }
    return sb.toString();
  }

  /** escape,t,objective: the lifted objective (SOD) or h along the best direction (line search) on each grid. */
  public static String gridCsv(List<EscapeEvent> events) {
    StringBuilder sb = new StringBuilder("escape,method,t_or_step,objective\n");
    for (EscapeEvent e : events) {
      for (int i = 0; i < e.gridT().length; i++) {
        sb.append(e.index()).append(',').append(e.method().id()).append(',').append(Trace.cell(e.gridT()[i]))
            .append(',').append(Trace.cell(e.gridF()[i])).append('\n');
      }
    }
    return sb.toString();
  }

  /** ‖XX^T − M*‖_F per gradient step (log axis), a dashed line at each escape with its collapsed term. */
  public static byte[] distancePng(EscapeSolver.Outcome o, String title) {
    return Charts.png(distanceChart(o, title));
  }

  static XYChart distanceChart(EscapeSolver.Outcome o, String title) {
    List<Trace.Record> rows = o.trace().records();
    int n = rows.size();
    int[] steps = new int[n];
    double[] dist = new double[n];
    double lo = Double.POSITIVE_INFINITY;
    double hi = 0;
    for (int k = 0; k < n; k++) {
      steps[k] = rows.get(k).iteration();
      dist[k] = rows.get(k).distance();
      if (dist[k] > 0 && Double.isFinite(dist[k])) {
        lo = Math.min(lo, dist[k]);
        hi = Math.max(hi, dist[k]);
      }
    }
    String y = Charts.text("‖XXᵀ − M*‖_F", "||XX^T - M*||_F");
    XYChart chart = Charts.chart(title, "gradient step", y);
    int last = n == 0 ? 0 : steps[n - 1];
    Ticks.iterationAxis(chart, last);
    if (!(hi > 0)) {
      chart.setTitle(title + " (no positive distances to plot)");
      return chart;
    }
    Ticks.logY(chart, lo, hi);
    // An escape repeats the stall's step number for its new point: the series breaks there (no interpolated jump).
    Charts.iterationSeries(chart, y, steps, dist, true, Palette.BLUE, 0, last <= Charts.MARKERS_UP_TO);
    for (EscapeEvent e : o.events()) {
      String label = String.format(Locale.ROOT, "escape %d: %s%s", e.index(), e.term(), e.accepted() ? "" : " (rejected)");
      Charts.verticalLine(chart, label, label, e.step(), lo, hi, 0, Math.max(1, last));
    }
    return chart;
  }
}
