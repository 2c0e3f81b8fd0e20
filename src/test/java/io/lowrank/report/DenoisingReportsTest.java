package io.lowrank.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lowrank.run.DenoisingSettings;
import io.lowrank.solve.denoise.SphericalGradientDescent;
import io.lowrank.theory.RankOneDenoisingTheory;
import java.awt.Color;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.XYSeries.XYSeriesRenderStyle;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** The denoising plots: theory over simulation, distinct colours, human labels, the thresholds marked. */
class DenoisingReportsTest {
  private static final DenoisingSettings S = DenoisingSettings.defaults();
  private static final RankOneDenoisingTheory TH = RankOneDenoisingTheory.of(0.5, S.theta());

  /** The theory itself with a little noise, as a run (N = 20, M = 40). */
  private static SphericalGradientDescent.Run run(int steps) {
    double eta = S.solver().options().eta();
    double[] t = new double[steps + 1];
    double[] u = new double[steps + 1];
    double[] v = new double[steps + 1];
    double[] mu = new double[steps + 1];
    java.util.Random rnd = new java.util.Random(3);
    for (int k = 0; k <= steps; k++) {
      t[k] = k * eta;
      RankOneDenoisingTheory.Point q = TH.predict(t[k], S.mu0(), S.mv0());
      u[k] = q.overlapU() + 0.01 * rnd.nextGaussian();
      v[k] = q.overlapV() + 0.01 * rnd.nextGaussian();
      mu[k] = q.mu() + 0.01 * rnd.nextGaussian();
    }
    return new SphericalGradientDescent.Run(new double[20], new double[40], null, t, u, v, mu);
  }

  private static String u() {
    return Charts.text("⟨x,u⟩", "<x,u>");
  }

  @Test
  void overlapsDrawTheTheoryOverHollowMarkersInThreeColours() {
    XYChart chart = DenoisingReports.overlapsChart(run(80), TH, S);
    List<String> names = new ArrayList<>(chart.getSeriesMap().keySet());
    String v = Charts.text("⟨y,v⟩", "<y,v>");
    String mu = Charts.text("μ", "mu");
    assertEquals(List.of("simulated " + u(), "simulated " + v, "simulated " + mu, "theory " + u(), "theory " + v,
        "theory " + mu), names, "simulation first, so that the theory's lines are painted over it");
    Set<Color> colours = new HashSet<>();
    for (String q : new String[] {u(), v, mu}) {
      XYSeries sim = chart.getSeriesMap().get("simulated " + q);
      XYSeries th = chart.getSeriesMap().get("theory " + q);
      assertEquals(XYSeriesRenderStyle.Scatter, sim.getXYSeriesRenderStyle());
      assertEquals(Palette.HOLLOW_CIRCLE, sim.getMarker());
      assertEquals(SeriesMarkers.NONE, th.getMarker());
      assertEquals(sim.getMarkerColor(), th.getLineColor(), q + ": one colour for simulation and theory");
      assertTrue(th.getLineStyle().getLineWidth() > 2, "theory lines thicker than the markers' rings");
      colours.add(th.getLineColor());
    }
    assertEquals(Set.of(Palette.BLUE, Palette.VERMILLION, Palette.BLUISH_GREEN), colours);
    assertFalse(colours.contains(Palette.ORANGE), "no orange next to vermillion");
    assertTrue(chart.getTitle().contains("N × M = 20 × 40") || chart.getTitle().contains("N x M = 20 x 40"),
        chart.getTitle());
    byte[] png = DenoisingReports.overlapsPng(run(80), TH, S);
    ChartAssertions.decodesAtStandardSize(png);
  }

  @Test
  void aLongRunIsThinnedToAtMostAHundredMarkersAndSaysSo() {
    XYChart chart = DenoisingReports.overlapsChart(run(1000), TH, S);
    XYSeries sim = chart.getSeriesMap().values().iterator().next();
    assertTrue(sim.getXData().length <= DenoisingReports.MAX_MARKERS, sim.getXData().length + " markers");
    assertTrue(sim.getName().contains("every 11th step"), sim.getName());
    XYSeries theory = chart.getSeriesMap().get("theory " + u());
    assertEquals(1001, theory.getXData().length, "the theory at every step");
  }

  @Test
  void theoryOnlyIsThreeLines() {
    XYChart chart = DenoisingReports.overlapsChart(null, TH, S);
    assertEquals(3, chart.getSeriesMap().size());
    assertTrue(chart.getSeriesMap().keySet().stream().allMatch(n -> n.startsWith("theory ")));
    ChartAssertions.decodesAtStandardSize(DenoisingReports.overlapsPng(null, TH, S));
  }

  private static String thetaCsv() {
    StringBuilder sb = new StringBuilder("theta,sim_u,sim_v,theory_u,theory_v,limit_u,limit_v\n");
    for (int i = 0; i < 6; i++) {
      double th = 0.5 + 1.5 * i / 5;
      RankOneDenoisingTheory t = RankOneDenoisingTheory.of(0.5, th);
      RankOneDenoisingTheory.Point q = t.predict(4, S.mu0(), S.mv0());
      double[] l = t.limit(S.mu0(), S.mv0());
      sb.append(String.format(Locale.ROOT, "%s,%s,%s,%s,%s,%s,%s%n", th, q.overlapU() + 0.01, q.overlapV() - 0.01,
          q.overlapU(), q.overlapV(), l[0], l[1]));
    }
    return sb.toString();
  }

  private static String ratioCsv() {
    StringBuilder sb = new StringBuilder("ratio,mu0,mv0,sim_u,sim_v,sim_sign,theory_u,theory_v,theory_sign\n");
    for (int i = 0; i < 6; i++) {
      double r = -1.5 + 1.5 * i / 5;
      RankOneDenoisingTheory.Point q = TH.predict(4, r * S.mv0(), S.mv0());
      sb.append(String.format(Locale.ROOT, "%s,%s,%s,%s,%s,%s,%s,%s,%s%n", r, r * S.mv0(), S.mv0(), q.overlapU(),
          q.overlapV(), Math.signum(q.overlapU()), q.overlapU(), q.overlapV(),
          Math.signum(TH.limit(r * S.mv0(), S.mv0())[0])));
    }
    return sb.toString();
  }

  private static void noColumnNames(XYChart chart) {
    for (XYSeries s : chart.getSeriesMap().values()) {
      for (String column : new String[] {"sim_", "theory_", "limit_", "_u", "_v", "_sign"}) {
        assertFalse(s.getName().contains(column), "a CSV column name in the legend: " + s.getName());
      }
    }
  }

  private static XYSeries startingWith(XYChart chart, String prefix) {
    return chart.getSeriesMap().values().stream().filter(s -> s.getName().startsWith(prefix)).findFirst()
        .orElseThrow(() -> new AssertionError("no series " + prefix + "… in " + chart.getSeriesMap().keySet()));
  }

  @Test
  void thetaSweepHasHumanLabelsAndMarksTheBbpThreshold() {
    XYChart chart = DenoisingReports.thetaSweepChart(thetaCsv(), S);
    noColumnNames(chart);
    assertEquals(XYSeriesRenderStyle.Scatter, chart.getSeriesMap().get("simulated " + u()).getXYSeriesRenderStyle());
    XYSeries theory = startingWith(chart, "theory " + u() + " at t = 4");
    assertEquals(DenoisingReports.THEORY_POINTS, theory.getXData().length, "the theory on a fine grid of θ");
    startingWith(chart, Charts.text("limit (t\u00a0→\u00a0∞) ", "limit (t -> infinity) ") + u());
    XYSeries threshold = startingWith(chart, Charts.text("θ_c = c^(1/4) = 0.841", "theta_c = c^(1/4) = 0.841"));
    double thetaC = Math.pow((double) S.n() / S.m(), 0.25);
    assertEquals(thetaC, threshold.getXData()[0], 1e-12);
    assertEquals(thetaC, threshold.getXData()[1], 1e-12);
    assertNotEquals(threshold.getYData()[0], threshold.getYData()[1], "a vertical line");
    assertEquals(Palette.BLACK, threshold.getLineColor());
    ChartAssertions.decodesAtStandardSize(DenoisingReports.thetaSweepPng(thetaCsv(), S));
  }

  @Test
  void ratioSweepMarksTheCriticalRatioAndTheSignJumpsThereWithoutASegment() {
    XYChart chart = DenoisingReports.ratioSweepChart(ratioCsv(), S);
    noColumnNames(chart);
    double critical = TH.criticalRatio();
    XYSeries line = startingWith(chart, String.format(Locale.ROOT, "critical ratio %s", new java.math.BigDecimal(
        critical).round(new java.math.MathContext(3)).stripTrailingZeros().toPlainString()));
    assertEquals(critical, line.getXData()[0], 1e-12);
    assertEquals(critical, line.getXData()[1], 1e-12);
    XYSeries sign = startingWith(chart, "theory: sign of the limit");
    double[] x = sign.getXData();
    double[] y = sign.getYData();
    for (int i = 1; i < x.length; i++) {
      if (!Double.isNaN(y[i - 1]) && !Double.isNaN(y[i])) {
        assertTrue(x[i] > x[i - 1] || y[i] == y[i - 1], "a vertical segment at " + x[i]);
      }
    }
    assertEquals(-1.0, y[0]);
    assertEquals(1.0, y[y.length - 1]);
    assertEquals(Palette.HOLLOW_SQUARE, chart.getSeriesMap().get("simulated sign of " + u()).getMarker());
    ChartAssertions.decodesAtStandardSize(DenoisingReports.ratioSweepPng(ratioCsv(), S));
  }

  @Test
  void everyChartsLegendEndsUpOutsideThePlot() {
    for (XYChart chart : List.of(DenoisingReports.overlapsChart(run(80), TH, S),
        DenoisingReports.thetaSweepChart(thetaCsv(), S), DenoisingReports.ratioSweepChart(ratioCsv(), S))) {
      Charts.png(chart);
      ChartAssertions.legendOutsideThePlot(chart);
    }
  }
}
