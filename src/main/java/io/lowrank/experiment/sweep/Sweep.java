package io.lowrank.experiment.sweep;

import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigRenderOptions;
import io.lowrank.io.OutputLock;
import io.lowrank.linalg.Linalg;
import io.lowrank.run.ConfigValues;
import io.lowrank.solve.Trace;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.spark.SparkException;
import org.apache.spark.api.java.JavaFutureAction;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;

/**
 * The sweep engine: runs (or resumes) the cells of a {@link SweepSpec} into a {@link SweepStore}.
 *
 * <p>Which engine a cell runs on ({@code cell-engine}): {@code task} runs each trial inside one Spark task on the
 * in-process engine (many trials at once over the cluster; cells whose data fit one executor), {@code distributed}
 * runs the cell's trials one after another on the distributed engine (each trial's data spread over the cluster),
 * and {@code auto} picks task when the cell's data hold at most {@code task-max-size} numbers (default 2·10⁷, about
 * 160 MB of doubles; measurements × (values per measurement + 1)), else distributed.
 *
 * <p>Task cells run in batches of {@code batch} task groups (cells that share their instance, e.g. the solvers of one
 * ratio, with all their pending trials), each group a Spark job in its own job group named after its cells, the
 * jobs of a batch at once; each completed batch is one Parquet part. Distributed cells run after them, one part per
 * trial. A trial whose run throws is kept as a FAILED row with its error (it is not retried by a rerun); a failure of
 * Spark itself stops the sweep, and a rerun resumes it.
 */
public final class Sweep {
  private Sweep() {}

  /** What a run of a sweep did. */
  public record Outcome(int cells, int cellsDone, long trials, long trialsDone, long failures, int cellsRun,
      long trialsRun, double seconds, List<SweepRow> rows) {
    /** Whether every trial of every cell is in the results. */
    public boolean complete() {
      return trialsDone == trials;
    }
  }

  /** The engine of a cell under the spec's rule. */
  static String engineOf(SweepSpec spec, SweepCell cell) {
    return switch (spec.cellEngine()) {
      case "task" -> "task";
      case "distributed" -> "distributed";
      default -> spec.family().size(cell.settings()) <= spec.taskMaxSize() ? "task" : "distributed";
    };
  }

  /** A task group: cells solved on one shared instance per trial (one cell unless the family shares). */
  record Group(String id, List<SweepCell> cells) {}

  /** Groups the task cells by their values less the family's shared-instance keys, in spec order. */
  static List<Group> groups(SweepSpec spec, List<SweepCell> cells) {
    Map<String, List<SweepCell>> by = new LinkedHashMap<>();
    for (SweepCell c : cells) {
      Map<String, Object> key = new LinkedHashMap<>(c.values());
      spec.family().sharedInstanceKeys().forEach(key::remove);
      by.computeIfAbsent(SweepSpec.describe(key), k -> new ArrayList<>()).add(c);
    }
    List<Group> out = new ArrayList<>();
    for (List<SweepCell> g : by.values()) {
      out.add(new Group(g.get(0).id(), g));
    }
    return out;
  }

  /**
   * Runs the sweep into the directory {@code out} holds: skips the trials its parts hold, appends a part per
   * batch, rewrites the views, prints progress on {@code err}.
   *
   * @param extend allow a spec that adds grid values or trials to the one the directory was run with
   */
  public static Outcome run(SparkSession spark, SweepSpec spec, OutputLock out, boolean extend, PrintStream err,
      boolean terminal) throws IOException {
    SweepStore store = SweepStore.open(out, spark, spec, extend);
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    Map<String, SweepCell> byId = new LinkedHashMap<>();
    List<SweepCell> taskCells = new ArrayList<>();
    List<SweepCell> distributedCells = new ArrayList<>();
    for (SweepCell c : spec.cells()) {
      if (byId.put(c.id(), c) != null) {
        throw new IllegalArgumentException("grid: two cells have the same values (" + c.describe() + ")");
      }
      (engineOf(spec, c).equals("task") ? taskCells : distributedCells).add(c);
    }
    Instant started = Instant.now();
    Map<String, Object> env = environment(spark, spec, started, taskCells.size(), distributedCells.size());
    int[] cellsRun = {0};
    long trialsAtStart = store.rows().size();
    SweepProgress progress = new SweepProgress(spec.name(), spec.cells().size(),
        (long) spec.cells().size() * spec.trials(), cellsDone(spec, store), store.rows().size(), failures(store),
        spec.progressInterval(), err, terminal);
    store.writeViews(status(spec, store, progress, "running"), env);
    try {
      List<Group> pending = new ArrayList<>();
      for (Group g : groups(spec, taskCells)) {
        if (!pendingTrials(spec, store, g.cells()).isEmpty()) {
          pending.add(g);
        }
      }
      for (int from = 0; from < pending.size(); from += spec.batch()) {
        List<Group> batch = pending.subList(from, Math.min(from + spec.batch(), pending.size()));
        List<JavaFutureAction<List<SweepRow>>> jobs = new ArrayList<>();
        for (Group g : batch) {
          List<Integer> trials = pendingTrials(spec, store, g.cells());
          jsc.setJobGroup("sweep " + spec.name() + " " + g.id(), jobDescription(spec, g.cells(), trials.size()),
              false);
          SweepFamily family = spec.family();
          List<String> ids = g.cells().stream().map(SweepCell::id).toList();
          List<String> confs = g.cells().stream().map(c -> c.config().root().render(ConfigRenderOptions.concise()))
              .toList();
          long seed = spec.seed();
          boolean consecutive = spec.seeds().equals("consecutive");
          boolean traces = spec.traces();
          jobs.add(jsc.parallelize(trials, trials.size())
              .flatMap(t -> trialInTask(family, ids, confs, seed, consecutive, traces, t).iterator()).collectAsync());
        }
        jsc.clearJobGroup();
        List<SweepRow> rows = new ArrayList<>();
        for (JavaFutureAction<List<SweepRow>> job : jobs) {
          rows.addAll(await(job));
        }
        int before = cellsDone(spec, store);
        reportFailures(spec, store, rows, byId, err);
        store.append(rows, byId);
        cellsRun[0] += cellsDone(spec, store) - before;
        progress.update(cellsDone(spec, store), store.rows().size(), failures(store), cellsRun[0]);
        store.writeViews(status(spec, store, progress, "running"), env);
      }
      for (SweepCell c : distributedCells) {
        List<Integer> trials = pendingTrials(spec, store, List.of(c));
        if (trials.isEmpty()) {
          continue;
        }
        jsc.setJobGroup("sweep " + spec.name() + " " + c.id(), jobDescription(spec, List.of(c), trials.size()),
            false);
        for (int t : trials) {
          ConfigValues cfg = c.settings();
          long seed = spec.trialSeed(cfg, t);
          SweepRow row;
          try {
            Map<String, Object> result = spec.family().runDistributed(spark, cfg, seed);
            row = new SweepRow(c.id(), t, seed, "distributed", null, select(result, spec.metrics()),
                trace(result, spec.traces()));
          } catch (RuntimeException e) {
            if (e.getCause() instanceof SparkException) { // the cluster failed, not the run: stop, a rerun resumes
              throw e;
            }
            row = failed(c.id(), t, seed, "distributed", e, spec.metrics());
          }
          int before = cellsDone(spec, store);
          reportFailures(spec, store, List.of(row), byId, err);
          store.append(List.of(row), byId);
          cellsRun[0] += cellsDone(spec, store) - before;
          progress.update(cellsDone(spec, store), store.rows().size(), failures(store), cellsRun[0]);
          store.writeViews(status(spec, store, progress, "running"), env);
        }
        jsc.clearJobGroup();
      }
    } finally {
      progress.close();
    }
    boolean complete = store.rows().size() == (long) spec.cells().size() * spec.trials();
    env.put("finished", Instant.now().toString());
    store.writeViews(status(spec, store, progress, complete ? "complete" : "incomplete"), env);
    return new Outcome(spec.cells().size(), cellsDone(spec, store), (long) spec.cells().size() * spec.trials(),
        store.rows().size(), failures(store), cellsRun[0], store.rows().size() - trialsAtStart, progress.seconds(),
        store.ordered());
  }

  /** One line on stderr per new FAILED trial (the progress line counts them). */
  private static void reportFailures(SweepSpec spec, SweepStore store, List<SweepRow> rows, Map<String, SweepCell> cells,
      PrintStream err) {
    for (SweepRow r : rows) {
      if (r.error() != null && !store.done(r.cellId(), r.trial())) {
        err.println("sweep " + spec.name() + ": FAILED cell " + r.cellId() + " ("
            + cells.get(r.cellId()).describe() + ") trial " + r.trial() + ": " + r.error());
      }
    }
  }

  private static List<SweepRow> await(JavaFutureAction<List<SweepRow>> job) throws IOException {
    try {
      return job.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while waiting for a batch", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw new IllegalStateException(e.getCause());
    }
  }

  /** The trials of which some cell of {@code cells} has no row. */
  private static List<Integer> pendingTrials(SweepSpec spec, SweepStore store, List<SweepCell> cells) {
    List<Integer> out = new ArrayList<>();
    for (int t = 0; t < spec.trials(); t++) {
      for (SweepCell c : cells) {
        if (!store.done(c.id(), t)) {
          out.add(t);
          break;
        }
      }
    }
    return out;
  }

  private static String jobDescription(SweepSpec spec, List<SweepCell> cells, int trials) {
    StringBuilder sb = new StringBuilder("sweep " + spec.name() + ": ");
    for (int i = 0; i < cells.size(); i++) {
      sb.append(i == 0 ? "" : "; ").append(cells.get(i).id()).append(' ').append(cells.get(i).describe());
    }
    return sb.append(String.format(Locale.ROOT, " (%d trial%s)", trials, trials == 1 ? "" : "s")).toString();
  }

  /** One trial of a task group, inside a Spark task: the family's in-process run, a FAILED row per cell if it throws. */
  static List<SweepRow> trialInTask(SweepFamily family, List<String> ids, List<String> confs, long sweepSeed,
      boolean consecutiveSeeds, boolean traces, int trial) {
    List<ConfigValues> cells = new ArrayList<>();
    for (String c : confs) {
      cells.add(new ConfigValues(ConfigFactory.parseString(c)));
    }
    List<String> metrics = new ArrayList<>(family.metrics().keySet());
    long seed = SweepSpec.trialSeed(family, cells.get(0), sweepSeed, consecutiveSeeds, trial);
    List<SweepRow> out = new ArrayList<>();
    try {
      List<Map<String, Object>> results = family.runInProcess(cells, seed);
      for (int k = 0; k < ids.size(); k++) {
        Map<String, Object> values = new LinkedHashMap<>(results.get(k));
        values.remove(SweepFamily.TRACE);
        out.add(new SweepRow(ids.get(k), trial, seed, "task", null, values, trace(results.get(k), traces)));
      }
    } catch (RuntimeException e) {
      for (String id : ids) {
        out.add(failed(id, trial, seed, "task", e, metrics));
      }
    }
    return out;
  }

  private static SweepRow failed(String id, int trial, long seed, String engine, RuntimeException e,
      List<String> metrics) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (String k : metrics) {
      m.put(k, null);
    }
    m.put("status", SweepRow.FAILED);
    String msg = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    return new SweepRow(id, trial, seed, engine, msg.lines().findFirst().orElse(msg), m, null);
  }

  /** The trace a trial's result carries, when the spec keeps traces. */
  private static Trace trace(Map<String, Object> result, boolean keep) {
    return keep && result.get(SweepFamily.TRACE) instanceof Trace t ? t : null;
  }

  private static Map<String, Object> select(Map<String, Object> all, List<String> metrics) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (String k : metrics) {
      m.put(k, all.get(k));
    }
    return m;
  }

  private static int cellsDone(SweepSpec spec, SweepStore store) {
    int n = 0;
    for (SweepCell c : spec.cells()) {
      boolean all = true;
      for (int t = 0; t < spec.trials() && all; t++) {
        all = store.done(c.id(), t);
      }
      n += all ? 1 : 0;
    }
    return n;
  }

  private static long failures(SweepStore store) {
    return store.rows().values().stream().filter(r -> r.error() != null).count();
  }

  private static Map<String, Object> status(SweepSpec spec, SweepStore store, SweepProgress p, String state) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", spec.name());
    m.put("family", spec.family().name());
    m.put("state", state);
    m.put("cells", spec.cells().size());
    m.put("cells_done", cellsDone(spec, store));
    m.put("trials", (long) spec.cells().size() * spec.trials());
    m.put("trials_done", store.rows().size());
    m.put("failures", failures(store));
    m.put("seconds_this_run", p.seconds());
    m.put("cells_per_second_this_run", p.cellsPerSecond());
    m.put("progress", p.line());
    return m;
  }

  /** environment.json: where and with what the sweep ran (for the report). */
  private static Map<String, Object> environment(SparkSession spark, SweepSpec spec, Instant started, int taskCells,
      int distributedCells) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("started", started.toString());
    m.put("spark_master", spark.sparkContext().master());
    m.put("spark_version", spark.version());
    m.put("spark_app_id", spark.sparkContext().applicationId());
    m.put("spark_ui", spark.sparkContext().uiWebUrl().getOrElse(() -> null));
    m.put("default_parallelism", spark.sparkContext().defaultParallelism());
    m.put("java_version", System.getProperty("java.version"));
    m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.arch"));
    m.put("host", host());
    m.put("blas", Linalg.blasName());
    String v = Sweep.class.getPackage().getImplementationVersion();
    m.put("lowrank_version", v == null ? "dev" : v);
    m.put("cell_engine", spec.cellEngine());
    m.put("task_max_size", spec.taskMaxSize());
    m.put("task_cells", taskCells);
    m.put("distributed_cells", distributedCells);
    return m;
  }

  private static String host() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      return "unknown";
    }
  }
}
