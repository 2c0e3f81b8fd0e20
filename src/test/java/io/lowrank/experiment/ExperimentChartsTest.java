package io.lowrank.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lowrank.report.ChartAssertions;
import io.lowrank.report.Charts;
import io.lowrank.report.Palette;
import io.lowrank.report.Ticks;
import io.lowrank.report.TruthDistance;
import io.lowrank.solve.Trace;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;

/** The plots of the experiments: sensing trials' error curves and phase retrieval's success rates. */
class ExperimentChartsTest {

  private static Trace trace(int iterations, double rate, boolean diverges) {
    Trace t = new Trace();
    for (int i = 0; i <= iterations; i++) {
      double e = diverges && i > iterations / 2 ? Math.pow(10, i - iterations / 2.0) : Math.exp(-rate * i);
      double distance = diverges && i == iterations ? Double.POSITIVE_INFINITY : e;
      t.add(new Trace.Record(i, e * e, e, Double.NaN, 0.1, distance, 1, 1));
    }
    return t;
  }

  private static SensingTrials.Row row(String solver, Trace t, String status) {
    return new SensingTrials.Row(10, 6, solver, null, null, "spectral", status, t.last().iteration(),
        t.last().distance(), null, null, null, 1.0, t);
  }

  @Test
  void sensingTrialsPlotTheRelativeErrorOfEverySolverWithoutCrossingGaps() {
    SensingTrials.Grid g = new SensingTrials.Grid(60, 3, 1800, List.of(10.0), List.of(6), List.of("gd", "precgd"),
        1000, 5000, List.of(), List.of());
    List<SensingTrials.Row> panel = List.of(row("gd", trace(5000, 0.002, false), "MAX_ITER"),
        row("precgd", trace(300, 0.08, false), "CONVERGED"), row("scaledgd", trace(40, 0.1, true), "DIVERGED"));
    XYChart chart = SensingTrials.chart(g, panel);
    assertEquals(TruthDistance.SENSING.axisTitle(), chart.getYAxisTitle());
    assertTrue(chart.getTitle().contains("r = 6 (r* = 3), d = 60, m = 1800"), chart.getTitle());
    XYSeries gd = chart.getSeriesMap().get("gd (MAX_ITER, 5000 iterations)");
    assertEquals(Palette.series(0), gd.getLineColor());
    XYSeries diverged = chart.getSeriesMap().values().stream().filter(s -> s.getName().startsWith("scaledgd"))
        .findFirst().orElseThrow();
    assertTrue(diverged.getLabel().contains("off the scale"), diverged.getLabel());
    ChartAssertions.linesJoinOnlyConsecutiveIterations(chart);
    ChartAssertions.drawableOnLogScale(chart);
    ChartAssertions.decodesAtStandardSize(Charts.png(chart));
    ChartAssertions.legendOutsideThePlot(chart);
    List<String> ticks = ChartAssertions.drawnXTickLabels(chart);
    assertEquals(Ticks.iterationStep(5000), Long.parseLong(ticks.get(1)) - Long.parseLong(ticks.get(0)),
        ticks.toString());
  }

  @Test
  void successRatesOnAZeroToOneAxisWithTheSettingsInTheTitle() {
    List<PhaseRetrievalTrials.Cell> cells = List.of(new PhaseRetrievalTrials.Cell("bwgd", 3, 20, 5, 2, "30"),
        new PhaseRetrievalTrials.Cell("bwgd", 6, 20, 5, 5, "12"),
        new PhaseRetrievalTrials.Cell("bwgd", 4, 20, 5, 4, "20"),
        new PhaseRetrievalTrials.Cell("smoothing-newton", 3, 20, 5, 3, "10"),
        new PhaseRetrievalTrials.Cell("smoothing-newton", 4, 20, 5, 5, "8"),
        new PhaseRetrievalTrials.Cell("smoothing-newton", 6, 20, 5, 5, "6"));
    XYChart chart = PhaseRetrievalTrials.successChart(cells, 1e-10);
    assertEquals("phase retrieval from the spectral start: d = 20, 5 trials per point", chart.getTitle());
    assertTrue(chart.getYAxisTitle().contains("< 1e-10"), chart.getYAxisTitle());
    assertEquals(0.0, chart.getStyler().getYAxisMin());
    XYSeries bwgd = chart.getSeriesMap().get("bwgd");
    assertEquals(List.of(3.0, 4.0, 6.0), List.of(bwgd.getXData()[0], bwgd.getXData()[1], bwgd.getXData()[2]));
    assertEquals(0.8, bwgd.getYData()[1], 1e-15);
    assertEquals(Palette.series(1), chart.getSeriesMap().get("smoothing-newton").getLineColor());
    ChartAssertions.decodesAtStandardSize(Charts.png(chart));
  }
}
