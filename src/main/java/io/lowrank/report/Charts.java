package io.lowrank.report;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import java.awt.font.FontRenderContext;
import org.knowm.xchart.AnnotationText;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.XYSeries.XYSeriesRenderStyle;
import org.knowm.xchart.style.AxesChartStyler;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.XYStyler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The one chart helper: every plot the project writes is an {@link XYChart} of {@link #WIDTH} × {@link #HEIGHT} px
 * made here, styled from {@link Palette}, with axes from {@link Ticks}, rendered by {@link #png}. Helpers add the
 * three kinds of series the plots use: measured values per iteration ({@link #iterationSeries}), simulated points
 * ({@link #markers}), predicted curves ({@link #line}), and reference values ({@link #verticalLine}).
 */
public final class Charts {
  static {
    if (System.getProperty("java.awt.headless") == null) {
      System.setProperty("java.awt.headless", "true");
    }
  }

  /** Width of every plot, px. */
  public static final int WIDTH = 900;
  /** Height of every plot, px. */
  public static final int HEIGHT = 560;
  /** Up to this many iterations on the axis, lines also get a marker per point. */
  public static final int MARKERS_UP_TO = 60;

  private Charts() {}

  /**
   * An empty chart in the house style: white, light grid, legend below the plot (where it cannot cover data), the
   * palette's colours in order.
   */
  public static XYChart chart(String title, String xTitle, String yTitle) {
    XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title == null ? "" : title)
        .xAxisTitle(xTitle).yAxisTitle(yTitle).build();
    XYStyler s = chart.getStyler();
    s.setChartBackgroundColor(Color.WHITE);
    s.setPlotBackgroundColor(Color.WHITE);
    s.setPlotBorderColor(Color.GRAY);
    s.setPlotGridLinesColor(Palette.GRID);
    s.setPlotGridLinesStroke(Palette.solid(1f));
    s.setChartTitleFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
    s.setAxisTitleFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
    s.setAxisTickLabelsFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
    s.setLegendFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
    s.setLegendPosition(Styler.LegendPosition.OutsideS);
    s.setLegendLayout(Styler.LegendLayout.Horizontal);
    s.setLegendBorderColor(Color.WHITE);
    s.setYAxisLabelAlignment(AxesChartStyler.TextAlignment.Right);
    s.setMarkerSize(Palette.MARKER_SIZE);
    Color[] colors = new Color[Palette.size()];
    for (int i = 0; i < colors.length; i++) {
      colors[i] = Palette.series(i);
    }
    s.setSeriesColors(colors);
    return chart;
  }

  /**
   * The chart as PNG bytes ({@link #WIDTH} × {@link #HEIGHT}). The legend goes below the plot in one row when it fits
   * the width, else to its right, one entry per line (long labels wrapped): outside the plot either way, so it never
   * covers data.
   */
  public static byte[] png(XYChart chart) {
    placeLegend(chart);
    fitTitle(chart);
    BufferedImage image = new BufferedImage(chart.getWidth(), chart.getHeight(), BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    // Pure strokes: the default stroke normalisation snaps every short segment to the pixel grid, which turns a smooth
    // curve drawn from many points into a staircase.
    g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    chart.paint(g, chart.getWidth(), chart.getHeight());
    g.dispose();
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      ImageIO.write(image, "png", out);
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot render the plot " + chart.getTitle(), e);
    }
  }

  /** Moves the legend to the right of the plot when one row below it would be wider than the chart. */
  static void placeLegend(XYChart chart) {
    XYStyler s = chart.getStyler();
    if (!s.isLegendVisible() || s.getLegendPosition() != Styler.LegendPosition.OutsideS) {
      return;
    }
    FontRenderContext frc = new FontRenderContext(null, true, false);
    double width = s.getLegendPadding();
    for (XYSeries series : chart.getSeriesMap().values()) {
      if (series.isShowInLegend()) {
        double text = s.getLegendFont().getStringBounds(series.getLabel(), frc).getWidth();
        width += s.getLegendSeriesLineLength() + 2 * s.getLegendPadding() + text;
      }
    }
    if (width > WIDTH - 20) {
      s.setLegendPosition(Styler.LegendPosition.OutsideE);
      s.setLegendLayout(Styler.LegendLayout.Vertical);
      for (XYSeries series : chart.getSeriesMap().values()) {
        series.setLabel(wrap(series.getLabel(), LEGEND_LINE));
      }
    }
  }

  /**
   * Shrinks the title's font (down to 10 pt) until the title fits: XChart centres it over the plot, not the chart, so
   * with the legend at the right it has less room on that side.
   */
  static void fitTitle(XYChart chart) {
    XYStyler s = chart.getStyler();
    FontRenderContext frc = new FontRenderContext(null, true, false);
    double right = WIDTH - 10;
    if (s.isLegendVisible() && s.getLegendPosition() == Styler.LegendPosition.OutsideE) {
      double widest = 0;
      for (XYSeries series : chart.getSeriesMap().values()) {
        for (String line : series.getLabel().split("\n")) {
          widest = Math.max(widest, s.getLegendFont().getStringBounds(line, frc).getWidth());
        }
      }
      right -= widest + s.getLegendSeriesLineLength() + 3 * s.getLegendPadding();
    }
    // The y-axis with its title and labels takes about 80 px on the left.
    double centre = (80 + right) / 2;
    double room = 2 * Math.min(centre, WIDTH - centre) - 20;
    Font font = s.getChartTitleFont();
    while (font.getSize2D() > 10 && font.getStringBounds(chart.getTitle(), frc).getWidth() > room) {
      font = font.deriveFont(font.getSize2D() - 1);
    }
    s.setChartTitleFont(font);
  }

  /** Characters per line of a legend entry at the right of the plot. */
  static final int LEGEND_LINE = 30;

  /** {@code text} broken at spaces into lines of at most {@code width} characters (a longer word stays whole). */
  static String wrap(String text, int width) {
    StringBuilder out = new StringBuilder();
    int line = 0;
    for (String word : text.split(" ")) {
      if (line > 0 && line + 1 + word.length() > width) {
        out.append('\n');
        line = 0;
      } else if (line > 0) {
        out.append(' ');
        line++;
      }
      out.append(word);
      line += word.length();
    }
    return out.toString();
  }

  /**
   * {@code unicode} when the plots' font can draw every character of it (⟨x,u⟩, ‖·‖, θ, μ, ᵀ), else {@code ascii}:
   * a machine without such fonts would draw empty boxes.
   */
  public static String text(String unicode, String ascii) {
    return new Font(Font.SANS_SERIF, Font.PLAIN, 12).canDisplayUpTo(unicode) == -1 ? unicode : ascii;
  }

  /** A predicted curve: a solid line of {@link Palette#THEORY_WIDTH}, no markers. */
  public static XYSeries line(XYChart chart, String name, double[] x, double[] y, Color color) {
    XYSeries s = chart.addSeries(name, x, y);
    s.setXYSeriesRenderStyle(XYSeriesRenderStyle.Line);
    s.setMarker(SeriesMarkers.NONE);
    s.setLineColor(color);
    s.setLineStyle(Palette.solid(Palette.THEORY_WIDTH));
    return s;
  }

  /** Simulated or measured points: open circles, no line. NaN values are left out. */
  public static XYSeries markers(XYChart chart, String name, double[] x, double[] y, Color color) {
    XYSeries s = chart.addSeries(name, x, y);
    s.setXYSeriesRenderStyle(XYSeriesRenderStyle.Scatter);
    s.setMarker(Palette.HOLLOW_CIRCLE);
    s.setMarkerColor(color);
    return s;
  }

  /**
   * A reference value on the x-axis: a dashed black vertical line from {@code yFrom} to {@code yTo}, named in the
   * legend by {@code name} and labelled {@code label} beside its top (on the side with more room).
   *
   * @param xMin the x-axis minimum (the label goes left of the line in the right half of the axis)
   * @param xMax the x-axis maximum
   */
  public static XYSeries verticalLine(XYChart chart, String name, String label, double x, double yFrom, double yTo,
      double xMin, double xMax) {
    XYSeries s = chart.addSeries(name, new double[] {x, x}, new double[] {yFrom, yTo});
    s.setXYSeriesRenderStyle(XYSeriesRenderStyle.Line);
    s.setMarker(SeriesMarkers.NONE);
    s.setLineColor(Palette.BLACK);
    s.setLineStyle(Palette.dashed());
    Font font = new Font(Font.SANS_SERIF, Font.BOLD, 12);
    chart.getStyler().setAnnotationTextFont(font).setAnnotationTextFontColor(Palette.BLACK);
    // XChart centres the text on its x: shift it by half its width (plus a gap) in data units, from the plot's
    // approximate width in px (the chart's less the axis and a legend at the right).
    double textPx = font.getStringBounds(label, new FontRenderContext(null, true, false)).getWidth();
    double perPx = (xMax - xMin) / (0.62 * WIDTH);
    double shift = (textPx / 2 + 6) * perPx;
    boolean left = x > (xMin + xMax) / 2;
    chart.addAnnotation(new AnnotationText(label, left ? x - shift : x + shift, yFrom + 0.93 * (yTo - yFrom), false));
    return s;
  }

  /** What {@link #iterationSeries} drew. */
  public record Drawn(XYSeries series, int points, int leftOut) {}

  /**
   * A quantity recorded per iteration. A line joins two points only when they are consecutive iterations: a missing
   * value (NaN, or ≤ 0 on a log axis) or a jump in the iteration numbers leaves a gap, never an interpolated
   * segment. When no two drawable points are consecutive the series is markers only; points that stand alone in a
   * line series get a marker of their own (an unlisted series of the same colour), so that nothing drawn is
   * invisible. The legend label says how many known values could not be drawn.
   *
   * @param iterations the iteration of each value, increasing
   * @param values the values (NaN where unknown)
   * @param log whether the y-axis is logarithmic (values ≤ 0 cannot be drawn)
   * @param yGroup XChart's y-axis group (0 = left axis, 1 = a second axis on the right)
   * @param markEveryPoint a marker on every point of a line too (short axes: up to {@link #MARKERS_UP_TO} iterations;
   *     the same for every series of a chart, so that no series looks different for being short)
   * @return the series, how many points it draws and how many known values it could not (≤ 0 on a log axis,
   *     infinite)
   */
  public static Drawn iterationSeries(XYChart chart, String name, int[] iterations, double[] values, boolean log,
      Color color, int yGroup, boolean markEveryPoint) {
    int n = iterations.length;
    boolean[] ok = new boolean[n];
    List<Double> xs = new ArrayList<>();
    List<Double> ys = new ArrayList<>();
    int drawable = 0;
    int nonPositive = 0;
    int infinite = 0;
    for (int k = 0; k < n; k++) {
      if (k > 0 && iterations[k] != iterations[k - 1] + 1) {
        // A break point: XChart ends a line at a NaN.
        xs.add((double) iterations[k - 1]);
        ys.add(Double.NaN);
      }
      double v = values[k];
      ok[k] = Double.isFinite(v) && (!log || v > 0);
      if (ok[k]) {
        drawable++;
      } else if (Double.isInfinite(v)) {
        infinite++;
      } else if (!Double.isNaN(v)) {
        nonPositive++;
      }
      xs.add((double) iterations[k]);
      ys.add(ok[k] ? v : Double.NaN);
    }
    List<Integer> alone = new ArrayList<>();
    for (int k = 0; k < n; k++) {
      boolean before = k > 0 && ok[k - 1] && iterations[k - 1] == iterations[k] - 1;
      boolean after = k + 1 < n && ok[k + 1] && iterations[k + 1] == iterations[k] + 1;
      if (ok[k] && !before && !after) {
        alone.add(k);
      }
    }
    XYSeries s = chart.addSeries(name, toArray(xs), toArray(ys));
    s.setYAxisGroup(yGroup);
    s.setLineColor(color);
    s.setMarkerColor(color);
    s.setLineStyle(Palette.solid(Palette.LINE_WIDTH));
    if (drawable > 0 && alone.size() == drawable) {
      s.setXYSeriesRenderStyle(XYSeriesRenderStyle.Scatter);
      s.setMarker(SeriesMarkers.CIRCLE);
    } else {
      s.setXYSeriesRenderStyle(XYSeriesRenderStyle.Line);
      boolean everyPoint = markEveryPoint;
      s.setMarker(everyPoint ? SeriesMarkers.CIRCLE : SeriesMarkers.NONE);
      if (!everyPoint && !alone.isEmpty()) {
        double[] ax = new double[alone.size()];
        double[] ay = new double[alone.size()];
        for (int j = 0; j < ax.length; j++) {
          ax[j] = iterations[alone.get(j)];
          ay[j] = values[alone.get(j)];
        }
        XYSeries m = chart.addSeries(name + " (isolated points)", ax, ay);
        m.setXYSeriesRenderStyle(XYSeriesRenderStyle.Scatter);
        m.setMarker(SeriesMarkers.CIRCLE);
        m.setMarkerColor(color);
        m.setYAxisGroup(yGroup);
        m.setShowInLegend(false);
      }
    }
    List<String> notes = new ArrayList<>();
    if (nonPositive > 0) {
      notes.add(nonPositive + (nonPositive == 1 ? " value" : " values") + " ≤ 0 not drawn (log scale)");
    }
    if (infinite > 0) {
      notes.add(infinite + (infinite == 1 ? " value" : " values") + " off the scale");
    }
    if (!notes.isEmpty()) {
      s.setLabel(name + "; " + String.join(", ", notes));
    }
    return new Drawn(s, drawable, nonPositive + infinite);
  }

  private static double[] toArray(List<Double> values) {
    return values.stream().mapToDouble(Double::doubleValue).toArray();
  }
}
