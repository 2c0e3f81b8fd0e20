package io.lowrank.experiment;

import io.lowrank.data.Block;
import io.lowrank.data.GaussianPhaseRetrieval;
import io.lowrank.engine.SparkEngine;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;

/**
 * {@code bench --scale}: the cost of a warm phase-retrieval pass as n grows. For each n a fresh generated instance is
 * cached (all partitions required), {@value Bench#WARM_UP_PASSES} passes warm it, and the median of {@code repeats}
 * timed amplitude passes is its seconds per pass; then seconds = a + b·n is fitted by least squares, with the
 * relative residuals of every size: a pass is linear in n when they stay small and a is the per-job overhead. The
 * driver is warmed first ({@code bench.driver-warm-up} passes on a small instance), as for the bench. Run it
 * under a cluster master with one and with two workers to compare.
 */
public final class PassScaling {
  private PassScaling() {}

  /** The report: one row per n and the fit. */
  public static Map<String, Object> run(SparkSession spark, List<Long> sizes, int d, int repeats, int partitions,
      long seed, int driverWarmUp) {
    requireSizes(sizes, d);
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    // As in the bench: a cold driver's JIT would fall on the first size only and bend the fit.
    Bench.warmUpDriver(jsc, d, jsc.defaultParallelism(), driverWarmUp);
    List<Map<String, Object>> rows = new ArrayList<>();
    double[] n = new double[sizes.size()];
    double[] seconds = new double[sizes.size()];
    for (int k = 0; k < sizes.size(); k++) {
      long size = sizes.get(k);
      GaussianPhaseRetrieval instance = new GaussianPhaseRetrieval(size, d, seed, 0.0, Block.defaultRows(d));
      try (SparkEngine engine = SparkEngine.generated(jsc, instance, partitions, "bench scale n=" + size,
          StorageLevel.MEMORY_ONLY())) {
        Bench.requireCached("the measurements at n = " + size, engine.cachedPartitions(), engine.partitions());
        double s = Bench.medianSeconds(repeats, Bench.amplitudePass(engine, instance.truth()))[0];
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("n", size);
        row.put("seconds_per_pass", s);
        row.put("cached_bytes", engine.cachedBytes());
        row.put("partitions", engine.partitions());
        row.put("gb_per_second", engine.cachedBytes() / s / 1e9);
        rows.add(row);
        n[k] = size;
        seconds[k] = s;
      }
    }
    double[] fit = leastSquaresLine(n, seconds);
    List<Double> residuals = new ArrayList<>();
    for (int k = 0; k < n.length; k++) {
      double predicted = fit[0] + fit[1] * n[k];
      residuals.add((seconds[k] - predicted) / seconds[k]);
      rows.get(k).put("relative_residual", residuals.get(k));
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("master", jsc.master());
    out.put("d", d);
    out.put("repeats", repeats);
    out.put("driver_warm_up_passes", driverWarmUp);
    out.put("sizes", rows);
    out.put("fit_intercept_seconds", fit[0]);
    out.put("fit_seconds_per_million_rows", fit[1] * 1e6);
    out.put("fit_max_relative_residual", residuals.stream().mapToDouble(Math::abs).max().orElse(0));
    return out;
  }

  /** Checks the sizes before anything starts: at least one, each n ≥ 2d (Ŝ must be invertible). */
  public static void requireSizes(List<Long> sizes, int d) {
    if (sizes.isEmpty()) {
      throw new IllegalArgumentException("--scale needs at least one n");
    }
    for (long size : sizes) {
      if (size < 2L * d) {
        throw new IllegalArgumentException("--scale: n = " + size + " is below 2d = " + 2L * d);
      }
    }
  }

  /** [a, b] minimising Σ (y_k − a − b x_k)² (a = y when there is one point). */
  static double[] leastSquaresLine(double[] x, double[] y) {
    int m = x.length;
    double mx = 0;
    double my = 0;
    for (int k = 0; k < m; k++) {
      mx += x[k] / m;
      my += y[k] / m;
    }
    double sxx = 0;
    double sxy = 0;
    for (int k = 0; k < m; k++) {
      sxx += (x[k] - mx) * (x[k] - mx);
      sxy += (x[k] - mx) * (y[k] - my);
    }
    double b = sxx > 0 ? sxy / sxx : 0;
    return new double[] {my - b * mx, b};
  }

  /** The console lines of a report. */
  @SuppressWarnings("unchecked")
  public static String console(Map<String, Object> report) {
    StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "bench --scale: d = %s, %s%n", report.get("d"),
        report.get("master")));
    for (Map<String, Object> row : (List<Map<String, Object>>) report.get("sizes")) {
      sb.append(String.format(Locale.ROOT, "  n = %,12d  %8.4f s/pass  %6.2f GB/s  residual %+.3f%n", row.get("n"),
          row.get("seconds_per_pass"), row.get("gb_per_second"), row.get("relative_residual")));
    }
    sb.append(String.format(Locale.ROOT, "  fit: %.4f s + %.4f s per 10^6 rows (max relative residual %.3f)%n",
        report.get("fit_intercept_seconds"), report.get("fit_seconds_per_million_rows"),
        report.get("fit_max_relative_residual")));
    return sb.toString();
  }
}
