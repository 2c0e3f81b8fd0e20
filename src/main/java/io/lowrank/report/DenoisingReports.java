package io.lowrank.report;

import io.lowrank.linalg.Linalg;
import io.lowrank.run.DenoisingSettings;
import io.lowrank.solve.Trace;
import io.lowrank.solve.denoise.SphericalGradientDescent;
import io.lowrank.theory.RankOneDenoisingTheory;
import java.util.List;
import java.util.Locale;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** The files of rank-one denoising: overlaps.csv and overlaps.png (simulation against theory), sweep plots. */
public final class DenoisingReports {
  /** Header of overlaps.csv. */
  public static final String OVERLAPS_HEADER = "t,sim_u,sim_v,sim_mu,theory_u,theory_v,theory_mu";

  private DenoisingReports() {}

  /** overlaps.csv: one row per step; sim columns empty without a run (or without spikes), theory without a theory. */
  public static String overlapsCsv(SphericalGradientDescent.Run run, RankOneDenoisingTheory th,
      DenoisingSettings s) {
    StringBuilder sb = new StringBuilder(OVERLAPS_HEADER).append('\n');
    int rows = run != null ? run.size() : s.solver().options().steps() + 1;
    for (int k = 0; k < rows; k++) {
      double t = run != null ? run.t()[k] : k * s.solver().options().eta();
      sb.append(Trace.cell(t));
      if (run != null) {
        sb.append(',').append(Trace.cell(run.overlapU()[k])).append(',').append(Trace.cell(run.overlapV()[k]))
            .append(',').append(Trace.cell(run.mu()[k]));
      } else {
        sb.append(",,,");
      }
      if (th != null) {
        RankOneDenoisingTheory.Point q = th.predict(t, s.mu0(), s.mv0());
        sb.append(',').append(Trace.cell(q.overlapU())).append(',').append(Trace.cell(q.overlapV())).append(',')
            .append(Trace.cell(q.mu()));
      } else {
        sb.append(",,,");
      }
      sb.append('\n');
    }
    return sb.toString();
  }

  /** Simulated (markers) and predicted (lines) overlaps and μ on the same axes. */
  public static byte[] overlapsPng(SphericalGradientDescent.Run run, RankOneDenoisingTheory th,
      DenoisingSettings s) {
    XYChart chart = Reports.chart(900, 560,
        String.format(Locale.ROOT, "rank-one denoising: theta=%.3g, (m_u0, m_v0)=(%.3g, %.3g), eta=%.3g",
            s.theta(), s.mu0(), s.mv0(), s.solver().options().eta()), "t", "overlap / mu");
    int rows = run != null ? run.size() : s.solver().options().steps() + 1;
    double[] t = new double[rows];
    double[][] sim = new double[3][rows];
    double[][] thy = new double[3][rows];
    for (int k = 0; k < rows; k++) {
      t[k] = run != null ? run.t()[k] : k * s.solver().options().eta();
      if (run != null) {
        sim[0][k] = run.overlapU()[k];
        sim[1][k] = run.overlapV()[k];
        sim[2][k] = run.mu()[k];
      }
      if (th != null) {
        RankOneDenoisingTheory.Point q = th.predict(t[k], s.mu0(), s.mv0());
        thy[0][k] = q.overlapU();
        thy[1][k] = q.overlapV();
        thy[2][k] = q.mu();
      }
    }
    String[] names = {"u", "v", "mu"};
    for (int j = 0; j < 3; j++) {
      if (run != null && Linalg.isFinite(sim[j])) {
        XYSeries series = chart.addSeries("simulated " + names[j], t, sim[j]);
        series.setMarker(SeriesMarkers.CIRCLE);
        series.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
      }
      if (th != null) {
        chart.addSeries("theory " + names[j], t, thy[j]).setMarker(SeriesMarkers.NONE);
      }
    }
    if (chart.getSeriesMap().isEmpty()) {
      chart.addSeries("(nothing to plot)", new double[] {0}, new double[] {0});
    }
    return Reports.png(chart);
  }

  /** A plot of the named columns of a sweep CSV against its first column. */
  public static byte[] sweepPng(String csv, String xName, String yTitle, String title, String[] columns) {
    String[] lines = csv.split("\n");
    List<String> header = List.of(lines[0].split(","));
    int rows = lines.length - 1;
    double[][] values = new double[header.size()][rows];
    for (int r = 0; r < rows; r++) {
      String[] cells = lines[r + 1].split(",");
      for (int j = 0; j < cells.length; j++) {
        values[j][r] = cells[j].isEmpty() ? Double.NaN : Double.parseDouble(cells[j]);
      }
    }
    XYChart chart = Reports.chart(900, 560, title, xName, yTitle);
    for (String col : columns) {
      int j = header.indexOf(col);
      XYSeries s = chart.addSeries(col, values[0], values[j]);
      if (col.startsWith("sim")) {
        s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        s.setMarker(SeriesMarkers.CIRCLE);
      } else {
        s.setMarker(SeriesMarkers.NONE);
      }
    }
    return Reports.png(chart);
  }
}
