package io.lowrank.experiment;

import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import io.lowrank.data.Seeds;
import io.lowrank.report.Charts;
import io.lowrank.report.Palette;
import io.lowrank.report.Ticks;
import io.lowrank.run.ConfigValues;
import io.lowrank.run.EscapeRun;
import io.lowrank.run.EscapeSettings;
import io.lowrank.solve.Trace;
import io.lowrank.solve.escape.EscapeEvent;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.knowm.xchart.XYChart;

/**
 * The SOD paper's success-rate experiment as a table: perturbed completion over n and ε (or the Gaussian instance over
 * n and m/(n·r*)), {@code count} seeded starts per cell, every method from the same start with the same total budget
 * of gradient steps. Each trial (all methods) runs in one JVM inside a Spark task; the table gives the success rate,
 * the median gradient steps and the median escapes per cell. The other escape keys (rank, start, GD step, the
 * escape's parameters) are the configuration's.
 */
public final class EscapeTrials {
  private EscapeTrials() {}

  /** Header of trials-runs.csv (the second axis named as the grid names it). */
  public static String runsHeader(Grid grid) {
    return "method,n," + grid.axisName() + ",trial,seed,status,success,gd_steps,escapes,accepted,distance,seconds";
  }

  /** Header of trials.csv. */
  public static String tableHeader(Grid grid) {
    return "method,n," + grid.axisName() + ",trials,successes,success_rate,median_gd_steps,median_escapes";
  }

  /**
   * One method on one trial.
   *
   * @param value the second axis: ε (pmc) or m/(n·r*) (gaussian)
   */
  public record Run(String method, int n, double value, int trial, long seed, String status, boolean success,
      long steps, int escapes, long accepted, double distance, double seconds) implements Serializable {
    String csv() {
      return method + "," + n + "," + value + "," + trial + "," + seed + "," + status + "," + success + "," + steps
          + "," + escapes + "," + accepted + "," + Trace.cell(distance) + "," + seconds;
    }
  }

  /** One cell of the table ({@code value} as in {@link Run}). */
  public record Cell(String method, int n, double value, int trials, int successes, double medianSteps,
      double medianEscapes) {
    String csv() {
      return method + "," + n + "," + value + "," + trials + "," + successes + ","
          + String.format(Locale.ROOT, "%.3f", (double) successes / trials) + "," + medianSteps + "," + medianEscapes;
    }
  }

  /**
   * The sweep's grid, checked.
   *
   * @param instance pmc or gaussian (escape.instance)
   * @param values the second axis: escape.trials.epsilons (pmc) or escape.trials.m-per-nr (gaussian: m = value·n·r*)
   */
  public record Grid(String instance, List<Integer> ns, List<Double> values, int count, List<String> methods,
      long totalSteps) implements Serializable {
    /** The second axis' name in files and tables: epsilon or m_per_nr. */
    public String axisName() {
      return gaussian() ? "m_per_nr" : "epsilon";
    }

    /** Whether the trials run the Gaussian instance (the second axis m/(n·r*)), else perturbed completion (ε). */
    public boolean gaussian() {
      return instance.equals("gaussian");
    }
  }

  /** Reads and checks the escape.trials keys. */
  public static Grid grid(ConfigValues cfg) {
    try {
      String instance = cfg.oneOf("escape.instance", "pmc", "toy", "gaussian");
      if (instance.equals("toy")) {
        throw new IllegalArgumentException("escape.trials runs perturbed completion or the Gaussian instance "
            + "(escape.instance = pmc or gaussian), not the toy");
      }
      boolean gaussian = instance.equals("gaussian");
      List<Integer> ns = cfg.config().getIntList("escape.trials.ns");
      String axisKey = gaussian ? "escape.trials.m-per-nr" : "escape.trials.epsilons";
      List<Double> values = cfg.config().getDoubleList(axisKey);
      List<String> methods = cfg.config().getStringList("escape.trials.methods");
      for (int n : ns) {
        if (n < 2) {
          throw new IllegalArgumentException("escape.trials.ns must hold sizes n >= 2, got " + n);
        }
        EscapeSettings.of(cfg.with("escape.n", n)); // r*, r against each n of the grid, not escape.n's
      }
      for (double v : values) {
        if (gaussian ? !(v > 0 && Double.isFinite(v)) : !(v > 0 && v <= 1)) {
          throw new IllegalArgumentException(axisKey + " must be " + (gaussian ? "> 0" : "in (0, 1]") + ", got " + v);
        }
      }
      for (String m : methods) {
        variant(EscapeSettings.of(cfg.with("escape.n", ns.isEmpty() ? 2 : ns.get(0))), m);
      }
      if (ns.isEmpty() || values.isEmpty() || methods.isEmpty()) {
        throw new IllegalArgumentException("escape.trials.ns, " + axisKey.substring("escape.trials.".length())
            + " and methods must not be empty");
      }
      return new Grid(instance, ns, values, cfg.positiveInt("escape.trials.count"), methods,
          (long) cfg.positiveDouble("escape.trials.total-steps"));
    } catch (ConfigException e) {
      throw new IllegalArgumentException("escape.trials: " + e.getMessage());
    }
  }

  /** The settings of a method name of the table (sod-ungated = sod with the gate off). */
  static EscapeSettings variant(EscapeSettings s, String method) {
    return switch (method) {
      case "sod-ungated" -> s.with("method", "sod").with("gated", false);
      case "sod" -> s.with("method", "sod").with("gated", true);
      case "none", "line-search", "random", "restart" -> s.with("method", method);
      default -> throw new IllegalArgumentException("unknown escape.trials method '" + method
          + "' (expected: none, sod, sod-ungated, line-search, random, restart)");
    };
  }

  /** Runs the sweep on Spark (one task per trial); returns every run. */
  public static List<Run> run(SparkSession spark, ConfigValues cfg) {
    Grid grid = grid(cfg);
    String conf = cfg.config().root().render();
    List<long[]> todo = new ArrayList<>();
    for (int n : grid.ns()) {
      for (int e = 0; e < grid.values().size(); e++) {
        for (int t = 0; t < grid.count(); t++) {
          todo.add(new long[] {n, e, t});
        }
      }
    }
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    jsc.setJobGroup("escape-trials", "escape trials: " + todo.size() + " starts x " + grid.methods().size()
        + " methods", false);
    try {
      return jsc.parallelize(todo, todo.size())
          .flatMap(k -> trial(conf, grid, (int) k[0], grid.values().get((int) k[1]), (int) k[2]).iterator())
          .collect();
    } finally {
      jsc.clearJobGroup();
    }
  }

  /**
   * Every method from one seeded start of one (n, value): ε for perturbed completion, m = value·n·r* measurements for
   * the Gaussian instance (whose operator and truth the seed draws too). Runs inside a Spark task (or anywhere).
   */
  static List<Run> trial(String conf, Grid grid, int n, double value, int trial) {
    ConfigValues cfg = new ConfigValues(ConfigFactory.parseString(conf));
    long seed = Seeds.derive(cfg.longValue("seed"), n, Double.doubleToLongBits(value), trial);
    EscapeSettings base = EscapeSettings.of(cfg.with("escape.n", n)).with("gd.total-steps", grid.totalSteps())
        .with("x0", "").with("escape-at-start", false).withSeed(seed);
    base = grid.gaussian() ? base.with("m", Math.max(1, Math.round(value * n * base.truthRank())))
        : base.with("epsilon", value);
    double success = base.success();
    List<Run> runs = new ArrayList<>();
    for (String m : grid.methods()) {
      EscapeRun.Outcome o = EscapeRun.runInProcess(variant(base, m), 1);
      var oc = o.outcome();
      runs.add(new Run(m, n, value, trial, seed, oc.status().name(), oc.distance() < success, oc.steps(),
          (int) oc.escapes(), oc.events().stream().filter(EscapeEvent::accepted).count(), oc.distance(),
          oc.seconds()));
    }
    return runs;
  }

  /** The table: one cell per (method, n, ε), in the grid's order. */
  public static List<Cell> cells(List<Run> runs, Grid grid) {
    List<Cell> cells = new ArrayList<>();
    for (double e : grid.values()) {
      for (int n : grid.ns()) {
        for (String m : grid.methods()) {
          List<Run> rs = runs.stream().filter(r -> r.method().equals(m) && r.n() == n && r.value() == e).toList();
          int ok = (int) rs.stream().filter(Run::success).count();
          cells.add(new Cell(m, n, e, rs.size(), ok, median(rs.stream().mapToDouble(Run::steps).toArray()),
              median(rs.stream().mapToDouble(Run::escapes).toArray())));
        }
      }
    }
    return cells;
  }

  public static String runsCsv(List<Run> runs, Grid grid) {
    StringBuilder sb = new StringBuilder(runsHeader(grid)).append('\n');
    runs.stream().sorted((a, b) -> a.n() != b.n() ? Integer.compare(a.n(), b.n())
        : a.value() != b.value() ? Double.compare(b.value(), a.value())
        : a.trial() != b.trial() ? Integer.compare(a.trial(), b.trial()) : a.method().compareTo(b.method()))
        .forEach(r -> sb.append(r.csv()).append('\n'));
    return sb.toString();
  }

  public static String tableCsv(List<Cell> cells, Grid grid) {
    StringBuilder sb = new StringBuilder(tableHeader(grid)).append('\n');
    cells.forEach(c -> sb.append(c.csv()).append('\n'));
    return sb.toString();
  }

  /**
   * Markdown: one table per value of the second axis (ε, or m/(n·r*)), rows n, columns the methods' "successes/trials
   * (median steps, median escapes)".
   */
  public static String tableMarkdown(List<Cell> cells, Grid grid) {
    StringBuilder sb = new StringBuilder();
    for (double e : grid.values()) {
      sb.append(String.format(Locale.ROOT, "%s = %s: successes / trials (median gradient steps, median escapes)%n%n",
          grid.axisName(), e));
      sb.append("| n |");
      grid.methods().forEach(m -> sb.append(' ').append(m).append(" |"));
      sb.append("\n|---|");
      grid.methods().forEach(m -> sb.append("---|"));
      sb.append('\n');
      for (int n : grid.ns()) {
        sb.append("| ").append(n).append(" |");
        for (String m : grid.methods()) {
          cells.stream().filter(c -> c.method().equals(m) && c.n() == n && c.value() == e).findFirst()
              .ifPresent(c -> sb.append(String.format(Locale.ROOT, " %d/%d (%.0f, %.0f) |", c.successes(), c.trials(),
                  c.medianSteps(), c.medianEscapes())));
        }
        sb.append('\n');
      }
      sb.append('\n');
    }
    return sb.toString();
  }

  /**
   * Success rate against n for one value of the second axis, a line per method (coinciding lines hide each other: see
   * the table).
   */
  public static byte[] successPng(List<Cell> cells, Grid grid, double value) {
    XYChart chart = Charts.chart(String.format(Locale.ROOT, "%s, %s = %s: success (||XX^T - M*||_F < 1e-3) over %d "
        + "starts", grid.gaussian() ? "Gaussian sensing" : "Perturbed completion", grid.axisName(), value,
        grid.count()), "n", "success rate");
    Ticks.linearX(chart, 0, grid.ns().stream().mapToInt(Integer::intValue).max().orElse(1) * 1.05);
    Ticks.linearY(chart, 0, 1);
    int k = 0;
    for (String m : grid.methods()) {
      double[] x = grid.ns().stream().mapToDouble(Integer::doubleValue).toArray();
      double[] y = new double[x.length];
      for (int i = 0; i < x.length; i++) {
        int n = grid.ns().get(i);
        y[i] = cells.stream().filter(c -> c.method().equals(m) && c.n() == n && c.value() == value)
            .mapToDouble(c -> (double) c.successes() / Math.max(1, c.trials())).findFirst().orElse(Double.NaN);
      }
      var s = chart.addSeries(m, x, y);
      s.setLineColor(Palette.series(k));
      s.setMarkerColor(Palette.series(k));
      s.setLineStyle(Palette.solid(Palette.LINE_WIDTH));
      k++;
    }
    return Charts.png(chart);
  }

  static double median(double[] v) {
    if (v.length == 0) {
      return Double.NaN;
    }
    double[] s = v.clone();
    Arrays.sort(s);
    int h = s.length / 2;
    return s.length % 2 == 1 ? s[h] : 0.5 * (s[h - 1] + s[h]);
  }
}
