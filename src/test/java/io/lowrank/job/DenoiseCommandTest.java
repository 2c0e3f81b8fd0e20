package io.lowrank.job;

import static io.lowrank.job.CliRun.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lowrank.SparkTestSession;
import io.lowrank.data.Block;
import io.lowrank.data.SpikedMatrix;
import io.lowrank.experiment.DenoisingSweeps;
import io.lowrank.run.ConfigValues;
import io.lowrank.run.DenoisingRun;
import io.lowrank.run.DenoisingSettings;
import io.lowrank.solve.denoise.SphericalGradientDescent;
import io.lowrank.theory.RankOneDenoisingTheory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** End-to-end tests of {@code lowrank denoise} through {@link Main#run}. */
class DenoiseCommandTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path tmp;

  @BeforeAll
  static void sharedSpark() {
    SparkTestSession.get();
  }



  @Test
  void theoryOnlyNeedsNoData() throws Exception {
    Path out = tmp.resolve("theory");
    CliRun r = run("denoise", "--theory-only", "--c", "2.5", "--theta", "1.4", "--max-iter", "40", "--out", out.toString());
    assertEquals(0, r.code(), r.err());
    List<String> lines = Files.readAllLines(out.resolve("overlaps.csv"));
    assertEquals(io.lowrank.report.DenoisingReports.OVERLAPS_HEADER, lines.get(0));
    assertEquals(42, lines.size());
    assertTrue(lines.get(1).startsWith("0.0,,,,0.3"), lines.get(1));
    assertTrue(Files.size(out.resolve("overlaps.png")) > 1000);
    JsonNode s = JSON.readTree(out.resolve("summary.json").toFile());
    assertEquals(2.5, s.get("c").asDouble());
  }

  @Test
  void generatedRunWritesAllOutputs() throws Exception {
    Path out = tmp.resolve("run");
    CliRun r = run("denoise", "--n", "150", "--d", "300", "--theta", "1.5", "--eta", "0.1", "--max-iter", "20",
        "--partitions", "2", "--out", out.toString());
    assertEquals(0, r.code(), r.err());
    for (String f : List.of("summary.json", "trace.csv", "estimate-x.csv", "estimate-y.csv", "overlaps.csv",
        "overlaps.png", "config.conf", "report.html")) {
      assertTrue(Files.exists(out.resolve(f)), f);
    }
    assertEquals(150, Files.readAllLines(out.resolve("estimate-x.csv")).size());
    assertEquals(300, Files.readAllLines(out.resolve("estimate-y.csv")).size());
    List<String> overlaps = Files.readAllLines(out.resolve("overlaps.csv"));
    assertEquals(22, overlaps.size());
    assertFalse(String.join("\n", overlaps).contains("NaN"));
    JsonNode s = JSON.readTree(out.resolve("summary.json").toFile());
    assertEquals(21, s.get("passes").asInt());
    assertTrue(s.get("max_deviation_u").asDouble() < 0.2);
  }

  @Test
  void sweepsWriteCsvAndPng() throws Exception {
    Path out = tmp.resolve("sweep");
    CliRun r = run("denoise", "--sweep", "both", "--n", "100", "--d", "200", "--eta", "0.2", "--max-iter", "40",
        "--set", "denoise.sweep-points=3", "--mv0", "0.4", "--out", out.toString());
    assertEquals(0, r.code(), r.err());
    assertEquals(4, Files.readAllLines(out.resolve("sweep-theta.csv")).size());
    assertEquals(4, Files.readAllLines(out.resolve("sweep-ratio.csv")).size());
    assertTrue(Files.size(out.resolve("sweep-theta.png")) > 1000);
    assertTrue(Files.size(out.resolve("sweep-ratio.png")) > 1000);
    for (String sweep : List.of("theta", "ratio")) { // each a sweep of the engine, with its own views
      for (String f : List.of("results.csv", "cells.csv", "spec.conf", "sweep.json", "report.html")) {
        assertTrue(Files.exists(out.resolve(sweep).resolve(f)), sweep + "/" + f);
      }
      assertEquals(4, Files.readAllLines(out.resolve(sweep).resolve("results.csv")).size());
    }
  }

  /**
   * The alias reproduces the old runner: every θ point a run of {@link DenoisingRun#run} at that θ, every ratio point
   * a run from m_u0 = ratio · m_v0 on the one matrix of the run's seed (the old loop's {@code DenoisingRun.paths}
   * solved them all on that matrix, cached once; a run per point generates the same matrix from the same seed). The
   * simulated overlaps agree to 1e-12: the same arithmetic but the summation order over blocks (the sweep's points
   * run in one task on the in-process engine, the reference on Spark over 2 partitions; 30 normalised steps do not
   * amplify rounding noticeably, as in {@link #readsAMatrixFromCsvRows}). Grid values, starts, signs and the theory
   * (the same formulas at the same t, m_u0, m_v0) are equal exactly. The tables of the old runner on a 100 × 200 grid
   * were also equal to the alias's bit for bit (checked once against commit 6e77317).
   */
  @Test
  void sweepTablesEqualTheOldRunnersRuns() throws Exception {
    Path out = tmp.resolve("sweep-same");
    String[] args = {"denoise", "--sweep", "both", "--n", "60", "--d", "120", "--eta", "0.2", "--max-iter", "30",
        "--seed", "5", "--partitions", "2", "--mv0", "0.4", "--set", "denoise.sweep-points=3",
        "--set", "denoise.sweep-theta-from=0.6", "--set", "denoise.sweep-theta-to=1.8", "--out", out.toString()};
    CliRun r = run(args);
    assertEquals(0, r.code(), r.err());
    SparkSession spark = SparkTestSession.get();
    DenoisingSettings s = DenoisingSettings.of(ConfigValues.reference().with("denoise.N", 60).with("denoise.M", 120)
        .with("denoise.eta", 0.2).with("denoise.steps", 30).with("denoise.mv0", 0.4).with("seed", 5L)
        .with("partitions", 2));
    RankOneDenoisingTheory theory = RankOneDenoisingTheory.of(0.5, s.theta());

    List<String> theta = Files.readAllLines(out.resolve("sweep-theta.csv"));
    assertEquals(DenoisingSweeps.THETA_HEADER, theta.get(0));
    double[] thetas = spaced(0.6, 1.8, 3); // 0.6, 1.2000000000000002, 1.8
    assertEquals(thetas.length + 1, theta.size());
    for (int i = 0; i < thetas.length; i++) {
      DenoisingRun.Outcome o = DenoisingRun.run(spark, s.with("theta", thetas[i]));
      int last = o.path().size() - 1;
      RankOneDenoisingTheory.Point q = o.theory().predict(o.path().t()[last], s.mu0(), s.mv0());
      double[] lim = o.theory().limit(s.mu0(), s.mv0());
      assertRow(theta.get(i + 1), new double[] {thetas[i], o.path().overlapU()[last], o.path().overlapV()[last],
          q.overlapU(), q.overlapV(), lim[0], lim[1]}, 1, 2);
    }

    List<String> ratio = Files.readAllLines(out.resolve("sweep-ratio.csv"));
    assertEquals(DenoisingSweeps.RATIO_HEADER, ratio.get(0));
    double[] ratios = spaced(-1.5, 0, 3);
    assertEquals(ratios.length + 1, ratio.size());
    for (int i = 0; i < ratios.length; i++) {
      double mu0 = ratios[i] * 0.4;
      SphericalGradientDescent.Run run = DenoisingRun.run(spark, s.with("mu0", mu0)).path();
      int last = run.size() - 1;
      RankOneDenoisingTheory.Point q = theory.predict(run.t()[last], mu0, 0.4);
      assertRow(ratio.get(i + 1), new double[] {ratios[i], mu0, 0.4, run.overlapU()[last], run.overlapV()[last],
          Math.signum(run.overlapU()[last]), q.overlapU(), q.overlapV(), Math.signum(theory.limit(mu0, 0.4)[0])},
          3, 4);
    }

    // A rerun into the same --out resumes: nothing runs again, the tables stay; one mode alone reuses its sweep.
    r = run(args);
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("0 cells and 0 trials run now"), r.out());
    assertEquals(theta, Files.readAllLines(out.resolve("sweep-theta.csv")));
    args[2] = "ratio";
    r = run(args);
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("sweep denoise-ratio (denoise): 3 cells x 1 trials; 3 rows (0 failed), 0 cells"),
        r.out());
    assertEquals(ratio, Files.readAllLines(out.resolve("sweep-ratio.csv")));
    // More points that keep the three already run: only the two new ones run (spacing 1/4 hits the old 1/2).
    args[2] = "both";
    args[18] = "denoise.sweep-points=5";
    r = run(args);
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("5 cells x 1 trials; 5 rows (0 failed), 2 cells and 2 trials run now"), r.out());
    List<String> grown = Files.readAllLines(out.resolve("sweep-theta.csv"));
    assertEquals(6, grown.size());
    assertEquals(theta.get(2), grown.get(3));
    // Other settings into the same --out: refused, naming the key (the sweep keeps its rows).
    args[4] = "80";
    r = run(args);
    assertEquals(Main.BAD_INPUT, r.code());
    assertEquals(1, r.err().strip().lines().count(), r.err());
    assertTrue(r.err().contains("was run with denoise.N = 60, this run has denoise.N = 80"), r.err());
  }

  /** The old loop's points: from + (to − from)·i/(points − 1). */
  private static double[] spaced(double from, double to, int points) {
    double[] v = new double[points];
    for (int i = 0; i < points; i++) {
      v[i] = from + (to - from) * i / (points - 1);
    }
    return v;
  }

  /** Columns {@code simulated} of a sweep row agree to 1e-12 (summation order), the others exactly. */
  private static void assertRow(String line, double[] expected, int... simulated) {
    String[] cells = line.split(",", -1);
    assertEquals(expected.length, cells.length, line);
    for (int j = 0; j < cells.length; j++) {
      int col = j;
      double tol = java.util.Arrays.stream(simulated).anyMatch(k -> k == col) ? 1e-12 : 0;
      assertEquals(expected[j], Double.parseDouble(cells[j]), tol, line + ", column " + j);
    }
  }

  @Test
  void badSweepSettingsExitTwoBeforeAnythingIsWritten() {
    Path out = tmp.resolve("sweep-bad");
    CliRun r = run("denoise", "--sweep", "ratio", "--mv0", "0", "--out", out.toString());
    assertEquals(Main.BAD_INPUT, r.code());
    assertTrue(r.err().contains("denoise.mv0 must be non-zero for sweep = ratio"), r.err());
    r = run("denoise", "--sweep", "both", "--mv0", "0.9", "--out", out.toString());
    assertEquals(Main.BAD_INPUT, r.code());
    assertTrue(r.err().contains("sweep ratio -1.5 gives m_u0 = -1.35 outside [-1, 1]"), r.err());
    r = run("denoise", "--sweep", "theta", "--set", "denoise.sweep-theta-from=0", "--out", out.toString());
    assertEquals(Main.BAD_INPUT, r.code());
    assertTrue(r.err().contains("denoise.sweep-theta-from"), r.err());
    assertEquals(1, r.err().strip().lines().count(), r.err());
    assertFalse(Files.exists(out));
  }

  @Test
  void readsAMatrixFromCsvRows() throws Exception {
    SpikedMatrix inst = new SpikedMatrix(40, 60, 2.0, 3L, 16);
    List<String> lines = new ArrayList<>();
    StringBuilder header = new StringBuilder("i");
    for (int j = 0; j < 60; j++) {
      header.append(",c").append(j);
    }
    lines.add(header.toString());
    for (Block b : inst.blocks()) {
      for (int i = b.rows - 1; i >= 0; i--) { // rows out of order: the i column places them
        StringBuilder sb = new StringBuilder(Integer.toString((int) b.y[i]));
        for (int j = 0; j < 60; j++) {
          sb.append(',').append(b.a(i, j));
        }
        lines.add(sb.toString());
      }
    }
    Path csv = tmp.resolve("y.csv");
    Files.write(csv, lines);
    Path out = tmp.resolve("input");
    CliRun r = run("denoise", "--input", csv.toString(), "--eta", "0.25", "--max-iter", "40", "--out", out.toString());
    assertEquals(0, r.code(), r.err());
    JsonNode s = JSON.readTree(out.resolve("summary.json").toFile());
    assertEquals(40, s.get("N").asInt());
    assertEquals(60, s.get("M").asInt());
    // Top singular value of a strong spike: about sqrt(zeta).
    assertTrue(s.get("final_mu").asDouble() > 2.0, s.toString());

    // μ does not see a row permutation; the overlaps with the spikes do: the rows must be where i says.
    Path u = tmp.resolve("y.u");
    Path v = tmp.resolve("y.v");
    Files.write(u, java.util.Arrays.stream(inst.u()).mapToObj(Double::toString).toList());
    Files.write(v, java.util.Arrays.stream(inst.v()).mapToObj(Double::toString).toList());
    Path known = tmp.resolve("input-known");
    r = run("denoise", "--input", csv.toString(), "--truth-u", u.toString(), "--truth-v", v.toString(), "--theta", "2",
        "--seed", "3", "--eta", "0.25", "--max-iter", "40", "--out", known.toString());
    assertEquals(0, r.code(), r.err());
    Path generated = tmp.resolve("generated-16");
    r = run("denoise", "--n", "40", "--d", "60", "--theta", "2", "--seed", "3", "--set", "denoise.block-rows=16",
        "--eta", "0.25", "--max-iter", "40", "--out", generated.toString());
    assertEquals(0, r.code(), r.err());
    assertSameOverlaps(generated, known, 3); // t, sim_u, sim_v
  }

  /**
   * The first {@code columns} columns of overlaps.csv agree to 1e-12 (the same run up to summation order over other
   * blocks), row by row; returns the rows of {@code actual}.
   */
  private static List<String> assertSameOverlaps(Path expected, Path actual, int columns) throws Exception {
    List<String> a = Files.readAllLines(actual.resolve("overlaps.csv"));
    List<String> b = Files.readAllLines(expected.resolve("overlaps.csv"));
    assertEquals(b.size(), a.size());
    for (int k = 1; k < a.size(); k++) {
      String[] x = a.get(k).split(",");
      String[] y = b.get(k).split(",");
      assertEquals(columns, Math.min(columns, x.length), a.get(k));
      for (int j = 0; j < columns; j++) {
        assertEquals(Double.parseDouble(y[j]), Double.parseDouble(x[j]), 1e-12, "row " + k + ", column " + j);
      }
    }
    return a;
  }

  @Test
  void optionsThatCannotApplyAreRefused() {
    Path out = tmp.resolve("refused");
    CliRun r = run("denoise", "--input", tmp.resolve("any.csv").toString(), "--sweep", "theta", "--out", out.toString());
    assertEquals(Main.BAD_INPUT, r.code());
    assertTrue(r.err().contains("runs on generated matrices only"), r.err());
    r = run("denoise", "--truth-u", "u.txt", "--truth-v", "v.txt", "--out", out.toString());
    assertEquals(Main.BAD_INPUT, r.code());
    assertTrue(r.err().contains("are the spikes of an --input matrix"), r.err());
    r = run("denoise", "--tol", "1e-6", "--out", out.toString());
    assertEquals(Main.BAD_INPUT, r.code());
    assertTrue(r.err().contains("Unknown options: '--tol'"), r.err());
    r = run("generate", "--kind", "spiked", "--noise", "0.1", "--out", tmp.resolve("g.parquet").toString());
    assertEquals(Main.BAD_INPUT, r.code());
    assertTrue(r.err().contains("--noise does not apply to --kind spiked"), r.err());
    r = run("generate", "--theta", "2", "--out", tmp.resolve("g.parquet").toString());
    assertEquals(Main.BAD_INPUT, r.code());
    assertTrue(r.err().contains("--theta does not apply to --kind phase-retrieval"), r.err());
    assertFalse(Files.exists(tmp.resolve("g.parquet")));
    assertFalse(Files.exists(out));
  }

  /**
   * generate --kind spiked, then denoise --input with the spikes: the same run as on the generated matrix (same
   * starts, overlaps and theory), in both formats, up to summation order over other blocks.
   */
  @ParameterizedTest
  @CsvSource({"y.parquet", "y.csv"})
  void aWrittenSpikedMatrixSolvesLikeTheGeneratedOne(String file) throws Exception {
    Path data = tmp.resolve(file);
    CliRun g = run("generate", "--kind", "spiked", "--n", "120", "--d", "200", "--theta", "1.8", "--seed", "9",
        "--partitions", "3", "--out", data.toString());
    assertEquals(0, g.code(), g.err());
    Path u = tmp.resolve("y.u");
    Path v = tmp.resolve("y.v");
    SpikedMatrix inst = new SpikedMatrix(120, 200, 1.8, 9L, 0);
    assertEquals(120, Files.readAllLines(u).size());
    assertEquals(Double.toString(inst.v()[7]), Files.readAllLines(v).get(7));

    Path fromFile = tmp.resolve("from-file-" + file);
    CliRun r = run("denoise", "--input", data.toString(), "--truth-u", u.toString(), "--truth-v", v.toString(),
        "--theta", "1.8", "--seed", "9", "--eta", "0.1", "--max-iter", "30", "--out", fromFile.toString());
    assertEquals(0, r.code(), r.err());
    Path generated = tmp.resolve("generated-" + file);
    r = run("denoise", "--n", "120", "--d", "200", "--theta", "1.8", "--seed", "9", "--eta", "0.1", "--max-iter", "30",
        "--out", generated.toString());
    assertEquals(0, r.code(), r.err());
    // All 7 columns, simulated and theory, filled and equal.
    assertEquals(31 + 1, assertSameOverlaps(generated, fromFile, 7).size());
  }

  @Test
  void spikesMustComeInPairsWithTheMatrixsLengthsAndUnitNorm() throws Exception {
    Path data = tmp.resolve("s.parquet");
    assertEquals(0, run("generate", "--kind", "spiked", "--n", "30", "--d", "40", "--out", data.toString()).code());
    Path u = tmp.resolve("s.u");
    Path v = tmp.resolve("s.v");
    Path out = tmp.resolve("bad-spikes");
    CliRun r = run("denoise", "--input", data.toString(), "--truth-u", u.toString(), "--out", out.toString());
    assertEquals(Main.BAD_INPUT, r.code());
    assertTrue(r.err().contains("denoise.truth-u and denoise.truth-v go together"), r.err());
    r = run("denoise", "--input", data.toString(), "--truth-u", v.toString(), "--truth-v", v.toString(),
        "--out", out.toString());
    assertEquals(Main.BAD_INPUT, r.code());
    assertTrue(r.err().contains("has 40 values, expected d = 30"), r.err());
    Path scaled = tmp.resolve("scaled.u");
    Files.write(scaled, Files.readAllLines(u).stream().map(x -> Double.toString(2 * Double.parseDouble(x))).toList());
    r = run("denoise", "--input", data.toString(), "--truth-u", scaled.toString(), "--truth-v", v.toString(),
        "--out", out.toString());
    assertEquals(Main.BAD_INPUT, r.code());
    assertTrue(r.err().contains("must be a unit vector, its norm is 2.0"), r.err());
    assertFalse(Files.exists(out));
    r = run("generate", "--kind", "spiked", "--out", tmp.resolve("t.parquet").toString(), "--truth", u.toString());
    assertEquals(Main.BAD_INPUT, r.code());
    assertTrue(r.err().contains("drop --truth"), r.err());
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "--theta|0|denoise.theta must be > 0",
      "--theta|-1|denoise.theta must be > 0",
      "--mu0|1.5|denoise.mu0",
      "--mv0|-2|denoise.mv0",
      "--n|1|denoise.N must be >= 2",
      "--d|1|denoise.M must be >= 2",
      "--eta|0|denoise.eta must be > 0",
      "--sweep|foo|unknown denoise.sweep"})
  void badInputIsNamed(String flag, String value, String message) {
    CliRun r = run("denoise", "--theory-only", flag, value, "--out", tmp.resolve("bad").toString());
    assertEquals(Main.BAD_INPUT, r.code(), r.err());
    assertTrue(r.err().contains(message), r.err());
    assertFalse(Files.exists(tmp.resolve("bad").resolve("summary.json")));
  }
}
