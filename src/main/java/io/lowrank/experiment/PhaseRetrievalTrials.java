package io.lowrank.experiment;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValue;
import io.lowrank.data.GaussianPhaseRetrieval;
import io.lowrank.data.Seeds;
import io.lowrank.engine.LocalEngine;
import io.lowrank.io.OutputDir;
import io.lowrank.io.OutputLock;
import io.lowrank.report.Charts;
import io.lowrank.report.Palette;
import io.lowrank.report.Ticks;
import io.lowrank.run.ConfigValues;
import io.lowrank.run.PhaseRetrievalRun;
import io.lowrank.run.PhaseRetrievalSettings;
import io.lowrank.run.PhaseRetrievalSolvers;
import io.lowrank.solve.Result;
import io.lowrank.solve.Trace;
import io.lowrank.solve.phase.PhaseRetrievalSolver;
import io.lowrank.solve.phase.SpectralInitializer;
import java.io.IOException;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The success table of phase retrieval. For every ratio n/d and trial t it draws a fresh Gaussian instance (seed
 * derived from (seed, d, n, t)), starts every solver from the same spectral estimate and records whether it reached
 * distance &lt; {@code trials.success}, and after how many iterations it first did. The solvers stop at
 * {@code trials.tol}, below the success threshold, so that the relative-step test does not stop a linearly
 * convergent one just short of it. Trials are small, so each one runs in-process inside one Spark task and the
 * cluster runs many trials at once. Results are committed after every ratio, and a rerun into the same output
 * directory reuses the trials already there (a sweep resumes where it stopped).
 *
 * <p>Outputs: {@code trials.csv} ({@code solver,ratio,d,trials,successes,median_iterations}; the median is over
 * the successful trials, empty when there is none), {@code success.png} (success rate against n/d, a line per
 * solver), {@code runs.csv} (one row per solver and trial) and {@code config.conf}.
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

    static Run parse(String line, String file, int lineNumber) {
      String[] f = line.split(",", -1);
      if (f.length != 9) {
        throw new IllegalArgumentException(file + ": line " + lineNumber + " has " + f.length + " fields, expected 9 ("
            + RUNS_HEADER + "); move the file away to start the sweep afresh");
      }
      try {
        return new Run(f[0], Double.parseDouble(f[1]), Integer.parseInt(f[2]), Long.parseLong(f[3]),
            Integer.parseInt(f[4]), f[5], Integer.parseInt(f[6]), f[7].isEmpty() ? Double.NaN : Double.parseDouble(f[7]),
            Double.parseDouble(f[8]));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(file + ": line " + lineNumber + ": " + e.getMessage()
            + "; move the file away to start the sweep afresh");
      }
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
   * describe, committing to the directory {@code out} holds after every ratio; {@code config} is the resolved
   * configuration's text. Returns the table, aligned for the console.
   */
  public static String run(SparkSession spark, ConfigValues cfg, String config, OutputLock out) throws IOException {
    check(cfg);
    String outDir = out.dir().toString();
    int dim = cfg.positiveInt("trials.d");
    int count = cfg.positiveInt("trials.count");
    double success = cfg.positiveDouble("trials.success");
    double tol = cfg.positiveDouble("trials.tol");
    long sweepSeed = cfg.longValue("seed");
    double[] ratioList = ratios(cfg.string("trials.ratios"));
    List<String> solverNames = solverNames(cfg.string("trials.solvers"));
    PhaseRetrievalSettings settings = PhaseRetrievalSettings.of(cfg);
    // Built (and so validated) on the driver, shipped to the tasks.
    List<PhaseRetrievalSolver> solverList = new ArrayList<>();
    for (String s : solverNames) {
      solverList.add(settings.comparisonSolver(s, tol));
    }
    SpectralInitializer init = settings.start();
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    Configuration hadoop = spark.sparkContext().hadoopConfiguration();
    requireSameSettings(outDir, hadoop, cfg);
    List<Run> runs = new ArrayList<>(previousRuns(outDir, hadoop));
    for (double ratio : ratioList) {
      List<Integer> todo = new ArrayList<>();
      for (int t = 0; t < count; t++) {
        if (!done(runs, solverNames, ratio, dim, sweepSeed, t)) {
          todo.add(t);
        }
      }
      if (todo.isEmpty()) {
        continue;
      }
      jsc.setJobGroup(NAME, String.format(Locale.ROOT, "trials: n/d = %s, d = %d, %d trials", ratio, dim, todo.size()),
          false);
      List<Run> fresh = jsc.parallelize(todo, todo.size())
          .flatMap(t -> runTrial(ratio, dim, sweepSeed, t, success, init, solverList).iterator()).collect();
      jsc.clearJobGroup();
      runs.removeIf(r -> r.ratio() == ratio && r.d() == dim && r.seed() == sweepSeed && todo.contains(r.trial())
          && solverNames.contains(r.solver()));
      runs.addAll(fresh);
      write(out, runs, cells(runs, solverNames, ratioList, dim, sweepSeed, count, success), success, config);
    }
    List<Cell> cells = cells(runs, solverNames, ratioList, dim, sweepSeed, count, success);
    write(out, runs, cells, success, config);
    return pretty(table(cells));
  }

  /** One trial: a fresh instance, one spectral start, every solver from it. Runs inside a Spark task. */
  static List<Run> runTrial(double ratio, int d, long seed, int trial, double success, SpectralInitializer init,
      List<PhaseRetrievalSolver> solvers) {
    long n = Math.round(ratio * d);
    long instanceSeed = instanceSeed(seed, d, n, trial);
    GaussianPhaseRetrieval instance = new GaussianPhaseRetrieval(n, d, instanceSeed, 0.0);
    List<Run> out = new ArrayList<>();
    try (LocalEngine engine = new LocalEngine(instance.blocks())) {
      SpectralInitializer start = init.withSeed(instanceSeed);
      List<Result> results = PhaseRetrievalRun.compare(engine, instance.truth(), start, solvers);
      for (int k = 0; k < solvers.size(); k++) {
        PhaseRetrievalSolver solver = solvers.get(k);
        Result r = results.get(k);
        double distance = r.trace().last().distance();
        int iterations = distance < success ? firstBelow(r.trace(), success) : r.iterations();
        out.add(new Run(solver.name(), ratio, d, seed, trial, r.status().name(), iterations, distance, r.seconds()));
      }
    }
    return out;
  }

  /** The seed of the instance of a trial: independent across sweep seeds, sizes and trials. */
  public static long instanceSeed(long sweepSeed, int d, long n, int trial) {
    return Seeds.derive(sweepSeed, d, n, trial);
  }

  /** The first iteration whose distance to the truth is below {@code success}. */
  private static int firstBelow(Trace trace, double success) {
    for (Trace.Record rec : trace.records()) {
      if (rec.distance() < success) {
        return rec.iteration();
      }
    }
    throw new IllegalStateException("no iterate of the trace is within " + success + " of the truth");
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

  private static boolean done(List<Run> runs, List<String> solvers, double ratio, int d, long seed, int trial) {
    for (String s : solvers) {
      if (runs.stream().noneMatch(r -> r.solver().equals(s) && r.ratio() == ratio && r.d() == d && r.seed() == seed
          && r.trial() == trial)) {
        return false;
      }
    }
    return true;
  }

  /** The keys (with everything under them) that shape every trial's result besides its ratio, d, seed and index. */
  static final List<String> RESULT_KEYS = List.of("trials.success", "trials.tol", "phase-retrieval.max-iter",
      "phase-retrieval.stall", "phase-retrieval.spectral");

  /** The keys that shape one solver's results only. */
  static final List<Map.Entry<String, List<String>>> SOLVER_KEYS = List.of(
      Map.entry("smoothing-newton", List.of("phase-retrieval.schedule", "phase-retrieval.hessian",
          "phase-retrieval.smoothing", "phase-retrieval.cg")),
      Map.entry("wirtinger-flow", List.of("phase-retrieval.wirtinger")),
      Map.entry("amplitude-flow", List.of("phase-retrieval.amplitude-flow")));

  /**
   * A sweep resumes only with the settings of its config.conf: reusing runs made with other settings would mix
   * them into one table under the new config.
   */
  private static void requireSameSettings(String outDir, Configuration hadoop, ConfigValues cfg) throws IOException {
    Path path = new Path(outDir, "config.conf");
    FileSystem fs = path.getFileSystem(hadoop);
    if (!fs.exists(path)) {
      return;
    }
    Config previous;
    try (FSDataInputStream in = fs.open(path)) {
      previous = ConfigFactory.parseString(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (ConfigException e) {
      throw new IllegalArgumentException(path + ": cannot parse it (" + e.getMessage() + "); move " + outDir
          + " away to start the sweep afresh");
    }
    String again = "; resume with the same settings, or give another --out";
    List<String> keys = new ArrayList<>(RESULT_KEYS);
    List<String> solvers = new ArrayList<>(solverNames(cfg.string("trials.solvers")));
    if (previous.hasPath("trials.solvers")) {
      solvers.addAll(List.of(previous.getString("trials.solvers").split(",")));
    }
    for (Map.Entry<String, List<String>> own : SOLVER_KEYS) {
      if (solvers.stream().anyMatch(x -> x.trim().equals(own.getKey()))) {
        keys.addAll(own.getValue());
      }
    }
    for (String key : keys) {
      Config was = previous.hasPath(key) ? previous.withOnlyPath(key) : ConfigFactory.empty();
      Config now = cfg.config().withOnlyPath(key);
      for (Map.Entry<String, ConfigValue> e : now.entrySet()) {
        String leaf = e.getKey();
        if (!was.hasPath(leaf)) {
          throw new IllegalArgumentException(path + " has no " + leaf + ": the sweep in " + outDir
              + " was run by an earlier version, whose trials cannot be mixed with this one's; move it away");
        }
        if (!sameValue(was.getValue(leaf).unwrapped(), e.getValue().unwrapped())) {
          throw new IllegalArgumentException("the sweep in " + outDir + " was run with " + leaf + " = "
              + was.getValue(leaf).render() + ", this run has " + leaf + " = " + e.getValue().render() + again);
        }
      }
    }
  }

  private static boolean sameValue(Object a, Object b) {
    if (a instanceof Number x && b instanceof Number y) {
      return x.doubleValue() == y.doubleValue();
    }
    return a.equals(b);
  }

  private static List<Run> previousRuns(String outDir, Configuration hadoop) throws IOException {
    Path path = new Path(outDir, "runs.csv");
    FileSystem fs = path.getFileSystem(hadoop);
    if (!fs.exists(path)) {
      return List.of();
    }
    List<Run> runs = new ArrayList<>();
    try (FSDataInputStream in = fs.open(path)) {
      String[] lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n");
      if (lines.length == 0 || !lines[0].equals(RUNS_HEADER)) {
        throw new IllegalArgumentException(path + ": not a runs.csv of this version (header must be " + RUNS_HEADER
            + "); move it away to start the sweep afresh");
      }
      for (int i = 1; i < lines.length; i++) {
        if (!lines[i].isBlank()) {
          runs.add(Run.parse(lines[i], path.toString(), i + 1));
        }
      }
    }
    return runs;
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
