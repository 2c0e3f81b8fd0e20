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
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The files and console text a run produces: {@code summary.json}, {@code estimate.csv}, the convergence plot
 * {@code convergence.png} (drawn with {@link Charts}), and a short human summary. Outputs never contain NaN or
 * Infinity: non-finite numbers become JSON {@code null} or empty CSV cells.
 */
public final class Reports {
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
   * The convergence plot of {@code trace} as PNG bytes: see {@link #convergenceChart}.
   *
   * @param title the plot's title (the solver, the family and its settings)
   * @param distance what the trace's distance column measures in this family
   */
  public static byte[] convergencePng(Trace trace, String title, TruthDistance distance) {
    return Charts.png(convergenceChart(trace, title, distance));
  }

  /**
   * The convergence plot of {@code trace}, per iteration on a log scale:
   * <ul>
   *   <li>the distance to the truth, titled by what {@code distance} says it measures, when the trace has it at
   *       most iterations;
   *   <li>the loss when the trace has no distance;
   *   <li>both when the distance is known at a few iterations only (MLlib's L-BFGS knows it at the start and the
   *       end): the loss as a line on the left axis, the distance as points on a right axis.
   * </ul>
   * A line never joins iterations that are not consecutive ({@link Charts#iterationSeries}). Values a log axis
   * cannot show (≤ 0, e.g. a loss of exactly 0) are gaps, and the legend says how many. The title is the caller's;
   * the axis is labelled every {@link Ticks#iterationStep} iterations.
   *
   * @throws IllegalArgumentException when the trace has distances but {@code distance} is {@link TruthDistance#NONE}
   */
  public static XYChart convergenceChart(Trace trace, String title, TruthDistance distance) {
    List<Trace.Record> records = trace.records();
    int n = records.size();
    int[] iterations = new int[n];
    double[] loss = new double[n];
    double[] dist = new double[n];
    int known = 0;
    for (int k = 0; k < n; k++) {
      Trace.Record r = records.get(k);
      iterations[k] = r.iteration();
      loss[k] = r.loss();
      dist[k] = r.distance();
      known += Double.isNaN(r.distance()) ? 0 : 1;
    }
    if (known > 0 && distance == TruthDistance.NONE) {
      throw new IllegalArgumentException("the trace has distances to a truth: say what they measure (TruthDistance)");
    }
    String lossTitle = "loss (the solver's objective)";
    boolean lossDrawable = Arrays.stream(loss).anyMatch(v -> Double.isFinite(v) && v > 0);
    // The distance is the plot when it is known at most iterations (gaps stay gaps); known at a few only, the loss
    // per iteration is what shows the run, and the distance is a few points beside it.
    boolean distanceOnly = known > 0 && (2 * known >= n || !lossDrawable);
    String yTitle = distanceOnly ? distance.axisTitle() : lossTitle;
    XYChart chart = Charts.chart(title, "iteration", yTitle);
    Ticks.iterationAxis(chart, n == 0 ? 0 : iterations[n - 1]);
    boolean marks = n <= Charts.MARKERS_UP_TO;
    double[] range = positiveRange(distanceOnly ? dist : known > 0 ? concat(loss, dist) : loss);
    if (range == null) {
      // Nothing a log axis can show (e.g. an exact zero from the start): an empty frame that says so.
      chart.setTitle((title == null ? "" : title + " ") + "(no positive values to plot)");
      chart.getStyler().setLegendVisible(false);
      XYSeries s = chart.addSeries(yTitle, new double[] {0}, new double[] {Double.NaN});
      s.setMarker(SeriesMarkers.NONE);
      return chart;
    }
    Ticks.logY(chart, range[0], range[1]);
    List<Charts.Drawn> drawn = new ArrayList<>();
    if (distanceOnly) {
      drawn.add(Charts.iterationSeries(chart, distance.axisTitle(), iterations, dist, true, Palette.BLUE, 0,
          marks));
    } else {
      drawn.add(Charts.iterationSeries(chart, known > 0 ? "loss (left axis)" : "loss", iterations, loss, true,
          Palette.BLUE, 0, marks));
      if (known > 0) {
        List<Integer> at = new ArrayList<>();
        for (int k = 0; k < n; k++) {
          if (!Double.isNaN(dist[k])) {
            at.add(iterations[k]);
          }
        }
        String where = known == 1 ? "known at iteration " + at.get(0)
            : known <= 4 ? "known at iterations " + join(at) + " only"
            : "known at " + known + " of " + n + " iterations";
        Charts.Drawn d = Charts.iterationSeries(chart, distance.formula() + " (" + where + ", right axis)", iterations,
            dist, true, Palette.VERMILLION, 1, marks);
        // Another shape than the loss's circles: the two axes' scales are unrelated, so points may coincide.
        d.series().setMarker(SeriesMarkers.DIAMOND);
        drawn.add(d);
        chart.setYAxisGroupTitle(0, lossTitle);
        chart.setYAxisGroupTitle(1, distance.axisTitle());
        chart.getStyler().setYAxisGroupPosition(1, Styler.YAxisPosition.Right);
        chart.getStyler().setYAxisGroupTickLabelsColorMap(1, Palette.VERMILLION);
        chart.getStyler().setYAxisGroupTickLabelsColorMap(0, Palette.BLUE);
      }
    }
    boolean notes = drawn.stream().anyMatch(d -> d.leftOut() > 0);
    chart.getStyler().setLegendVisible(drawn.size() > 1 || notes);
    return chart;
  }

  /** [min, max] of the finite positive values, or null when there is none. */
  private static double[] positiveRange(double[] values) {
    double lo = Double.POSITIVE_INFINITY;
    double hi = Double.NEGATIVE_INFINITY;
    for (double v : values) {
      if (Double.isFinite(v) && v > 0) {
        lo = Math.min(lo, v);
        hi = Math.max(hi, v);
      }
    }
    return lo <= hi ? new double[] {lo, hi} : null;
  }

  private static double[] concat(double[] a, double[] b) {
    double[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  private static String join(List<Integer> values) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < values.size(); i++) {
      sb.append(i == 0 ? "" : i == values.size() - 1 ? " and " : ", ").append(values.get(i));
    }
    return sb.toString();
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
