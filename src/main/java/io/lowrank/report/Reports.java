package io.lowrank.report;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import io.lowrank.run.RunResult;
import io.lowrank.solve.Result;
import io.lowrank.solve.Trace;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The files and console text a run produces: {@code summary.json}, {@code estimate.csv}, the convergence plot
 * {@code convergence.png}, and a short human summary. Outputs never contain NaN or Infinity: non-finite numbers
 * become JSON {@code null} or empty CSV cells.
 */
public final class Reports {
  static {
    if (System.getProperty("java.awt.headless") == null) {
      System.setProperty("java.awt.headless", "true");
    }
  }

  private static final ObjectMapper JSON = new ObjectMapper()
      .enable(SerializationFeature.INDENT_OUTPUT)
      .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
      .registerModule(finiteNumbers());

  private Reports() {}

  /**
   * {@code fields} as pretty-printed JSON in the map's order. Nested maps, lists, arrays, records and enums are
   * fine; non-finite doubles and floats (also inside {@code double[]}) are written as {@code null}.
   */
  public static String summaryJson(Map<String, Object> fields) {
    try {
      return JSON.writeValueAsString(fields) + "\n";
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException("cannot write summary JSON: " + e.getOriginalMessage(), e);
    }
  }

  /** X (d×r, column-major) as CSV: one line per row of X, r values each, full precision. */
  public static String matrixCsv(double[] x, int d, int r) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < d; i++) {
      for (int k = 0; k < r; k++) {
        if (k > 0) {
          sb.append(',');
        }
        sb.append(Trace.cell(x[i + k * d]));
      }
      sb.append('\n');
    }
    return sb.toString();
  }

  /** The estimate, one coordinate per line at full precision ({@link Double#toString}); non-finite → empty line. */
  public static String estimateCsv(double[] x) {
    StringBuilder sb = new StringBuilder(x.length * 24);
    for (double v : x) {
      sb.append(Trace.cell(v)).append('\n');
    }
    return sb.toString();
  }

  /**
   * The convergence plot as PNG bytes: distance to the truth per iteration when the trace has it, else the loss;
   * log-scale y. Points that are not finite and positive cannot be drawn on a log axis and are left out.
   */
  public static byte[] convergencePng(Trace trace, String title) {
    boolean hasDistance = trace.records().stream().anyMatch(r -> Double.isFinite(r.distance()));
    String yTitle = hasDistance ? "distance to truth" : "loss";
    List<Double> xs = new ArrayList<>();
    List<Double> ys = new ArrayList<>();
    for (Trace.Record r : trace.records()) {
      double y = hasDistance ? r.distance() : r.loss();
      if (Double.isFinite(y) && y > 0) {
        xs.add((double) r.iteration());
        ys.add(y);
      }
    }
    XYChart chart = chart(800, 500, title == null ? "" : title, "iteration", yTitle);
    chart.getStyler().setLegendVisible(false);
    if (xs.isEmpty()) {
      // Nothing positive to draw on a log scale (e.g. an exact zero from the start): an empty linear frame.
      chart.setTitle((title == null ? "" : title + " ") + "(no positive " + yTitle + " values to plot)");
      XYSeries s = chart.addSeries(yTitle, new double[] {0}, new double[] {0});
      s.setMarker(SeriesMarkers.NONE);
    } else {
      chart.getStyler().setYAxisLogarithmic(true);
      XYSeries s = chart.addSeries(yTitle, xs, ys);
      s.setMarker(xs.size() <= 60 ? SeriesMarkers.CIRCLE : SeriesMarkers.NONE);
    }
    return png(chart);
  }

  /** An empty line chart in the jobs' style (white background), for {@link #png}. */
  public static XYChart chart(int width, int height, String title, String xTitle, String yTitle) {
    XYChart chart = new XYChartBuilder().width(width).height(height).title(title).xAxisTitle(xTitle)
        .yAxisTitle(yTitle).build();
    chart.getStyler().setChartBackgroundColor(java.awt.Color.WHITE);
    return chart;
  }

  /** The chart as PNG bytes. */
  public static byte[] png(XYChart chart) {
    try {
      return BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot render the plot " + chart.getTitle(), e);
    }
  }

  /**
   * The console lines of a run: status and iterations, final loss (and distance when a truth is known), seconds and
   * passes per phase, where the outputs went.
   * <pre>
   *   smoothing-newton: CONVERGED after 5 iterations
   *     loss 2.074e-27, distance to truth 6.439e-14
   *     load 9.12 s, start 0.31 s (6 passes), solve 0.52 s (7 passes), total 9.95 s
   *     outputs in lowrank-out/phase-retrieval
   * </pre>
   */
  public static String consoleSummary(RunResult run, String outDir) {
    Result result = run.result();
    Trace.Record last = result.trace().last();
    RunResult.Timings t = run.timings();
    String nl = System.lineSeparator();
    StringBuilder sb = new StringBuilder();
    sb.append(run.solver()).append(": ").append(result.status()).append(" after ").append(result.iterations())
        .append(result.iterations() == 1 ? " iteration" : " iterations").append(nl);
    sb.append("  loss ").append(sci(last.loss()));
    if (Double.isFinite(last.distance())) {
      sb.append(", distance to truth ").append(sci(last.distance()));
    }
    sb.append(nl);
    long solve = run.solvePasses();
    sb.append(String.format(Locale.ROOT, "  load %.2f s, start %.2f s (%d passes), solve %.2f s (%d passes), total "
        + "%.2f s%n", t.load(), t.start(), result.passes() - solve, t.solve(), solve, t.total()));
    for (String warning : run.warnings()) {
      sb.append("  warning: ").append(warning).append(nl);
    }
    if (outDir != null) {
      sb.append("  outputs in ").append(outDir).append(nl);
    }
    return sb.toString();
  }

  private static String sci(double v) {
    return Double.isFinite(v) ? String.format(Locale.ROOT, "%.3e", v) : "n/a";
  }

  // Non-finite doubles/floats become null so the JSON stays valid and never shows NaN.
  private static SimpleModule finiteNumbers() {
    JsonSerializer<Double> doubles = new JsonSerializer<>() {
      @Override
      public void serialize(Double v, JsonGenerator g, SerializerProvider p) throws IOException {
        if (Double.isFinite(v)) {
          g.writeNumber(v);
        } else {
          g.writeNull();
        }
      }
    };
    JsonSerializer<Float> floats = new JsonSerializer<>() {
      @Override
      public void serialize(Float v, JsonGenerator g, SerializerProvider p) throws IOException {
        if (Float.isFinite(v)) {
          g.writeNumber(v);
        } else {
          g.writeNull();
        }
      }
    };
    JsonSerializer<double[]> arrays = new JsonSerializer<>() {
      @Override
      public void serialize(double[] a, JsonGenerator g, SerializerProvider p) throws IOException {
        g.writeStartArray();
        for (double v : a) {
          if (Double.isFinite(v)) {
            g.writeNumber(v);
          } else {
            g.writeNull();
          }
        }
        g.writeEndArray();
      }
    };
    SimpleModule m = new SimpleModule("finite-numbers");
    m.addSerializer(Double.class, doubles);
    m.addSerializer(Double.TYPE, doubles);
    m.addSerializer(Float.class, floats);
    m.addSerializer(Float.TYPE, floats);
    m.addSerializer(double[].class, arrays);
    return m;
  }
}
