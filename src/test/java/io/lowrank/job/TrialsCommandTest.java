package io.lowrank.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lowrank.SparkTestSession;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The trials command: documented columns, determinism for a fixed seed, and resuming a sweep. */
class TrialsCommandTest {
  @TempDir
  Path tmp;

  @BeforeAll
  static void sharedSpark() {
    SparkTestSession.get();
  }

  private Path run(String dir) {
    return run(dir, 3);
  }

  private Path run(String dir, int trials) {
    Path out = tmp.resolve(dir);
    assertEquals(Main.OK, Main.run("trials", "--d", "10", "--ratios", "3,6", "--trials", Integer.toString(trials),
        "--seed", "5", "--out", out.toString()));
    return out;
  }

  /** runs.csv without the seconds column (timings differ between runs). */
  private static List<String> runsWithoutTimes(Path out) throws IOException {
    return Files.readAllLines(out.resolve("runs.csv")).stream().map(l -> l.substring(0, l.lastIndexOf(','))).toList();
  }

  @Test
  void tableHasTheDocumentedColumnsAndIsDeterministic() throws IOException {
    Path a = run("a");
    Path b = run("b");
    List<String> table = Files.readAllLines(a.resolve("trials.csv"));
    assertEquals("solver,ratio,d,trials,successes,median_iterations", table.get(0));
    assertEquals(1 + 2 * 2, table.size(), "one row per solver and ratio");
    for (String row : table.subList(1, table.size())) {
      String[] f = row.split(",", -1);
      assertEquals(6, f.length, row);
      assertTrue(f[0].equals("bwgd") || f[0].equals("smoothing-newton"), row);
      assertEquals("10", f[2]);
      assertEquals("3", f[3]);
      int successes = Integer.parseInt(f[4]);
      assertTrue(successes >= 0 && successes <= 3);
      assertEquals(successes == 0, f[5].isEmpty(), "median iterations only over successes: " + row);
    }
    assertEquals(table, Files.readAllLines(b.resolve("trials.csv")));
    assertEquals(runsWithoutTimes(a), runsWithoutTimes(b));
    assertEquals(1 + 2 * 2 * 3, Files.readAllLines(a.resolve("runs.csv")).size());
  }

  @Test
  void aSweepResumesAndGivesWhatAFreshRunGives() throws IOException {
    Path resumed = run("resumed", 2);
    assertEquals(1 + 2 * 2 * 2, Files.readAllLines(resumed.resolve("runs.csv")).size());
    run("resumed"); // 3 trials: only trial 2 of each ratio is new
    Path fresh = run("fresh");
    assertEquals(runsWithoutTimes(fresh), runsWithoutTimes(resumed));
    assertEquals(Files.readAllLines(fresh.resolve("trials.csv")), Files.readAllLines(resumed.resolve("trials.csv")));
  }

  @Test
  void badSweepSettingsExitTwo() {
    Path out = tmp.resolve("bad");
    assertEquals(Main.BAD_INPUT, Main.run("trials", "--ratios", "3,x", "--out", out.toString()));
    assertEquals(Main.BAD_INPUT, Main.run("trials", "--ratios", "0.5", "--out", out.toString()));
    assertEquals(Main.BAD_INPUT, Main.run("trials", "--solvers", "bwgd,nope", "--out", out.toString()));
    assertEquals(Main.BAD_INPUT, Main.run("trials", "--solvers", "mllib-lbfgs", "--out", out.toString()));
    assertEquals(Main.BAD_INPUT, Main.run("trials", "--trials", "0", "--out", out.toString()));
    assertTrue(Files.notExists(out));
  }
}
