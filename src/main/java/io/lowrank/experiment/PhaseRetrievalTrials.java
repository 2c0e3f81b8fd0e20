package io.lowrank.experiment;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueFactory;
import io.lowrank.data.Seeds;
import io.lowrank.experiment.sweep.Sweep;
import io.lowrank.experiment.sweep.SweepCell;
import io.lowrank.experiment.sweep.SweepRow;
import io.lowrank.experiment.sweep.SweepSpec;
import io.lowrank.io.OutputDir;
import io.lowrank.io.OutputLock;
import io.lowrank.report.Charts;
import io.lowrank.report.Palette;
import io.lowrank.report.Ticks;
import io.lowrank.run.ConfigValues;
import io.lowrank.run.PhaseRetrievalSettings;
import io.lowrank.run.PhaseRetrievalSolvers;
import io.lowrank.solve.Trace;
import java.io.IOException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The success table of phase retrieval. For every ratio n/d and trial t it draws a fresh Gaussian instance (seed
 * derived from (seed, d, n, t)), starts every solver from the same spectral estimate and records whether it reached
 * distance &lt; {@code trials.success}, and after how many iterations it first did. The solvers stop at
 * {@code trials.tol}, below the success threshold, so that the relative-step test does not stop a linearly
 * convergent one just short of it. It is a preset of the sweep engine ({@link Sweep}, {@link #spec}): trials are
 * small, so each one runs in-process inside one Spark task and the cluster runs many trials at once; results are
 * appended to the sweep's Parquet parts batch by batch, and a rerun into the same output directory reuses the trials
 * already there (a sweep resumes where it stopped, and may add trials, ratios or solvers).
 *
 * <p>Outputs: {@code trials.csv} ({@code solver,ratio,d,trials,successes,median_iterations}; the median is over
 * the successful trials, empty when there is none), {@code success.png} (success rate against n/d, a line per
 * solver), {@code runs.csv} (one row per solver and trial) and {@code config.conf}, next to the sweep's files
 * (results/, results.csv, cells.csv, spec.conf, ...; see docs/sweeps.md).
 */
public final class PhaseRetrievalTrials {
  static final String NAME = "trials";
  /** Header of runs.csv. */
  public static final String RUNS_HEADER = "solver,ratio,d,seed,trial,status,iterations,distance_to_truth,seconds";
  /** Header of trials.csv. */
  public static final String TABLE_HEADER = "solver,ratio,d,trials,successes,median_iterations";

  private PhaseRetrievalTrials() {}

  /** One solve of one trial. */
  public record Run(String solver, double ratio, int d, long seed, int trial, String status, int iterations, double distance,
      double seconds) implements Serializable {
    String csv() {
      return solver + "," + ratio + "," + d + "," + seed + "," + trial + "," + status + "," + iterations + ","
          + Trace.cell(distance) + "," + seconds;
    }
  }

  /** Checks every setting of the sweep (before Spark starts or anything is written). */
  public static void check(ConfigValues cfg) {
    cfg.positiveInt("trials.d");
    cfg.positiveInt("trials.count");
    cfg.positiveDouble("trials.success");
    double tol = cfg.positiveDouble("trials.tol");
    ratios(cfg.string("trials.ratios"));
    PhaseRetrievalSettings settings = PhaseRetrievalSettings.of(cfg);
    for (String s : solverNames(cfg.string("trials.solvers"))) {
      settings.comparisonSolver(s, tol);
    }
  }

  /**
   * Runs (or resumes) the sweep the {@code trials} keys and the {@code phase-retrieval} section of {@code cfg}
   * describe, on the sweep engine ({@link #spec}: one cell per ratio and solver, the solvers of a ratio sharing each
   * trial's instance and spectral start), into the directory {@code out} holds; {@code config} is the resolved
   * configuration's text. Besides the sweep's own files it writes the tables of this command. Returns the table,
   * aligned for the console.
   */
  public static String run(SparkSession spark, ConfigValues cfg, String config, OutputLock out) throws IOException {
    check(cfg);
    int dim = cfg.positiveInt("trials.d");
    int count = cfg.positiveInt("trials.count");
    double success = cfg.positiveDouble("trials.success");
    long sweepSeed = cfg.longValue("seed");
    double[] ratioList = ratios(cfg.string("trials.ratios"));
    List<String> solverNames = solverNames(cfg.string("trials.solvers"));
    SweepSpec spec = SweepSpec.of(spec(cfg), NAME);
    // The grid may grow between runs (more trials, ratios or solvers), as this command always allowed.
    Sweep.Outcome outcome = Sweep.run(spark, spec, out, true, System.err, System.console() != null);
    Map<String, SweepCell> byId = new LinkedHashMap<>();
    spec.cells().forEach(c -> byId.put(c.id(), c));
    List<Run> runs = new ArrayList<>();
    for (SweepRow row : outcome.rows()) {
      SweepCell cell = byId.get(row.cellId());
      Map<String, Object> m = row.metrics();
      boolean ok = Boolean.TRUE.equals(m.get("success"));
      Object iterations = ok ? m.get("iterations_to_success") : m.get("iterations");
      runs.add(new Run((String) cell.values().get("solver"), ((Number) cell.values().get("ratio")).doubleValue(), dim,
          sweepSeed, row.trial(), (String) m.get("status"), iterations == null ? 0 : ((Number) iterations).intValue(),
          m.get("distance") == null ? Double.NaN : ((Number) m.get("distance")).doubleValue(),
          m.get("seconds") == null ? 0 : ((Number) m.get("seconds")).doubleValue()));
    }
    List<Cell> cells = cells(runs, solverNames, ratioList, dim, sweepSeed, count, success);
    write(out, runs, cells, success, config);
    return pretty(table(cells));
  }

  /**
   * The sweep spec of a {@code trials} configuration: family phase-retrieval, grid ratio × solver, n = round(ratio
   * · d), d, success and the solvers' tol (trials.tol) fixed with every other key of the phase-retrieval section,
   * trials.count trials per cell, every cell a Spark task.
   */
  public static Config spec(ConfigValues cfg) {
    Map<String, Object> fixed = new LinkedHashMap<>();
    for (Map.Entry<String, ConfigValue> e : cfg.config().getConfig(PhaseRetrievalSettings.SECTION).entrySet()) {
      if (!e.getKey().equals("solver") && !e.getKey().equals("tol")) {
        fixed.put(e.getKey(), e.getValue().unwrapped());
      }
    }
    fixed.put("d", cfg.positiveInt("trials.d"));
    fixed.put("tol", cfg.positiveDouble("trials.tol"));
    fixed.put("success", cfg.positiveDouble("trials.success"));
    Map<String, Object> spec = new LinkedHashMap<>();
    spec.put("name", NAME);
    spec.put("family", PhaseRetrievalSettings.SECTION);
    spec.put("seed", cfg.longValue("seed"));
    spec.put("trials", cfg.positiveInt("trials.count"));
    spec.put("cell-engine", "task");
    spec.put("metrics", List.of("status", "iterations", "distance", "success", "iterations_to_success", "seconds"));
    Config c = ConfigFactory.parseMap(spec);
    for (Map.Entry<String, Object> e : fixed.entrySet()) {
      c = c.withValue("fixed." + e.getKey(), ConfigValueFactory.fromAnyRef(e.getValue())); // keys are paths
    }
    return c.withValue("grid.ratio", ConfigValueFactory.fromIterable(
            Arrays.stream(ratios(cfg.string("trials.ratios"))).boxed().toList()))
        .withValue("grid.solver", ConfigValueFactory.fromIterable(solverNames(cfg.string("trials.solvers"))))
        .withValue("derived.n", ConfigValueFactory.fromAnyRef("round(ratio * d)"));
  }

  /** The seed of the instance of a trial: independent across sweep seeds, sizes and trials. */
  public static long instanceSeed(long sweepSeed, int d, long n, int trial) {
    return Seeds.derive(sweepSeed, d, n, trial);
  }

  /** One line of trials.csv: how many of the trials of a solver at a ratio reached the success distance. */
  public record Cell(String solver, double ratio, int d, int trials, int successes, String medianIterations) {
    /** The cell as a line of trials.csv. */
    public String csv() {
      return solver + ',' + ratio + ',' + d + ',' + trials + ',' + successes + ',' + medianIterations;
    }
  }

  /** The cells of trials.csv from the runs of this sweep (other rows of runs.csv, from other settings, are left out). */
  static List<Cell> cells(List<Run> runs, List<String> solvers, double[] ratios, int d, long seed, int count,
      double success) {
    List<Cell> cells = new ArrayList<>();
    for (String solver : solvers) {
      for (double ratio : ratios) {
        List<Integer> iterations = new ArrayList<>();
        int trials = 0;
        for (Run r : runs) {
          if (r.solver().equals(solver) && r.ratio() == ratio && r.d() == d && r.seed() == seed && r.trial() < count) {
            trials++;
            if (r.distance() < success) {
              iterations.add(r.iterations());
            }
          }
        }
        cells.add(new Cell(solver, ratio, d, trials, iterations.size(), median(iterations)));
      }
    }
    return cells;
  }

  static String table(List<Cell> cells) {
    StringBuilder sb = new StringBuilder(TABLE_HEADER).append('\n');
    for (Cell c : cells) {
      sb.append(c.csv()).append('\n');
    }
    return sb.toString();
  }

  /** The success rate against n/d, a line per solver (as PhasePack plots its benchmarks). */
  static byte[] successPng(List<Cell> cells, double success) {
    return Charts.png(successChart(cells, success));
  }

  /**
   * success.png: the fraction of trials that reached {@code success} against n/d, a line with a marker per measured
   * ratio for each solver, on a 0–1 axis; the title gives d, the trials per point and the threshold.
   */
  public static XYChart successChart(List<Cell> cells, double success) {
    int d = cells.isEmpty() ? 0 : cells.get(0).d();
    int trials = cells.stream().mapToInt(Cell::trials).max().orElse(0);
    XYChart chart = Charts.chart(String.format(Locale.ROOT,
        "phase retrieval from the spectral start: d = %d, %d trials per point", d, trials), "n / d",
        Charts.text(String.format(Locale.ROOT, "success rate (dist(x, x*) / ‖x*‖ < %s)", sci(success)),
            String.format(Locale.ROOT, "success rate (dist(x, x*)/||x*|| < %s)", sci(success))));
    double lo = cells.stream().mapToDouble(Cell::ratio).min().orElse(0);
    double hi = cells.stream().mapToDouble(Cell::ratio).max().orElse(1);
    Ticks.linearX(chart, Math.min(lo, hi - 1), hi);
    Ticks.linearY(chart, 0, 1);
    Map<String, List<Cell>> bySolver = new LinkedHashMap<>();
    for (Cell c : cells) {
      bySolver.computeIfAbsent(c.solver(), k -> new ArrayList<>()).add(c);
    }
    int i = 0;
    for (Map.Entry<String, List<Cell>> e : bySolver.entrySet()) {
      List<Cell> line = e.getValue().stream().filter(c -> c.trials() > 0)
          .sorted(Comparator.comparingDouble(Cell::ratio)).toList();
      if (!line.isEmpty()) {
        XYSeries s = chart.addSeries(e.getKey(), line.stream().mapToDouble(Cell::ratio).toArray(),
            line.stream().mapToDouble(c -> (double) c.successes() / c.trials()).toArray());
        s.setLineColor(Palette.series(i));
        s.setMarkerColor(Palette.series(i));
        s.setLineStyle(Palette.solid(Palette.LINE_WIDTH));
        s.setMarker(SeriesMarkers.CIRCLE);
      }
      i++;
    }
    return chart;
  }

  private static String sci(double v) {
    String s = String.format(Locale.ROOT, "%.0e", v);
    return s.replace("e-0", "e-").replace("e+0", "e").replace("e+", "e");
  }

  private static String median(List<Integer> values) {
    if (values.isEmpty()) {
      return "";
    }
    int[] v = values.stream().mapToInt(Integer::intValue).sorted().toArray();
    int m = v.length / 2;
    double median = v.length % 2 == 1 ? v[m] : 0.5 * (v[m - 1] + v[m]);
    return median == Math.rint(median) ? Long.toString((long) median) : Double.toString(median);
  }

  /** The CSV table aligned in columns for the console. */
  static String pretty(String csv) {
    List<String[]> rows = csv.lines().map(l -> l.split(",", -1)).toList();
    int[] width = new int[rows.get(0).length];
    for (String[] r : rows) {
      for (int j = 0; j < r.length; j++) {
        width[j] = Math.max(width[j], r[j].length());
      }
    }
    StringBuilder sb = new StringBuilder();
    for (String[] r : rows) {
      for (int j = 0; j < r.length; j++) {
        sb.append(String.format("%-" + (width[j] + 2) + "s", r[j]));
      }
      while (sb.charAt(sb.length() - 1) == ' ') {
        sb.setLength(sb.length() - 1);
      }
      sb.append('\n');
    }
    return sb.toString();
  }

  private static void write(OutputLock out, List<Run> runs, List<Cell> cells, double success, String config)
      throws IOException {
    List<Run> sorted = new ArrayList<>(runs);
    sorted.sort(Comparator.comparing(Run::solver).thenComparingDouble(Run::ratio).thenComparingInt(Run::d)
        .thenComparingLong(Run::seed).thenComparingInt(Run::trial));
    StringBuilder sb = new StringBuilder(RUNS_HEADER).append('\n');
    for (Run r : sorted) {
      sb.append(r.csv()).append('\n');
    }
    try (OutputDir dir = OutputDir.open(out)) {
      dir.writeText("runs.csv", sb.toString());
      dir.writeText("trials.csv", table(cells));
      dir.writeBytes("success.png", successPng(cells, success));
      dir.writeText("config.conf", config);
      dir.commit();
    }
  }

  /** A list as written on a command line or in HOCON: "3,4,6" or "[3, 4, 6]". */
  private static String unbracket(String list) {
    String t = list.trim();
    return t.startsWith("[") && t.endsWith("]") ? t.substring(1, t.length() - 1) : t;
  }

  static double[] ratios(String list) {
    String[] parts = unbracket(list).split(",");
    double[] r = new double[parts.length];
    for (int i = 0; i < parts.length; i++) {
      try {
        r[i] = Double.parseDouble(parts[i].trim());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("trials.ratios: '" + parts[i].trim() + "' is not a number (expected e.g. 3,4,6)");
      }
      if (!(r[i] >= 1) || Double.isInfinite(r[i])) {
        throw new IllegalArgumentException("trials.ratios: n/d must be a finite number >= 1, got " + parts[i].trim());
      }
    }
    return Arrays.stream(r).distinct().toArray();
  }

  static List<String> solverNames(String list) {
    List<String> names = new ArrayList<>();
    for (String s : unbracket(list).split(",")) {
      String name = s.trim().replace("\"", "");
      if (name.equals("mllib-lbfgs")) {
        throw new IllegalArgumentException("trials: mllib-lbfgs runs on the whole cluster, not inside one trial; "
            + "compare it with `lowrank bench` or `lowrank phase-retrieval --solver mllib-lbfgs`");
      }
      if (!PhaseRetrievalSolvers.NAMES.contains(name)) {
        throw new IllegalArgumentException("trials.solvers: unknown solver '" + name + "' (expected some of: "
            + String.join(", ", PhaseRetrievalSolvers.NAMES) + ")");
      }
      if (!names.contains(name)) {
        names.add(name);
      }
    }
    return names;
  }

}
