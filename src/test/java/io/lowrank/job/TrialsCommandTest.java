package io.lowrank.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lowrank.SparkTestSession;
import io.lowrank.experiment.PhaseRetrievalTrials;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;

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

  /**
   * A linearly convergent baseline run to the same tolerance as the success threshold would be stopped by its
   * relative-step test at a few times the threshold and never count; trials stop the solvers at trials.tol instead.
   */
  @Test
  void aLinearlyConvergentBaselineCanSucceed() throws IOException {
    Path out = tmp.resolve("af");
    assertEquals(Main.OK, Main.run("trials", "--d", "10", "--ratios", "8", "--trials", "3", "--solver",
        "amplitude-flow", "--max-iter", "2000", "--seed", "5", "--out", out.toString()));
    List<String> runs = Files.readAllLines(out.resolve("runs.csv"));
    assertEquals(4, runs.size());
    for (String row : runs.subList(1, runs.size())) {
      String[] f = row.split(",", -1);
      assertTrue(Double.parseDouble(f[7]) < 1e-10, row);
      int iterations = Integer.parseInt(f[6]);
      assertTrue(iterations > 10 && iterations < 2000, "iterations to success: " + row);
    }
    assertEquals("amplitude-flow,8.0,10,3,3", Files.readAllLines(out.resolve("trials.csv")).get(1)
        .substring(0, "amplitude-flow,8.0,10,3,3".length()));
  }

  @Test
  void successPlotShowsTheTablesRates() throws IOException {
    Path out = run("plot");
    BufferedImage png = ImageIO.read(out.resolve("success.png").toFile());
    assertEquals(io.lowrank.report.Charts.WIDTH, png.getWidth());
    assertEquals(io.lowrank.report.Charts.HEIGHT, png.getHeight());
    List<PhaseRetrievalTrials.Cell> cells = Files.readAllLines(out.resolve("trials.csv")).stream().skip(1)
        .map(l -> l.split(",", -1))
        .map(f -> new PhaseRetrievalTrials.Cell(f[0], Double.parseDouble(f[1]), Integer.parseInt(f[2]),
            Integer.parseInt(f[3]), Integer.parseInt(f[4]), f[5]))
        .toList();
    XYChart chart = PhaseRetrievalTrials.successChart(cells, 1e-10);
    assertEquals(2, chart.getSeriesMap().size());
    assertTrue(chart.getTitle().contains("d = 10, 3 trials per point"), chart.getTitle());
    for (PhaseRetrievalTrials.Cell c : cells) {
      XYSeries line = chart.getSeriesMap().get(c.solver());
      int k = c.ratio() == 3.0 ? 0 : 1;
      assertEquals(c.ratio(), line.getXData()[k]);
      assertEquals((double) c.successes() / 3, line.getYData()[k], 1e-15, c.csv());
    }
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
  void aSweepDoesNotResumeWithOtherSettings() throws IOException {
    Path out = run("settings", 2);
    List<String> before = Files.readAllLines(out.resolve("runs.csv"));
    CliRun r = CliRun.run("trials", "--d", "10", "--ratios", "3,6", "--trials", "3", "--seed", "5", "--max-iter", "5",
        "--out", out.toString());
    assertEquals(Main.BAD_INPUT, r.code());
    assertTrue(r.err().contains("was run with phase-retrieval.max-iter = 100, this run has phase-retrieval.max-iter = 5"), r.err());
    r = CliRun.run("trials", "--d", "10", "--ratios", "3,6", "--trials", "3", "--seed", "5", "--set",
        "phase-retrieval.smoothing.gamma=0.5", "--out", out.toString());
    assertEquals(Main.BAD_INPUT, r.code());
    assertTrue(r.err().contains("phase-retrieval.smoothing.gamma = 0.8, this run has phase-retrieval.smoothing.gamma = 0.5"), r.err());
    assertEquals(before, Files.readAllLines(out.resolve("runs.csv")));
    // A sweep without smoothing-newton does not depend on its schedule: it resumes.
    Path bwgd = tmp.resolve("bwgd-only");
    assertEquals(Main.OK, Main.run("trials", "--d", "10", "--ratios", "3", "--trials", "2", "--solver", "bwgd",
        "--seed", "5", "--out", bwgd.toString()));
    assertEquals(Main.OK, Main.run("trials", "--d", "10", "--ratios", "3", "--trials", "3", "--solver", "bwgd",
        "--seed", "5", "--schedule", "quantile", "--out", bwgd.toString()));
    assertEquals(1 + 3, Files.readAllLines(bwgd.resolve("runs.csv")).size());
  }

  /** The schedule and Hessian of a comparison are smoothing Newton's: BWGD (μ = 0) runs as without them. */
  @Test
  void scheduleAndHessianApplyToSmoothingNewtonOnly() throws IOException {
    Path plain = run("plain");
    Path other = tmp.resolve("quantile-full");
    assertEquals(Main.OK, Main.run("trials", "--d", "10", "--ratios", "3,6", "--trials", "3", "--seed", "5",
        "--schedule", "quantile", "--hessian", "full", "--out", other.toString()));
    List<String> bwgd = runsWithoutTimes(plain).stream().filter(l -> l.startsWith("bwgd,")).toList();
    assertEquals(6, bwgd.size());
    assertEquals(bwgd, runsWithoutTimes(other).stream().filter(l -> l.startsWith("bwgd,")).toList());
    assertTrue(!runsWithoutTimes(plain).equals(runsWithoutTimes(other)), "smoothing-newton rows follow the settings");
  }

  @Test
  void instancesAreDistinctAcrossSeedsSizesAndTrials() {
    Set<Long> seeds = new HashSet<>();
    int count = 0;
    for (long seed = 0; seed < 4; seed++) {
      for (int d : new int[] {10, 20, 100}) {
        for (long n : new long[] {30, 60, 120, 300, 600}) {
          for (int trial = 0; trial < 64; trial++) {
            seeds.add(PhaseRetrievalTrials.instanceSeed(seed, d, n, trial));
            count++;
          }
        }
      }
    }
    // seed·31 + n·1000003 + trial (the earlier derivation) maps seed s, trial t + 31 and seed s + 1, trial t together.
    assertEquals(count, seeds.size());
  }

  @Test
  void badSweepSettingsExitTwo() {
    Path out = tmp.resolve("bad");
    assertEquals(Main.BAD_INPUT, Main.run("trials", "--ratios", "3,x", "--out", out.toString()));
    assertEquals(Main.BAD_INPUT, Main.run("trials", "--ratios", "0.5", "--out", out.toString()));
    assertEquals(Main.BAD_INPUT, Main.run("trials", "--solver", "bwgd,nope", "--out", out.toString()));
    assertEquals(Main.BAD_INPUT, Main.run("trials", "--solver", "mllib-lbfgs", "--out", out.toString()));
    assertEquals(Main.BAD_INPUT, Main.run("trials", "--trials", "0", "--out", out.toString()));
    assertTrue(Files.notExists(out));
  }
}
