package io.lowrank.cluster;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A standalone Spark cluster on loopback, driven through the project's own scripts ({@code jobs/cluster},
 * {@code jobs/lowrank}), with its state in a directory of its own under target/. {@link #close()} stops it and
 * every driver it submitted; a JVM shutdown hook does the same if the test JVM dies first.
 */
final class StandaloneCluster implements AutoCloseable {
  static final Path HOME = Paths.get(System.getProperty("lowrank.home", "")).toAbsolutePath();

  final Path dir;
  final String masterUrl;
  final double startSeconds;
  private final List<Process> drivers = new ArrayList<>();
  private final Thread hook;
  private boolean closed;

  private StandaloneCluster(Path dir, String masterUrl, double startSeconds) {
    this.dir = dir;
    this.masterUrl = masterUrl;
    this.startSeconds = startSeconds;
    this.hook = new Thread(this::stopQuietly);
    Runtime.getRuntime().addShutdownHook(hook);
  }

  /** {@code jobs/cluster start} with its state in {@code dir}; fails with the script's output if it fails. */
  static StandaloneCluster start(Path dir, int workers) throws IOException, InterruptedException {
    Files.createDirectories(dir);
    long t0 = System.nanoTime();
    ProcessBuilder pb = new ProcessBuilder(HOME.resolve("jobs/cluster").toString(), "start")
        .redirectOutput(dir.resolve("start.out").toFile())
        .redirectError(dir.resolve("start.err").toFile());
    env(pb, dir).put("LOWRANK_WORKERS", Integer.toString(workers));
    Process p = pb.start();
    boolean done = p.waitFor(150, TimeUnit.SECONDS);
    if (!done || p.exitValue() != 0) {
      p.destroyForcibly();
      stop(dir);
      throw new IllegalStateException("jobs/cluster start failed: " + read(dir.resolve("start.err")));
    }
    List<String> lines = Files.readAllLines(dir.resolve("start.out"));
    String url = lines.isEmpty() ? "" : lines.get(lines.size() - 1).trim();
    if (!url.startsWith("spark://127.0.0.1:")) {
      stop(dir);
      throw new IllegalStateException("jobs/cluster start printed no master URL: " + lines);
    }
    return new StandaloneCluster(dir, url, (System.nanoTime() - t0) / 1e9);
  }

  private static Map<String, String> env(ProcessBuilder pb, Path dir) {
    Map<String, String> env = pb.environment();
    env.put("LOWRANK_CLUSTER_DIR", dir.toString());
    env.put("LOWRANK_NO_BUILD", "1");
    return env;
  }

  /**
   * Starts {@code jobs/lowrank ARGS --master URL} (a SparkSubmit driver) with extra spark-submit options; output
   * goes to {@code dir/NAME.log}.
   */
  synchronized Process submit(String name, String submitOpts, String... args) throws IOException {
    List<String> cmd = new ArrayList<>(List.of(args));
    cmd.add("--master");
    cmd.add(masterUrl);
    return launch(name, submitOpts, cmd);
  }

  /** Starts {@code jobs/lowrank ARGS} as given (e.g. with the master in {@code --set}); output to {@code dir/NAME.log}. */
  synchronized Process launch(String name, String submitOpts, List<String> args) throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(HOME.resolve("jobs/lowrank").toString());
    cmd.addAll(args);
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log(name).toFile());
    env(pb, dir).put("LOWRANK_SUBMIT_OPTS", submitOpts);
    pb.environment().put("JAVA_OPTS", "-Xmx1g");
    Process p = pb.start();
    drivers.add(p);
    return p;
  }

  Path log(String name) {
    return dir.resolve(name + ".log");
  }

  /** Waits for a driver; on a non-zero exit or a timeout, fails with the tail of its log. */
  void await(Process p, String name, int seconds) throws IOException, InterruptedException {
    if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
      destroyTree(p.toHandle());
      throw new AssertionError(name + " did not finish in " + seconds + " s; log tail:\n" + tail(log(name), 40));
    }
    if (p.exitValue() != 0) {
      throw new AssertionError(name + " exited " + p.exitValue() + "; log tail:\n" + tail(log(name), 40));
    }
  }

  /** The pid of worker {@code i} (1-based) as jobs/cluster recorded it. */
  long workerPid(int i) throws IOException {
    return Long.parseLong(read(dir.resolve("worker-" + i + ".pid")).trim());
  }

  /** The executor JVMs (CoarseGrainedExecutorBackend) that worker {@code i} launched and that are alive. */
  List<ProcessHandle> executors(int worker) throws IOException {
    List<ProcessHandle> result = new ArrayList<>();
    ProcessHandle.of(workerPid(worker)).ifPresent(w -> w.descendants()
        .filter(ph -> ph.info().commandLine().orElse("").contains("CoarseGrainedExecutorBackend"))
        .forEach(result::add));
    return result;
  }

  static void destroyTree(ProcessHandle p) {
    p.descendants().forEach(ProcessHandle::destroyForcibly);
    p.destroyForcibly();
  }

  @Override
  public synchronized void close() throws IOException, InterruptedException {
    if (closed) {
      return;
    }
    closed = true;
    for (Process p : drivers) {
      if (p.isAlive()) {
        destroyTree(p.toHandle());
      }
    }
    stop(dir);
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException shuttingDown) {
      // the hook is running
    }
  }

  private void stopQuietly() {
    try {
      close();
    } catch (Exception e) {
      // best effort at JVM exit
    }
  }

  /** {@code jobs/cluster stop}: ends the workers, their executors and the master. */
  static void stop(Path dir) throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder(HOME.resolve("jobs/cluster").toString(), "stop")
        .redirectErrorStream(true).redirectOutput(dir.resolve("stop.out").toFile());
    env(pb, dir);
    Process p = pb.start();
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
    }
  }

  static String read(Path p) throws IOException {
    return Files.exists(p) ? Files.readString(p, StandardCharsets.UTF_8) : "";
  }

  static String tail(Path p, int lines) throws IOException {
    if (!Files.exists(p)) {
      return "(no " + p + ")";
    }
    List<String> all = Files.readAllLines(p, StandardCharsets.UTF_8);
    return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
  }
}
