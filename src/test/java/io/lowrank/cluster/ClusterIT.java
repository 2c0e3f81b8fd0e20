package io.lowrank.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lowrank.SparkTestSession;
import io.lowrank.job.Main;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;
import org.apache.commons.io.FileUtils;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The application on a real standalone Spark cluster (one master, two workers, separate JVMs on loopback, started by
 * {@code jobs/cluster}; the jar submitted by {@code jobs/lowrank --master spark://...} through SparkSubmit) and a
 * real HDFS (an in-process MiniDFSCluster). Runs in {@code mvn verify} (failsafe, after package).
 */
class ClusterIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Path IT = StandaloneCluster.HOME.resolve("target/cluster-it");
  private static final String SOLVER = "smoothing-newton";
  private static final Pattern PASS_DESCRIPTION =
      Pattern.compile(SOLVER + " (spectral init|iter \\d+): (amplitude|Hessian-vector|spectral) pass");

  private static StandaloneCluster cluster;
  private static MiniDFSCluster hdfs;
  private static String hdfsUrl;

  @BeforeAll
  static void startClusterAndHdfs() throws Exception {
    FileUtils.deleteDirectory(IT.toFile());
    Files.createDirectories(IT);
    // The Spark cluster starts (separate JVMs) while HDFS starts in this JVM.
    CompletableFuture<StandaloneCluster> spark = CompletableFuture.supplyAsync(() -> {
      try {
        return StandaloneCluster.start(IT.resolve("cluster"), 2);
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    try {
      Configuration conf = new Configuration();
      File base = IT.resolve("hdfs").toFile();
      conf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, base.getAbsolutePath());
      long t0 = System.nanoTime();
      hdfs = new MiniDFSCluster.Builder(conf, base).numDataNodes(1).build();
      hdfs.waitActive();
      hdfsUrl = hdfs.getURI() + "/";
      System.out.printf("ClusterIT: HDFS %s up in %.1f s%n", hdfsUrl, (System.nanoTime() - t0) / 1e9);
    } finally {
      cluster = spark.join();
    }
    System.out.printf("ClusterIT: Spark cluster %s up in %.1f s%n", cluster.masterUrl, cluster.startSeconds);
    SparkTestSession.get();
  }

  @AfterAll
  static void stopClusterAndHdfs() throws Exception {
    try {
      if (cluster != null) {
        cluster.close();
        // jobs/cluster stop leaves no process behind: the daemons' process groups are gone.
        assertFalse(ProcessHandle.allProcesses().anyMatch(p -> p.info().commandLine().orElse("")
            .contains(IT.resolve("cluster").toString())), "a cluster process survived jobs/cluster stop");
      }
    } finally {
      if (hdfs != null) {
        hdfs.shutdown();
      }
    }
  }

  /**
   * An instance written to HDFS in Parquet by {@code generate}, solved locally and on the cluster (output to HDFS),
   * with one executor killed mid-solve: same estimate; the lost cached partitions are re-read from HDFS.
   */
  @Test
  void hdfsInstanceOnTheClusterSurvivesExecutorLossAndGivesTheLocalEstimate() throws Exception {
    String data = hdfsUrl + "data/pr.parquet";
    String truth = hdfsUrl + "data/pr.truth";
    assertEquals(0, Main.run("generate", "--n", "20000", "--d", "40", "--seed", "11", "--partitions", "4",
        "--out", data));
    long t0 = System.nanoTime();
    assertEquals(0, Main.run("phase-retrieval", "--input", data, "--truth", truth, "--partitions", "4",
        "--out", hdfsUrl + "out/local"));
    double localSeconds = (System.nanoTime() - t0) / 1e9;

    // While it iterates on the cluster, one executor is killed: its cached partitions are re-read from HDFS.
    LossRun run = runKillingAnExecutor("hdfs-run", "",
        "phase-retrieval", "--input", data, "--truth", truth, "--partitions", "4", "--out", hdfsUrl + "out/cluster");
    FileSystem fs = FileSystem.get(hdfs.getURI(), new Configuration());
    JsonNode summary = JSON.readTree(readHdfs(fs, "/out/cluster/summary.json"));
    assertEquals("CONVERGED", summary.path("status").asText(), summary.toString());
    assertEquals(cluster.masterUrl, summary.path("master").asText());
    assertEquals(data, summary.path("input").asText());
    assertEquals(20000, summary.path("n").asInt());
    assertClose(doubles(readHdfs(fs, "/out/local/estimate.csv")), doubles(readHdfs(fs, "/out/cluster/estimate.csv")));

    run.check();
    run.report(summary, null, "hdfs");
    System.out.printf("ClusterIT: HDFS instance n=20000 d=40: local %.1f s, cluster submit-to-exit %.1f s (%d passes)%n",
        localSeconds, run.seconds, summary.path("passes").asInt());
  }

  /**
   * One executor JVM is killed (SIGKILL, by pid) while the solver iterates on generated data: the lost cached
   * blocks are recomputed from lineage and the run still converges to the undisturbed estimate.
   */
  @Test
  void generatedInstanceSurvivesExecutorLoss() throws Exception {
    String[] args = {"phase-retrieval", "--set", "generate.n=200000", "--set", "generate.d=64", "--seed", "5",
        "--partitions", "4"};
    Path localOut = IT.resolve("generated-local");
    Path clusterOut = IT.resolve("generated-cluster");
    assertEquals(0, Main.run(concat(args, "--out", localOut.toString())));

    LossRun run = runKillingAnExecutor("executor-loss", "--executor-memory 768m",
        concat(args, "--out", clusterOut.toString()));

    JsonNode summary = JSON.readTree(clusterOut.resolve("summary.json").toFile());
    JsonNode local = JSON.readTree(localOut.resolve("summary.json").toFile());
    assertEquals("CONVERGED", summary.path("status").asText(), summary.toString());
    assertEquals(local.path("status").asText(), summary.path("status").asText());
    assertClose(doubles(Files.readString(localOut.resolve("estimate.csv"))),
        doubles(Files.readString(clusterOut.resolve("estimate.csv"))));

    run.check();
    run.report(summary, local, "generated");
  }

  /**
   * The master named with {@code --set} instead of {@code --master}: no SparkSubmit, the driver runs in the launcher's
   * JVM and ships the jar and JVM flags itself; the run converges on the cluster's executors.
   */
  @Test
  void masterFromTheConfigurationRunsOnTheCluster() throws Exception {
    Path out = IT.resolve("master-from-set");
    Process p = cluster.launch("master-from-set", "", List.of("phase-retrieval", "--set", "master=" + cluster.masterUrl,
        "--set", "input=", "--set", "truth=", "--set", "generate.n=20000", "--set", "generate.d=20", "--seed", "3",
        "--partitions", "4", "--out", out.toString()));
    cluster.await(p, "master-from-set", 180);
    JsonNode summary = JSON.readTree(out.resolve("summary.json").toFile());
    assertEquals("CONVERGED", summary.path("status").asText(), summary.toString());
    assertEquals(cluster.masterUrl, summary.path("master").asText());
    assertEquals("spark", summary.path("engine").asText(), "engine = auto keeps Spark under a cluster master");
    String log = Files.readString(cluster.log("master-from-set"));
    assertFalse(log.contains("ClassNotFoundException"), "executors could not load the application's classes");
  }

  /** A cluster run during which one executor JVM was killed. */
  private record LossRun(String name, long killedPid, String killedDuring, double seconds, List<JsonNode> log) {
    /** Hygiene and visibility hold despite the loss; the driver saw the executor go. */
    void check() {
      EventLog.TaskStats stats = EventLog.taskStats(log);
      assertTrue(stats.executorsRemoved() >= 1, "the driver never saw the executor go: " + stats);
      assertPassesAreNamedJobs(log);
      assertEquals(Map.of(), EventLog.cachedRddBytesAtEnd(log), "executors still cache blocks after the solve");
    }

    /** Writes target/cluster-it/executor-loss-KIND.json (task retries etc. from the event log) and prints it. */
    void report(JsonNode summary, JsonNode undisturbed, String kind) throws IOException {
      EventLog.TaskStats stats = EventLog.taskStats(log);
      ObjectNode report = JSON.createObjectNode();
      report.put("input", kind);
      report.put("killed_executor_pid", killedPid);
      report.put("killed_during_job", killedDuring);
      report.put("status", summary.path("status").asText());
      report.put("iterations", summary.path("iterations").asInt());
      if (undisturbed != null) {
        report.put("iterations_undisturbed", undisturbed.path("iterations").asInt());
      }
      report.put("tasks", stats.tasks());
      report.put("failed_tasks", stats.failed());
      report.put("retried_task_attempts", stats.retriedAttempts());
      report.put("resubmitted_stage_attempts", stats.resubmittedStages());
      report.put("executors_added", stats.executorsAdded());
      report.put("executors_removed", stats.executorsRemoved());
      report.set("failure_reasons", JSON.valueToTree(stats.failureReasons()));
      report.put("seconds", seconds);
      Files.writeString(IT.resolve("executor-loss-" + kind + ".json"), report.toPrettyString());
      System.out.println("ClusterIT: executor loss (" + kind + " input): " + report);
    }
  }

  /**
   * Submits {@code jobs/lowrank ARGS --master URL} with an event log, and when the log shows the job of the
   * solver's second iteration starting, kills worker 1's executor JVM (SIGKILL, by pid); waits for the run.
   */
  private static LossRun runKillingAnExecutor(String name, String submitOpts, String... args) throws Exception {
    Path events = IT.resolve("events/" + name);
    long t0 = System.nanoTime();
    Process p = cluster.submit(name, EventLog.submitOptions(events) + " --conf spark.ui.enabled=false " + submitOpts,
        args);
    String killedDuring = null;
    long killedPid = -1;
    long deadline = System.nanoTime() + 240_000_000_000L;
    while (killedDuring == null && p.isAlive() && System.nanoTime() < deadline) {
      for (JsonNode job : EventLog.ofType(EventLog.read(events), "SparkListenerJobStart")) {
        String description = EventLog.jobProperty(job, "spark.job.description");
        if (description.contains(" iter 2: ")) {
          List<ProcessHandle> executors = cluster.executors(1);
          assertFalse(executors.isEmpty(), "worker 1 runs no executor");
          killedPid = executors.get(0).pid();
          executors.get(0).destroyForcibly();
          killedDuring = description;
          break;
        }
      }
      Thread.sleep(50);
    }
    assertTrue(killedDuring != null, "the run ended before its second iteration; log:\n"
        + StandaloneCluster.tail(cluster.log(name), 40));
    cluster.await(p, name, 240);
    return new LossRun(name, killedPid, killedDuring, (System.nanoTime() - t0) / 1e9, EventLog.read(events));
  }

  /**
   * Every job is in the solver's job group and has a description; every solver pass is described by iteration and
   * pass kind (what the Spark UI and the history server show).
   */
  private static void assertPassesAreNamedJobs(List<JsonNode> log) {
    int passes = 0;
    for (JsonNode job : EventLog.ofType(log, "SparkListenerJobStart")) {
      String description = EventLog.jobProperty(job, "spark.job.description");
      assertEquals(SOLVER, EventLog.jobProperty(job, "spark.jobGroup.id"), "job group of '" + description + "'");
      assertFalse(description.isEmpty(), "a job without a description");
      if (description.endsWith(" pass")) {
        passes++;
        assertTrue(PASS_DESCRIPTION.matcher(description).matches(), description);
      }
    }
    assertTrue(passes > 5, "only " + passes + " solver passes in the event log");
  }

  private static String readHdfs(FileSystem fs, String path) throws IOException {
    try (var in = fs.open(new org.apache.hadoop.fs.Path(path))) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private static double[] doubles(String text) {
    return text.lines().map(String::trim).filter(s -> !s.isEmpty()).mapToDouble(Double::parseDouble).toArray();
  }

  private static void assertClose(double[] expected, double[] actual) {
    assertEquals(expected.length, actual.length);
    double diff = 0;
    double norm = 0;
    for (int i = 0; i < expected.length; i++) {
      diff += (expected[i] - actual[i]) * (expected[i] - actual[i]);
      norm += expected[i] * expected[i];
    }
    assertTrue(Math.sqrt(diff) <= 1e-10 * Math.sqrt(norm),
        "estimates differ: relative " + Math.sqrt(diff / norm));
  }

  private static String[] concat(String[] a, String... b) {
    String[] r = new String[a.length + b.length];
    System.arraycopy(a, 0, r, 0, a.length);
    System.arraycopy(b, 0, r, a.length, b.length);
    return r;
  }
}
