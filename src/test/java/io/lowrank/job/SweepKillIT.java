package io.lowrank.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lowrank.SparkTestSession;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.commons.io.FileUtils;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

/**
 * A sweep survives the loss of its driver: a sweep of 200 cells × 10 trials runs in a child JVM (the application
 * jar and Maven's class path, as jobs/lowrank runs it; master local[2], the Spark UI off so that no port is bound), is
 * killed with SIGKILL after a random number of committed parts, and is rerun into the same --out. Its results
 * must equal those of an uninterrupted run row for row (no row lost, none duplicated), and its Parquet parts must
 * hold each (cell, trial) exactly once. Runs in {@code mvn verify} (failsafe, after package).
 */
class SweepKillIT {
  private static final Path HOME = Paths.get(System.getProperty("lowrank.home", "")).toAbsolutePath();
  private static final Path IT = HOME.resolve("target/sweep-kill-it");

  /** 50 ratios × 4 solvers = 200 cells, 10 trials each, 2 task groups (8 cells) per part: 25 parts. */
  private static final String SPEC = """
      name = kill-test
      family = phase-retrieval
      seed = 11
      trials = 10
      batch = 2
      progress-interval = 1
      fixed { d = 6, max-iter = 40, tol = 1e-13 }
      grid {
        ratio = { from = 3, to = 7.9, points = 50 }
        solver = [bwgd, smoothing-newton, amplitude-flow, wirtinger-flow]
      }
      derived { n = "round(ratio * d)" }
      metrics = [status, iterations, distance, success]
      """;

  private static Process start(Path spec, Path out, Path log) throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(List.of(Files.readString(HOME.resolve("target/jvm-flags.txt")).trim().split("\\s+")));
    cmd.addAll(List.of("-Xmx1g", "-Dspark.ui.enabled=false", "-Djava.awt.headless=true",
        "-Dlowrank.home=" + HOME, "-Dlog4j2.configurationFile=" + HOME.resolve("conf/log4j2.properties"),
        "-cp", HOME.resolve("target/lowrank-spark.jar") + File.pathSeparator
            + Files.readString(HOME.resolve("target/classpath.txt")).trim(),
        "io.lowrank.job.Main", "sweep", spec.toString(), "--out", out.toString(), "--master", "local[2]"));
    return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(
        log.toFile())).start();
  }

  private static int finish(Process p) throws InterruptedException {
    assertTrue(p.waitFor(15, TimeUnit.MINUTES), "the sweep did not finish in 15 minutes");
    return p.exitValue();
  }

  private static long parts(Path out) throws IOException {
    Path dir = out.resolve("results");
    if (!Files.isDirectory(dir)) {
      return 0;
    }
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> p.getFileName().toString().matches("part-\\d+-[0-9a-f]{8}\\.parquet")).count();
    }
  }

  @Test
  void aSweepKilledWithSigkillResumesWithoutLosingOrDuplicatingARow() throws Exception {
    FileUtils.deleteDirectory(IT.toFile());
    Files.createDirectories(IT);
    Path spec = IT.resolve("kill-test.conf");
    Files.writeString(spec, SPEC);
    Path log = IT.resolve("sweeps.log");

    Path whole = IT.resolve("uninterrupted");
    long t0 = System.nanoTime();
    assertEquals(0, finish(start(spec, whole, log)), () -> read(log));
    System.out.printf("SweepKillIT: uninterrupted run of 200 cells x 10 trials in %.1f s%n",
        (System.nanoTime() - t0) / 1e9);
    assertEquals(25, parts(whole));

    long seed = System.nanoTime();
    int killAfter = 1 + new Random(seed).nextInt(20); // parts committed before the kill: 1..20 of 25
    Path killed = IT.resolve("killed");
    Process p = start(spec, killed, log);
    while (parts(killed) < killAfter && p.isAlive()) {
      Thread.sleep(20);
    }
    assertTrue(p.isAlive(), "the sweep ended before the kill");
    Thread.sleep(new Random(seed + 1).nextInt(300)); // somewhere inside the next batch (or its part write)
    p.destroyForcibly(); // SIGKILL: no shutdown hook, no finally
    p.waitFor();
    long partsAtKill = parts(killed);
    long rowsAtKill = Files.exists(killed.resolve("results.csv"))
        ? Files.readAllLines(killed.resolve("results.csv")).size() - 1 : 0;
    System.out.printf("SweepKillIT: SIGKILL (exit %d) after %d parts (asked %d, seed %d); results.csv had %d rows%n",
        p.exitValue(), partsAtKill, killAfter, seed, rowsAtKill);
    assertTrue(partsAtKill >= killAfter && partsAtKill < 25, "killed mid-sweep: " + partsAtKill + " parts");

    assertEquals(0, finish(start(spec, killed, log)), () -> read(log));
    List<String> expected = Files.readAllLines(whole.resolve("results.csv"));
    List<String> actual = Files.readAllLines(killed.resolve("results.csv"));
    assertEquals(1 + 2000, expected.size());
    assertEquals(expected, actual, "results.csv after the kill and rerun");

    // The parts themselves: 2000 rows, each (cell, trial) once.
    Dataset<Row> rows = SparkTestSession.get().read().parquet(killed.resolve("results").toString());
    assertEquals(2000, rows.count());
    assertEquals(2000, rows.select("cell_id", "trial").distinct().count());
    assertEquals(rows.drop("seed").except(SparkTestSession.get().read()
        .parquet(whole.resolve("results").toString()).drop("seed")).count(), 0);
    System.out.printf("SweepKillIT: rerun completed; 2000 rows, 0 lost, 0 duplicated, %d parts%n", parts(killed));
  }

  private static String read(Path log) {
    try {
      return Files.readString(log, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return e.toString();
    }
  }
}
