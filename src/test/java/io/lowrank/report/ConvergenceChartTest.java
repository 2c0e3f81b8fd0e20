package io.lowrank.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lowrank.solve.Trace;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.XYSeries.XYSeriesRenderStyle;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** What the convergence plot draws for the traces the solvers write. */
class ConvergenceChartTest {

  /** A trace as MLlib's L-BFGS baseline writes it: the loss at every iteration, the distance at the ends only. */
  static Trace mllibLike(int iterations) {
    Trace t = new Trace();
    for (int i = 0; i <= iterations; i++) {
      double distance = i == 0 ? 0.57 : i == iterations ? 7.6e-9 : Double.NaN;
      t.add(new Trace.Record(i, 0.48 * Math.pow(10, -0.5 * i), Double.NaN, Double.NaN, Double.NaN, distance,
          i == iterations ? 52 : 0, i == iterations ? 1800 : 0));
    }
    return t;
  }

  private static Trace full(int iterations) {
    Trace t = new Trace();
    for (int i = 0; i <= iterations; i++) {
      t.add(new Trace.Record(i, Math.pow(10, -i), 1, Double.NaN, 0.1, Math.pow(10, -0.5 * i), 1, 1));
    }
    return t;
  }

  @Test
  void mllibPlotShowsTheLossPerIterationAndTheTwoDistancesAsPointsOnly() {
    XYChart chart = Reports.convergenceChart(mllibLike(33), "mllib-lbfgs", TruthDistance.PHASE_RETRIEVAL);
    Map<String, XYSeries> series = chart.getSeriesMap();
    XYSeries loss = series.get("loss (left axis)");
    assertEquals(34, loss.getXData().length);
    assertEquals(XYSeriesRenderStyle.Line, loss.getXYSeriesRenderStyle());
    assertEquals(0, loss.getYAxisGroup());
    XYSeries dist = series.values().stream().filter(s -> s.getName().startsWith("dist(x, x*)")
        || s.getName().startsWith("dist(x, x*) / ||x*||")).findFirst().orElseThrow();
    assertTrue(dist.getName().contains("known at iterations 0 and 33 only"), dist.getName());
    assertEquals(XYSeriesRenderStyle.Scatter, dist.getXYSeriesRenderStyle(), "two distances are points, not a line");
    assertEquals(SeriesMarkers.DIAMOND, dist.getMarker());
    assertEquals(1, dist.getYAxisGroup());
    assertEquals(TruthDistance.PHASE_RETRIEVAL.axisTitle(), chart.getYAxisGroupTitle(1));
    long drawn = java.util.Arrays.stream(dist.getYData()).filter(v -> !Double.isNaN(v)).count();
    assertEquals(2, drawn);
    ChartAssertions.linesJoinOnlyConsecutiveIterations(chart);
    ChartAssertions.drawableOnLogScale(chart);
    assertTrue(chart.getStyler().isLegendVisible());
    ChartAssertions.decodesAtStandardSize(Charts.png(chart));
    ChartAssertions.legendOutsideThePlot(chart);
  }

  @Test
  void theDistanceAxisSaysWhatTheFamilysDistanceIs() {
    XYChart pr = Reports.convergenceChart(full(20), "pr", TruthDistance.PHASE_RETRIEVAL);
    XYChart sensing = Reports.convergenceChart(full(20), "sensing", TruthDistance.SENSING);
    assertTrue(pr.getYAxisTitle().equals("dist(x, x*) / ‖x*‖") || pr.getYAxisTitle().equals("dist(x, x*) / ||x*||"),
        pr.getYAxisTitle());
    assertTrue(sensing.getYAxisTitle().equals("relative error  ‖XXᵀ − M*‖_F / ‖M*‖_F")
        || sensing.getYAxisTitle().equals("relative error  ||XX^T - M*||_F / ||M*||_F"), sensing.getYAxisTitle());
    assertFalse(pr.getYAxisTitle().contains("distance to truth"));
    assertEquals(1, pr.getSeriesMap().size());
    assertFalse(pr.getStyler().isLegendVisible(), "one series: the axis title names it");
    assertThrows(IllegalArgumentException.class, () -> Reports.convergenceChart(full(3), "x", TruthDistance.NONE));
    // Without a distance: the loss.
    Trace lossOnly = new Trace();
    for (int i = 0; i <= 5; i++) {
      lossOnly.add(new Trace.Record(i, Math.exp(-i), 1, Double.NaN, 0.1, Double.NaN, 1, 1));
    }
    assertTrue(Reports.convergenceChart(lossOnly, "x", TruthDistance.NONE).getYAxisTitle().startsWith("loss"));
  }

  @Test
  void zerosAndGapsLeaveGapsAndTheLegendCountsThem() {
    Trace t = new Trace();
    for (int i = 0; i <= 100; i++) {
      double d = i == 40 ? Double.NaN : i == 100 ? 0.0 : i == 70 ? Double.POSITIVE_INFINITY : Math.exp(-i / 10.0);
      t.add(new Trace.Record(i, Math.exp(-i / 5.0), 1, Double.NaN, 0.1, d, 1, 1));
    }
    XYChart chart = Reports.convergenceChart(t, "gaps", TruthDistance.SENSING);
    ChartAssertions.linesJoinOnlyConsecutiveIterations(chart);
    ChartAssertions.drawableOnLogScale(chart);
    XYSeries s = chart.getSeriesMap().values().iterator().next();
    assertTrue(s.getLabel().contains("1 value ≤ 0 not drawn (log scale)"), s.getLabel());
    assertTrue(s.getLabel().contains("1 value off the scale"), s.getLabel());
    assertTrue(chart.getStyler().isLegendVisible());
    assertTrue(Double.isNaN(s.getYData()[40]) && Double.isNaN(s.getYData()[70]) && Double.isNaN(s.getYData()[100]));
  }

  @Test
  void aJumpInTheIterationNumbersIsAGapNotALine() {
    Trace t = new Trace();
    for (int i : new int[] {0, 1, 2, 10, 11, 20}) {
      t.add(new Trace.Record(i, 1.0 / (i + 1), 1, Double.NaN, 0.1, 1.0 / (i + 2), 1, 1));
    }
    XYChart chart = Reports.convergenceChart(t, "jumps", TruthDistance.PHASE_RETRIEVAL);
    ChartAssertions.linesJoinOnlyConsecutiveIterations(chart);
    XYSeries s = chart.getSeriesMap().values().iterator().next();
    assertEquals(XYSeriesRenderStyle.Line, s.getXYSeriesRenderStyle());
    // Up to 60 points every point has a marker: the lone point at iteration 20 is visible.
    assertNotEquals(SeriesMarkers.NONE, s.getMarker());
  }

  @Test
  void aLoneDistanceInALongTraceGetsItsOwnMarker() {
    Trace t = new Trace();
    for (int i = 0; i <= 300; i++) {
      double d = i == 150 ? Double.NaN : i == 151 ? 1e-3 : i == 152 ? Double.NaN : Math.exp(-i / 50.0);
      t.add(new Trace.Record(i, 1, 1, Double.NaN, 0.1, d, 1, 1));
    }
    XYChart chart = Reports.convergenceChart(t, "lone", TruthDistance.SENSING);
    List<XYSeries> all = List.copyOf(chart.getSeriesMap().values());
    assertEquals(SeriesMarkers.NONE, all.get(0).getMarker(), "301 points: a plain line");
    XYSeries lone = all.get(1);
    assertFalse(lone.isShowInLegend());
    assertEquals(XYSeriesRenderStyle.Scatter, lone.getXYSeriesRenderStyle());
    assertEquals(151.0, lone.getXData()[0]);
    ChartAssertions.linesJoinOnlyConsecutiveIterations(chart);
  }

  @Test
  void aTraceWithNothingPositiveIsAnEmptyFrameThatSaysSo() {
    Trace zero = new Trace();
    zero.add(new Trace.Record(0, 0.0, 0.0, Double.NaN, Double.NaN, Double.NaN, 1, 0));
    XYChart chart = Reports.convergenceChart(zero, "t", TruthDistance.PHASE_RETRIEVAL);
    assertTrue(chart.getTitle().contains("no positive values"), chart.getTitle());
    ChartAssertions.decodesAtStandardSize(Charts.png(chart));
  }
}
