package io.lowrank.report;

import io.lowrank.run.LandscapeRun;
import io.lowrank.solve.Trace;
import io.lowrank.solve.landscape.LandscapeProbe;
import io.lowrank.solve.landscape.SaddleProbe;
import io.lowrank.solve.landscape.Verdict;
import java.awt.Color;
import java.awt.Font;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import org.knowm.xchart.AnnotationText;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The landscape probes' files: curve.csv and curve.png (f(W* + γ[0, Z]) − f(W*) against γ, with γ² h(Z) and the
 * exact-quadratic radius γ_q), minimiser.csv (Z), and the phase diagram's diagram.csv and heat map diagram.png (one
 * cell per (m, k), coloured by the verdict and labelled with the normalised min h).
 */
public final class LandscapeReports {
  /** The diagram's header. */
  public static final String DIAGRAM_HEADER = "p,m,k,seed,corrupted,stationarity_relative,stationary,min_h,"
      + "min_h_normalised,verdict,passes";
  private static final int CELL_PX = 70;

  private LandscapeReports() {}

  /** gamma,excess,predicted,quadratic: one line per γ of the curve. */
  public static String curveCsv(LandscapeProbe.Curve c) {
    StringBuilder sb = new StringBuilder("gamma,excess,predicted,exactly_quadratic\n");
    for (int j = 0; j < c.gamma().length; j++) {
      sb.append(Trace.cell(c.gamma()[j])).append(',').append(Trace.cell(c.excess()[j])).append(',')
          .append(Trace.cell(c.predicted()[j])).append(',').append(c.gamma()[j] <= c.quadraticRadius()).append('\n');
    }
    return sb.toString();
  }

  /** The curve: measured f(W* + γ[0, Z]) − f(W*) (markers), γ² min h (line), γ_q (dashed). */
  public static byte[] curvePng(LandscapeProbe.Report r) {
    LandscapeProbe.Curve c = r.curve();
    SaddleProbe.Result sd = r.saddle();
    String title = String.format(Locale.ROOT, "landscape at the padded truth: d = %d, r* = %d, k = %d, m = %d; %s "
        + "(min h = %.3g)", r.setup().operator().rows(), r.setup().r(), r.k(), r.setup().m(), r.verdict().id(),
        sd.minH());
    XYChart chart = Charts.chart(title, Charts.text("γ", "gamma"),
        Charts.text("f(W* + γ[0, Z]) − f(W*)", "f(W* + gamma [0, Z]) - f(W*)"));
    Charts.markers(chart, "measured (one pass per point)", c.gamma(), c.excess(), Palette.BLUE);
    Charts.line(chart, Charts.text("γ² h(Z), the quadratic of the saddle test", "gamma^2 h(Z)"), c.gamma(),
        c.predicted(), Palette.VERMILLION);
    double lo = Math.min(min(c.excess()), min(c.predicted()));
    double hi = Math.max(max(c.excess()), max(c.predicted()));
    double last = c.gamma()[c.gamma().length - 1];
    if (c.quadraticRadius() > 0 && c.quadraticRadius() <= last) {
      Charts.verticalLine(chart, Charts.text("γ_q: exactly quadratic below", "gamma_q: exactly quadratic below"),
          Charts.text("γ_q", "gamma_q"), c.quadraticRadius(), lo, hi, 0, last);
    }
    return Charts.png(chart);
  }

  /** One line per cell. */
  public static String diagramCsv(List<LandscapeRun.Cell> cells) {
    StringBuilder sb = new StringBuilder(DIAGRAM_HEADER).append('\n');
    for (LandscapeRun.Cell c : cells) {
      LandscapeProbe.Report r = c.report();
      SaddleProbe.Result sd = r.saddle();
      sb.append(Trace.cell(c.p())).append(',').append(c.m()).append(',').append(c.k()).append(',').append(c.seed())
          .append(',').append(r.setup().corrupted()).append(',').append(Trace.cell(r.setup().relativeStationarity())).append(',')
          .append(r.setup().stationary()).append(',').append(sd == null ? "" : Trace.cell(sd.minH())).append(',')
          .append(sd == null ? "" : Trace.cell(sd.normalised())).append(',').append(r.verdict().id()).append(',')
          .append(r.passes()).append('\n');
    }
    return sb.toString();
  }

  /** The verdicts of one p as a heat map over (m, k), each cell labelled with min h / scale. */
  public static byte[] diagramPng(List<LandscapeRun.Cell> cells, double p, String title) {
    List<LandscapeRun.Cell> mine = cells.stream().filter(c -> c.p() == p).toList();
    List<Long> ms = new ArrayList<>(new TreeSet<>(mine.stream().map(LandscapeRun.Cell::m).toList()));
    List<Integer> ks = new ArrayList<>(new TreeSet<>(mine.stream().map(LandscapeRun.Cell::k).toList()));
    XYChart chart = Charts.chart(title, "m (measurements); saddle = strict saddle, min = local minimum, "
        + "n.c. = not critical", "k (search rank)");
    chart.getStyler().setMarkerSize(CELL_PX);
    chart.getStyler().setLegendVisible(false);
    // Categorical axes: the ticks are hidden and each column and row is labelled inside the plot, left and below.
    chart.getStyler().setXAxisMin(-1.2).setXAxisMax(ms.size() - 0.4).setYAxisMin(-1.0).setYAxisMax(ks.size() - 0.4);
    chart.getStyler().setXAxisTicksVisible(false).setYAxisTicksVisible(false);
    chart.getStyler().setPlotGridLinesVisible(false);
    chart.getStyler().setAnnotationTextFont(new Font(Font.SANS_SERIF, Font.BOLD, 10));
    chart.getStyler().setAnnotationTextFontColor(Color.BLACK);
    for (int i = 0; i < ms.size(); i++) {
      chart.addAnnotation(new AnnotationText("m = " + ms.get(i), i, -0.75, false));
    }
    for (int j = 0; j < ks.size(); j++) {
      chart.addAnnotation(new AnnotationText("k = " + ks.get(j), -0.85, j, false));
    }
    // Light fills under black labels: orange, sky blue, grey (Okabe–Ito, told apart under colour-vision deficiency).
    Color[] colors = {Palette.ORANGE, Palette.SKY_BLUE, new Color(0xC8, 0xC8, 0xC8)};
    Verdict[] verdicts = Verdict.values();
    for (int v = 0; v < verdicts.length; v++) {
      List<Double> xs = new ArrayList<>();
      List<Double> ys = new ArrayList<>();
      for (long m : ms) {
        for (int k : ks) {
          Tally t = Tally.of(mine, m, k);
          if (t != null && t.verdict() == verdicts[v]) {
            xs.add((double) ms.indexOf(m));
            ys.add((double) ks.indexOf(k));
          }
        }
      }
      if (xs.isEmpty()) {
        continue;
      }
      XYSeries s = chart.addSeries(verdicts[v].id(), xs.stream().mapToDouble(Double::doubleValue).toArray(),
          ys.stream().mapToDouble(Double::doubleValue).toArray());
      s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
      s.setMarker(SeriesMarkers.SQUARE);
      s.setMarkerColor(colors[v]);
    }
    for (long m : ms) {
      for (int k : ks) {
        Tally t = Tally.of(mine, m, k);
        if (t != null) {
          String text = shortName(t.verdict()) + (t.instances() > 1 ? " " + t.count() + "/" + t.instances()
              : Double.isNaN(t.medianNormalised()) ? "" : String.format(Locale.ROOT, " %+.2f", t.medianNormalised()));
          chart.addAnnotation(new AnnotationText(text, ms.indexOf(m), ks.indexOf(k), false));
        }
      }
    }
    return Charts.png(chart);
  }

  /** The console lines of one probe. */
  public static String console(Map<String, Object> s, String out) {
    StringBuilder warnings = new StringBuilder();
    if (s.get("warnings") instanceof List<?> list) {
      list.forEach(w -> warnings.append("  warning: ").append(w).append('\n'));
    }
    return String.format(Locale.ROOT, "landscape: d = %s, r* = %s, k = %s, m = %s, outliers %s, loss %s%n"
        + "  corrupted (from the residuals at the truth): %s; stationarity %s (relative %s, %s)%n"
        + "  min h = %s (normalised %s) -> %s%n  passes %s, %s s; outputs in %s%n", s.get("d"), s.get("rstar"),
        s.get("k"), s.get("m"), s.get("outliers"), s.get("loss"), s.get("corrupted"), num(s.get("stationarity")),
        num(s.get("stationarity_relative")), Boolean.TRUE.equals(s.get("stationary")) ? "stationary" : "not stationary",
        num(s.get("min_h")), num(s.get("min_h_normalised")), s.get("verdict"), s.get("passes"), num(s.get("seconds")),
        out) + warnings;
  }

  /** The console lines of a diagram: one row per k, one column per m (the verdict and the normalised min h). */
  public static String consoleDiagram(List<LandscapeRun.Cell> cells, String out) {
    StringBuilder sb = new StringBuilder();
    for (double p : new TreeSet<>(cells.stream().map(LandscapeRun.Cell::p).toList())) {
      List<LandscapeRun.Cell> mine = cells.stream().filter(c -> c.p() == p).toList();
      List<Long> ms = new ArrayList<>(new TreeSet<>(mine.stream().map(LandscapeRun.Cell::m).toList()));
      List<Integer> ks = new ArrayList<>(new TreeSet<>(mine.stream().map(LandscapeRun.Cell::k).toList()));
      sb.append(String.format(Locale.ROOT, "landscape diagram, p = %s: verdict%s (min h normalised%s)%n", p,
          seeds(mine) > 1 ? " (instances with it / instances)" : "", seeds(mine) > 1 ? ", median" : ""));
      sb.append(String.format(Locale.ROOT, "%6s", "k \\ m"));
      for (long m : ms) {
        sb.append(String.format(Locale.ROOT, " | %-28s", m));
      }
      sb.append('\n');
      for (int k : ks) {
        sb.append(String.format(Locale.ROOT, "%6d", k));
        for (long m : ms) {
          Tally t = Tally.of(mine, m, k);
          sb.append(String.format(Locale.ROOT, " | %-28s", t.verdict().id()
              + (t.instances() > 1 ? " " + t.count() + "/" + t.instances() : "")
              + (Double.isNaN(t.medianNormalised()) ? "" : String.format(Locale.ROOT, " (%+.3f)", t.medianNormalised()))));
        }
        sb.append('\n');
      }
    }
    sb.append("outputs in ").append(out).append('\n');
    return sb.toString();
  }

  /**
   * The instances of one (m, k) cell: the most frequent verdict (ties to the first in {@link Verdict}'s order), how many
   * instances gave it, and the median normalised min h (NaN without a saddle test).
   */
  record Tally(Verdict verdict, int count, int instances, double medianNormalised) {
    static Tally of(List<LandscapeRun.Cell> cells, long m, int k) {
      List<LandscapeRun.Cell> at = cells.stream().filter(c -> c.m() == m && c.k() == k).toList();
      if (at.isEmpty()) {
        return null;
      }
      int[] counts = new int[Verdict.values().length];
      at.forEach(c -> counts[c.report().verdict().ordinal()]++);
      int best = 0;
      for (int v = 1; v < counts.length; v++) {
        best = counts[v] > counts[best] ? v : best;
      }
      double[] h = at.stream().filter(c -> c.report().saddle() != null)
          .mapToDouble(c -> c.report().saddle().normalised()).sorted().toArray();
      double median = h.length == 0 ? Double.NaN
          : h.length % 2 == 1 ? h[h.length / 2] : 0.5 * (h[h.length / 2 - 1] + h[h.length / 2]);
      return new Tally(Verdict.values()[best], counts[best], at.size(), median);
    }
  }

  /** A verdict's label inside a cell of the heat map. */
  private static String shortName(Verdict v) {
    return switch (v) {
      case STRICT_SADDLE -> "saddle";
      case LOCAL_MINIMUM -> "min";
      case NOT_CRITICAL -> "n.c.";
    };
  }

  private static long seeds(List<LandscapeRun.Cell> cells) {
    return cells.stream().map(LandscapeRun.Cell::seed).distinct().count();
  }

  private static String num(Object v) {
    return v instanceof Double d ? String.format(Locale.ROOT, "%.4g", d) : String.valueOf(v);
  }

  private static double min(double[] x) {
    double m = Double.POSITIVE_INFINITY;
    for (double v : x) {
      m = Math.min(m, v);
    }
    return m;
  }

  private static double max(double[] x) {
    double m = Double.NEGATIVE_INFINITY;
    for (double v : x) {
      m = Math.max(m, v);
    }
    return m;
  }
}
