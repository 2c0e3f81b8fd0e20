package io.lowrank.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lowrank.SparkTestSession;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.apache.commons.io.FileUtils;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

/**
 * A sweep survives the loss of its driver on the standalone cluster (a master and two one-core workers started by
 * {@code jobs/cluster}; each driver a SparkSubmit JVM started by {@code jobs/lowrank sweep ... --master spark://...},
 * as {@link ClusterIT} does). One spec, {@code cell-engine = auto}: 80 small cells run as Spark tasks (10 parts),
 * then 4 large ones on the distributed engine (each trial's data cached over both executors, one part per trial).
 *
 * <ol>
 *   <li>An uninterrupted run: the reference table, and the number of Spark jobs of each phase (from its event log).
 *   <li>A run killed with SIGKILL in the task phase: when its event log shows the J1-th task job started, after a
 *       random delay.
 *   <li>Its rerun, killed with SIGKILL in the distributed phase: when the J2-th job of a distributed trial (a solver
 *       pass, the caching of a trial's data, ...) has started, after a random delay, so mostly in the middle of a
 *       pass while the executors hold the trial's cached data.
 *   <li>The final rerun.
 * </ol>
 *
 * After each kill: the driver exited 137, the master removed the application and its executor JVMs are gone (the
 * cluster has its cores back for the rerun), and the parts in place are whole, each (cell, trial) at most once, and
 * only task rows after the first kill. At the end the results equal the uninterrupted run's row for row (exactly:
 * same instances, same engines, same order of sums), the parts hold each (cell, trial) once, and no hidden part or
 * staging directory is left. The kill points come from a seed printed at the start ({@code -Dsweep.kill.seed=S}
 * repeats them); the figures go to the output and to {@code target/sweep-kill-cluster-it/report.json}. Runs in
 * {@code mvn verify} (failsafe, after package).
 */
class SweepKillClusterIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Path IT = StandaloneCluster.HOME.resolve("target/sweep-kill-cluster-it");
  private static final String NAME = "kill-test-cluster";
  private static final int TASK_PARTS = 10;
  private static final int DISTRIBUTED_PARTS = 8;
  private static final int ROWS = 168;

  /**
   * 21 ratios × 4 solvers = 84 cells × 2 trials. d = 6, so a cell holds 7n numbers: the 20 ratios 3 … 7.75
   * (n ≤ 47) are task cells (20 groups, 2 per part: 10 parts), ratio 50 (n = 300) gives the 4 distributed cells
   * (8 parts).
   */
  private static String spec() {
    String ratios = IntStream.range(0, 20).mapToObj(k -> Double.toString(3 + 0.25 * k))
        .collect(Collectors.joining(", "));
    return """
        name = %s
        family = phase-retrieval
        seed = 11
        trials = 2
        batch = 2
        cell-engine = auto
        task-max-size = 1000
        progress-interval = 1
        fixed { d = 6, max-iter = 40, tol = 1e-13, partitions = 2 }
        grid {
          ratio = [%s, 50]
          solver = [bwgd, smoothing-newton, amplitude-flow, wirtinger-flow]
        }
        derived { n = "round(ratio * d)" }
        metrics = [status, iterations, distance, success]
        """.formatted(NAME, ratios);
  }

  @Test
  void aSweepWhoseDriverIsKilledOnTheClusterResumesWithoutLosingOrDuplicatingARow() throws Exception {
    long seed = Long.getLong("sweep.kill.seed", System.nanoTime());
    Random random = new Random(seed);
    System.out.printf("SweepKillClusterIT: kill seed %d (repeat with -Dsweep.kill.seed=%d)%n", seed, seed);
    FileUtils.deleteDirectory(IT.toFile());
    Files.createDirectories(IT);
    Path spec = IT.resolve(NAME + ".conf");
    Files.writeString(spec, spec());
    ObjectNode report = JSON.createObjectNode();
    report.put("seed", seed);
    report.put("grid", "84 cells x 2 trials (80 task cells in 10 parts, 4 distributed cells in 8 parts)");
    long t0 = System.nanoTime();

    try (StandaloneCluster cluster = StandaloneCluster.start(IT.resolve("cluster"), 2)) {
      System.out.printf(Locale.ROOT, "SweepKillClusterIT: cluster %s up in %.1f s%n", cluster.masterUrl,
          cluster.startSeconds);
      report.put("cluster_start_seconds", cluster.startSeconds);

      Path whole = IT.resolve("uninterrupted");
      double wholeSeconds = runToEnd(cluster, "uninterrupted", spec, whole);
      JobLog reference = new JobLog(IT.resolve("events/uninterrupted"));
      reference.poll();
      int taskJobs = reference.started(false);
      int distributedJobs = reference.started(true);
      assertEquals(TASK_PARTS + DISTRIBUTED_PARTS, parts(whole).size());
      assertEquals(20, taskJobs, "one job per task group");
      System.out.printf(Locale.ROOT, "SweepKillClusterIT: uninterrupted run: %d rows, %d parts, %d task jobs + %d "
          + "distributed jobs, %.1f s%n", ROWS, TASK_PARTS + DISTRIBUTED_PARTS, taskJobs, distributedJobs,
          wholeSeconds);
      report.put("uninterrupted_seconds", wholeSeconds);
      report.put("task_jobs", taskJobs);
      report.put("distributed_jobs", distributedJobs);

      // The first kill leaves at least 3 task batches to run, the second at least a fifth of the distributed jobs.
      Path killed = IT.resolve("killed");
      Kill first = runAndKill(cluster, "killed-1", spec, killed, false, 1 + random.nextInt(taskJobs - 6),
          random.nextInt(150));
      assertEquals(0, first.distributedRows, "the first kill was meant for the task phase: " + first);
      Kill second = runAndKill(cluster, "killed-2", spec, killed, true, 1 + random.nextInt(distributedJobs * 4 / 5),
          random.nextInt(100));
      assertTrue(second.rows >= first.rows, "the rerun lost rows: " + first.rows + " -> " + second.rows);
      ArrayNode kills = report.putArray("kills");
      kills.add(first.json());
      kills.add(second.json());

      double rerunSeconds = runToEnd(cluster, "rerun", spec, killed);
      report.put("final_rerun_seconds", rerunSeconds);

      List<String> expected = Files.readAllLines(whole.resolve("results.csv"));
      List<String> actual = Files.readAllLines(killed.resolve("results.csv"));
      assertEquals(1 + ROWS, expected.size());
      assertEquals(expected, actual, "results.csv after two kills and reruns");
      Dataset<Row> rows = SparkTestSession.get().read().parquet(killed.resolve("results").toString());
      Dataset<Row> expectedRows = SparkTestSession.get().read().parquet(whole.resolve("results").toString());
      assertEquals(ROWS, rows.count());
      assertEquals(ROWS, rows.select("cell_id", "trial").distinct().count(), "a (cell, trial) twice in the parts");
      assertEquals(0, rows.except(expectedRows).count());
      assertEquals(0, expectedRows.except(rows).count());
      assertEquals(List.of(), hidden(killed.resolve("results"), ".tmp-"), "a hidden part was left");
      assertEquals(List.of(), hidden(killed, ".staging-"), "a staging directory was left");
      assertEquals("complete", JSON.readTree(killed.resolve("sweep.json").toFile()).path("state").asText());
      double total = (System.nanoTime() - t0) / 1e9;
      report.put("final_rows", ROWS);
      report.put("final_parts", parts(killed).size());
      report.put("lost", 0);
      report.put("duplicated", 0);
      report.put("seconds", total);
      System.out.printf(Locale.ROOT, "SweepKillClusterIT: after the final rerun (%.1f s): %d rows, 0 lost, 0 "
          + "duplicated, equal to the uninterrupted run; %d parts; %.1f s in all%n", rerunSeconds, ROWS,
          parts(killed).size(), total);
    } finally {
      Files.writeString(IT.resolve("report.json"), report.toPrettyString());
    }
    assertFalse(ProcessHandle.allProcesses().anyMatch(p -> p.info().commandLine().orElse("")
        .contains(IT.resolve("cluster").toString())), "a cluster process survived jobs/cluster stop");
  }

  /** Runs the sweep on the cluster to its end (exit 0); its seconds, submit to exit. */
  private static double runToEnd(StandaloneCluster cluster, String name, Path spec, Path out) throws Exception {
    long t0 = System.nanoTime();
    Process p = cluster.submit(name, submitOptions(name), "sweep", spec.toString(), "--out", out.toString());
    cluster.await(p, name, 600);
    return (System.nanoTime() - t0) / 1e9;
  }

  /** An event log (no block updates: the job starts and ends are all this test reads) and no UI port. */
  private static String submitOptions(String name) throws IOException {
    return EventLog.submitOptions(IT.resolve("events/" + name))
        + " --conf spark.eventLog.logBlockUpdates.enabled=false --conf spark.ui.enabled=false";
  }

  /** What a kill hit and left. */
  private record Kill(String name, boolean distributedPhase, int nthJob, int delayMs, String appId,
      String runningJob, int jobsStarted, double secondsToKill, int exitCode, int executorsAtKill,
      double secondsToRelease, int parts, long rows, long distributedRows, int hiddenParts, int stagingDirs) {
    ObjectNode json() {
      ObjectNode n = JSON.valueToTree(this);
      n.put("phase", distributedPhase ? "distributed" : "task");
      return n;
    }

    @Override
    public String toString() {
      return json().toString();
    }
  }

  /**
   * Starts the sweep into {@code out}; when its event log shows the {@code nth} job of the phase started (the
   * distributed phase: jobs not in a task group's job group), waits {@code delayMs} and kills the driver JVM with
   * SIGKILL; then waits until the master has removed the application and its executors are gone, and reads what
   * the kill left in {@code out}.
   */
  private static Kill runAndKill(StandaloneCluster cluster, String name, Path spec, Path out, boolean distributed,
      int nth, int delayMs) throws Exception {
    long t0 = System.nanoTime();
    Process p = cluster.submit(name, submitOptions(name), "sweep", spec.toString(), "--out", out.toString());
    JobLog log = new JobLog(IT.resolve("events/" + name));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(600);
    while (p.isAlive() && log.started(distributed) < nth && System.nanoTime() < deadline) {
      Thread.sleep(20);
      log.poll();
    }
    assertTrue(p.isAlive() && log.started(distributed) >= nth, name + ": the run ended (or hung) before the "
        + nth + "th " + (distributed ? "distributed" : "task") + " job; log tail:\n"
        + StandaloneCluster.tail(cluster.log(name), 30));
    Thread.sleep(delayMs);
    String appId = log.appId();
    int executorsAtKill = executors(appId).size();
    assertTrue(executorsAtKill > 0, name + ": no executor of " + appId + " runs");
    List<ProcessHandle> drivers = p.toHandle().descendants()
        .filter(h -> commandLine(h).contains("org.apache.spark.deploy.SparkSubmit")).toList();
    assertEquals(1, drivers.size(), name + ": the driver JVM among " + p.toHandle().descendants().toList());
    drivers.get(0).destroyForcibly(); // SIGKILL: no shutdown hook, no finally, no goodbye to the master
    long killedAt = System.nanoTime();
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), name + ": jobs/lowrank did not exit after the kill");
    int exit = p.exitValue();
    assertEquals(137, exit, name + ": the exit code of a driver killed by SIGKILL");

    // The master notices the dead driver and has the workers kill its executors: the cores are free for the rerun.
    Path masterLog = cluster.dir.resolve("logs/master.log");
    waitFor(120, () -> executors(appId).isEmpty() && read(masterLog).contains("Removing app " + appId),
        name + ": the master did not remove " + appId + " or its executors still run");
    double release = (System.nanoTime() - killedAt) / 1e9;

    log.poll();
    List<Path> parts = parts(out);
    long rows = 0;
    long distributedRows = 0;
    if (!parts.isEmpty()) {
      Dataset<Row> r = SparkTestSession.get().read().parquet(out.resolve("results").toString());
      rows = r.count();
      assertEquals(rows, r.select("cell_id", "trial").distinct().count(), name + ": a (cell, trial) twice");
      distributedRows = r.filter("engine = 'distributed'").count();
    }
    Kill k = new Kill(name, distributed, nth, delayMs, appId, log.running(), log.started(false)
        + log.started(true), (killedAt - t0) / 1e9, exit, executorsAtKill, release, parts.size(), rows,
        distributedRows, hidden(out.resolve("results"), ".tmp-").size(), hidden(out, ".staging-").size());
    System.out.printf(Locale.ROOT, "SweepKillClusterIT: %s: SIGKILL %.1f s after submit, %d ms after the event "
        + "log showed %s job %d; running then: %s; exit %d; %d executors of %s gone %.1f s after the kill; left %d "
        + "parts (%d rows, %d distributed), %d hidden part(s), %d staging dir(s)%n", name, k.secondsToKill, delayMs,
        distributed ? "distributed" : "task", nth, k.runningJob, exit, executorsAtKill, appId, release, k.parts,
        rows, distributedRows, k.hiddenParts, k.stagingDirs);
    return k;
  }

  /** The executor JVMs of application {@code appId} that are alive (on any worker). */
  private static List<ProcessHandle> executors(String appId) {
    return ProcessHandle.allProcesses().filter(h -> {
      String c = commandLine(h);
      return c.contains("CoarseGrainedExecutorBackend") && c.contains(appId);
    }).toList();
  }

  /**
   * A process's whole command line, from /proc: {@code ProcessHandle.Info.commandLine()} stops at 4096 characters,
   * and the driver's class path alone is ~19 kB. Empty once the process is gone.
   */
  private static String commandLine(ProcessHandle h) {
    try {
      return new String(Files.readAllBytes(Path.of("/proc", Long.toString(h.pid()), "cmdline")),
          StandardCharsets.ISO_8859_1);
    } catch (IOException | RuntimeException gone) {
      return "";
    }
  }

  private static void waitFor(int seconds, BooleanSupplier condition, String message) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (!condition.getAsBoolean()) {
      assertTrue(System.nanoTime() < deadline, message + " after " + seconds + " s");
      Thread.sleep(100);
    }
  }

  private static String read(Path p) {
    try {
      return StandaloneCluster.read(p);
    } catch (IOException e) {
      return "";
    }
  }

  /** The committed parts in {@code out/results}. */
  private static List<Path> parts(Path out) throws IOException {
    Path dir = out.resolve("results");
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> p.getFileName().toString().matches("part-\\d+-[0-9a-f]{8}\\.parquet")).sorted().toList();
    }
  }

  /** Names in {@code dir} that start with {@code prefix}. */
  private static List<String> hidden(Path dir, String prefix) throws IOException {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(prefix)).toList();
    }
  }

  /**
   * The jobs of an application's event log, read as it grows (only new whole lines; job starts and ends are all
   * that is parsed, the log of a distributed trial being mostly task events).
   */
  private static final class JobLog {
    private final Path dir;
    private long offset;
    private String appId;
    private final Map<Integer, String> running = new LinkedHashMap<>(); // job id -> description
    private final int[] started = new int[2]; // task jobs, distributed jobs
    private String lastStarted = "none";

    JobLog(Path dir) {
      this.dir = dir;
    }

    void poll() throws IOException {
      Path file;
      try (Stream<Path> s = Files.list(dir)) {
        file = s.filter(Files::isRegularFile).findFirst().orElse(null);
      }
      if (file == null) {
        return;
      }
      byte[] fresh;
      try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
        if (f.length() <= offset) {
          return;
        }
        fresh = new byte[(int) (f.length() - offset)];
        f.seek(offset);
        f.readFully(fresh);
      }
      int end = fresh.length;
      while (end > 0 && fresh[end - 1] != '\n') {
        end--; // the last line is still being written
      }
      offset += end;
      for (String line : new String(fresh, 0, end, StandardCharsets.UTF_8).split("\n")) {
        if (line.contains("\"SparkListenerJobStart\"")) {
          JsonNode e = JSON.readTree(line);
          String group = EventLog.jobProperty(e, "spark.jobGroup.id");
          started[group.startsWith("sweep " + NAME + " ") ? 0 : 1]++;
          lastStarted = shortDescription(EventLog.jobProperty(e, "spark.job.description"));
          running.put(e.path("Job ID").asInt(), lastStarted);
        } else if (line.contains("\"SparkListenerJobEnd\"")) {
          running.remove(JSON.readTree(line).path("Job ID").asInt());
        } else if (line.contains("\"SparkListenerApplicationStart\"")) {
          appId = JSON.readTree(line).path("App ID").asText();
        }
      }
    }

    /** A task job's description names its group's first cell and the trial count ("…; … (2 trials)" cut). */
    private static String shortDescription(String d) {
      int cells = d.indexOf("; ");
      int trials = d.lastIndexOf(" (");
      return cells > 0 && trials > cells ? d.substring(0, cells) + "; …" + d.substring(trials) : d;
    }

    /** Jobs started so far in the task phase ({@code false}) or the distributed phase ({@code true}). */
    int started(boolean distributed) {
      return started[distributed ? 1 : 0];
    }

    String appId() {
      assertTrue(appId != null && appId.startsWith("app-"), "no application id in the event log of " + dir);
      return appId;
    }

    /** The jobs started and not ended, or the last job started when none runs (the driver between jobs). */
    String running() {
      return running.isEmpty() ? "no job (between jobs; the last started: " + lastStarted + ")"
          : String.join(" | ", running.values());
    }
  }
}
