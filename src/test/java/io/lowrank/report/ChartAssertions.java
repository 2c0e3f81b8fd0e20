package io.lowrank.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.XYSeries.XYSeriesRenderStyle;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.Styler;

/** Checks on the charts of {@link Charts}: what they draw, not their pixels. */
public final class ChartAssertions {
  private ChartAssertions() {}

  /** Every line of {@code chart} joins only points one iteration apart (NaN values end a line). */
  public static void linesJoinOnlyConsecutiveIterations(XYChart chart) {
    for (XYSeries s : chart.getSeriesMap().values()) {
      if (s.getXYSeriesRenderStyle() == XYSeriesRenderStyle.Scatter) {
        continue;
      }
      double[] x = s.getXData();
      double[] y = s.getYData();
      for (int i = 1; i < x.length; i++) {
        if (!Double.isNaN(y[i - 1]) && !Double.isNaN(y[i])) {
          assertEquals(1.0, x[i] - x[i - 1], 0.0, s.getName() + " joins iterations " + x[i - 1] + " and " + x[i]);
        }
      }
    }
  }

  /** No value of a series of a log-scale chart is ≤ 0 or infinite (they would break the axis). */
  public static void drawableOnLogScale(XYChart chart) {
    assertTrue(chart.getStyler().isYAxisLogarithmic(), "log y-axis");
    for (XYSeries s : chart.getSeriesMap().values()) {
      for (double v : s.getYData()) {
        assertTrue(Double.isNaN(v) || Double.isFinite(v) && v > 0, s.getName() + " has " + v);
      }
    }
  }

  /** {@code png} decodes to an image of the standard size. */
  public static BufferedImage decodesAtStandardSize(byte[] png) {
    try {
      BufferedImage image = ImageIO.read(new ByteArrayInputStream(png));
      assertNotNull(image, "not a PNG ImageIO can read");
      assertEquals(Charts.WIDTH, image.getWidth());
      assertEquals(Charts.HEIGHT, image.getHeight());
      return image;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** After rendering: the legend is outside the plot (below it or to its right), or hidden. */
  public static void legendOutsideThePlot(XYChart chart) {
    Styler.LegendPosition p = chart.getStyler().getLegendPosition();
    assertTrue(!chart.getStyler().isLegendVisible() || p == Styler.LegendPosition.OutsideS
        || p == Styler.LegendPosition.OutsideE, "legend at " + p);
  }

  /**
   * The x-axis labels XChart drew the last time the chart was painted (left to right): read through XChart's
   * package-private axis, which has no public accessor in 3.8.
   */
  public static List<String> drawnXTickLabels(XYChart chart) {
    try {
      Method getXAxis = Chart.class.getDeclaredMethod("getXAxis");
      getXAxis.setAccessible(true);
      Object axis = getXAxis.invoke(chart);
      Object calculator = axis.getClass().getMethod("getAxisTickCalculator").invoke(axis);
      Method labels = calculator.getClass().getMethod("getTickLabels");
      Method locations = calculator.getClass().getMethod("getTickLocations");
      labels.setAccessible(true);
      locations.setAccessible(true);
      Rectangle2D bounds = (Rectangle2D) axis.getClass().getMethod("getBounds").invoke(axis);
      List<?> text = (List<?>) labels.invoke(calculator);
      List<?> at = (List<?>) locations.invoke(calculator);
      List<String> out = new ArrayList<>();
      for (int i = 0; i < text.size(); i++) {
        double px = (Double) at.get(i);
        // XChart draws a label only strictly inside the axis.
        if (text.get(i) != null && !((String) text.get(i)).isBlank() && px > 0 && px < bounds.getWidth()) {
          out.add((String) text.get(i));
        }
      }
      return out;
    } catch (ReflectiveOperationException e) {
      throw new AssertionError("XChart's axis internals changed: " + e, e);
    }
  }
}
