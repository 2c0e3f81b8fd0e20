package io.lowrank.job;

import static io.lowrank.job.CliRun.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lowrank.SparkTestSession;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** End-to-end tests of {@code lowrank sensing} through {@link Main#run}, on small instances. */
class SensingCommandTest {
  private static final Set<String> OUTPUTS =
      Set.of("summary.json", "trace.csv", "estimate.csv", "convergence.png", "config.conf", "report.html");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String CONF = Paths.get("").toAbsolutePath().resolve("conf/sensing.conf").toString();

  @BeforeAll
  static void sharedSpark() {
    SparkTestSession.get();
  }



  private static Set<String> list(Path dir) throws IOException {
    Set<String> names = new TreeSet<>();
    try (Stream<Path> s = Files.list(dir)) {
      s.forEach(p -> names.add(p.getFileName().toString()));
    }
    return names;
  }

  @Test
  void everyOperatorWritesTheUsualOutputs(@TempDir Path tmp) throws IOException {
    for (String op : List.of("gaussian", "generated", "rank-one")) {
      Path out = tmp.resolve(op);
      CliRun r = run("sensing", "--conf", CONF, "--operator", op, "--d", "10", "--rstar", "2", "--r", "2", "--kappa", "5",
          "--n", op.equals("rank-one") ? "800" : "300", "--max-iter", "150", "--partitions", "2", "--out",
          out.toString());
      assertEquals(0, r.code(), r.toString());
      assertEquals(new TreeSet<>(OUTPUTS), list(out));
      JsonNode s = JSON.readTree(out.resolve("summary.json").toFile());
      assertEquals(op, s.get("operator").asText());
      assertEquals(op.equals("rank-one") ? 800 : 300, s.get("m").asInt());
      // Exact rank, κ = 5, m = 15 d r* (Gaussian) or 40 d r* (rank-one): ScaledGD(λ) reaches 1e-8 well within 150.
      assertEquals("CONVERGED", s.get("status").asText(), op + ": " + s);
      assertTrue(s.get("relative_error").asDouble() <= 1e-8);
      assertEquals(10, Files.readAllLines(out.resolve("estimate.csv")).size());
      assertEquals(2, Files.readAllLines(out.resolve("estimate.csv")).get(0).split(",").length);
    }
  }

  @Test
  void solverFlagOverridesTheSensingDefault(@TempDir Path tmp) throws IOException {
    Path out = tmp.resolve("precgd");
    CliRun r = run("sensing", "--conf", CONF, "--solver", "precgd", "--tol", "1e-6", "--d", "10", "--rstar", "2",
        "--r", "4", "--kappa", "5", "--max-iter", "300", "--out", out.toString());
    assertEquals(0, r.code(), r.toString());
    JsonNode s = JSON.readTree(out.resolve("summary.json").toFile());
    assertEquals("precgd", s.get("solver").asText());
    assertEquals("CONVERGED", s.get("status").asText());
    assertTrue(s.get("relative_error").asDouble() <= 1e-6);
  }

  @Test
  void rankOneInputFromTheGenerateContract(@TempDir Path tmp) throws IOException {
    Path data = tmp.resolve("pr.csv");
    assertEquals(0, run("generate", "--n", "400", "--d", "8", "--seed", "3", "--out", data.toString()).code());
    Path out = tmp.resolve("run");
    CliRun r = run("sensing", "--conf", CONF, "--input", data.toString(), "--truth", tmp.resolve("pr.truth").toString(),
        "--operator", "rank-one", "--r", "1", "--solver", "scaledgd", "--max-iter", "200", "--out", out.toString());
    assertEquals(0, r.code(), r.toString());
    JsonNode s = JSON.readTree(out.resolve("summary.json").toFile());
    assertEquals(400, s.get("m").asInt());
    assertEquals("CONVERGED", s.get("status").asText(), s.toString());
  }

  /** With --input the search rank is checked against the data's d and defaults to 2 r* of the truth file. */
  @Test
  void inputSearchRankFollowsTheData(@TempDir Path tmp) throws IOException {
    Path data = tmp.resolve("pr.csv");
    assertEquals(0, run("generate", "--n", "400", "--d", "8", "--seed", "3", "--out", data.toString()).code());
    String truth = tmp.resolve("pr.truth").toString();
    Path out = tmp.resolve("default-r");
    CliRun r = run("sensing", "--conf", CONF, "--input", data.toString(), "--truth", truth, "--operator", "rank-one",
        "--r", "0", "--max-iter", "3", "--out", out.toString());
    assertEquals(0, r.code(), r.toString());
    JsonNode s = JSON.readTree(out.resolve("summary.json").toFile());
    assertEquals(1, s.get("rstar").asInt());
    assertEquals(2, s.get("r").asInt(), "2 r* of the truth file, not of sensing.rstar");
    assertEquals(1.0, s.get("kappa").asDouble(), 0.0);
    r = run("sensing", "--conf", CONF, "--input", data.toString(), "--operator", "rank-one", "--r", "9",
        "--out", tmp.resolve("r9").toString());
    assertEquals(Main.BAD_INPUT, r.code(), r.toString());
    assertTrue(r.err().contains("must be in [1, d = 8] for the input"), r.err());
  }

  @Test
  void bwgdOnGeneratedRankOne(@TempDir Path tmp) throws IOException {
    Path out = tmp.resolve("bwgd");
    CliRun r = run("sensing", "--conf", CONF, "--solver", "bwgd", "--operator", "rank-one", "--d", "8", "--rstar", "2",
        "--r", "2", "--kappa", "2", "--n", "960", "--max-iter", "200", "--out", out.toString());
    assertEquals(0, r.code(), r.toString());
    JsonNode s = JSON.readTree(out.resolve("summary.json").toFile());
    // m = 60 d r*, κ = 2: as in RankRBwgdTest, converges from the spectral start.
    assertEquals("CONVERGED", s.get("status").asText(), s.toString());
    assertTrue(s.get("procrustes_distance").asDouble() <= 1e-8);
    assertTrue(s.get("relative_error").asDouble() <= 1e-7);
  }

  /** Rank-2 rank-one measurements written in the phase-retrieval CSV contract, X* as a factor file. */
  @Test
  void rankTwoInputWithFactorTruth(@TempDir Path tmp) throws IOException {
    int d = 8;
    io.lowrank.data.LowRankTruth truth = io.lowrank.data.LowRankTruth.generate(d, 2, 2, 9);
    StringBuilder csv = new StringBuilder("y");
    for (int j = 1; j <= d; j++) {
      csv.append(",a").append(j);
    }
    csv.append('\n');
    for (io.lowrank.data.Block b : new io.lowrank.data.RankOneSensing(truth, 960, 9, 0, 200).blocks()) {
      for (int i = 0; i < b.rows; i++) {
        csv.append(b.y[i]);
        for (int j = 0; j < d; j++) {
          csv.append(',').append(b.a(i, j));
        }
        csv.append('\n');
      }
    }
    Path data = tmp.resolve("r2.csv");
    Files.writeString(data, csv);
    Path truthFile = tmp.resolve("x.csv");
    Files.writeString(truthFile, io.lowrank.report.Reports.matrixCsv(truth.factor(), d, 2));
    Path out = tmp.resolve("run");
    CliRun r = run("sensing", "--conf", CONF, "--input", data.toString(), "--truth", truthFile.toString(), "--operator",
        "rank-one", "--solver", "bwgd", "--r", "2", "--max-iter", "200", "--out", out.toString());
    assertEquals(0, r.code(), r.toString());
    JsonNode s = JSON.readTree(out.resolve("summary.json").toFile());
    assertEquals(2, s.get("rstar").asInt());
    assertEquals("CONVERGED", s.get("status").asText(), s.toString());
    assertTrue(s.get("relative_error").asDouble() < 1e-7);
    // A ragged truth file is rejected with the line named.
    Files.writeString(truthFile, "1,2\n3\n");
    assertBad("line 2: 1 values, expected 2", "--input", data.toString(), "--truth", truthFile.toString(),
        "--operator", "rank-one", "--out", tmp.resolve("bad").toString());
  }

  @Test
  void trialsModeWritesTableAndPlots(@TempDir Path tmp) throws IOException {
    Path conf = tmp.resolve("trials.conf");
    Files.writeString(conf, "sensing { rstar = 2, tol = 1e-6, trials { enabled = true, d = 8, kappas = [10], "
        + "ranks = [2], solvers = [scaledgd-lambda, precgd, scaledgd, gd], max-iter = 100, gd-max-iter = 100, "
        + "lambda-factors = [1.0], alphas = [1e-2] } }\n");
    Path out = tmp.resolve("trials");
    CliRun r = run("sensing", "--conf", conf.toString(), "--out", out.toString());
    assertEquals(0, r.code(), r.toString());
    assertTrue(list(out).containsAll(Set.of("trials.csv", "trials.md", "trials-traces.csv", "trials-kappa10-r2.png",
        "summary.json", "config.conf")), list(out).toString());
    // 4 solvers + 1 λ row + 1 α row, plus the header.
    assertEquals(7, Files.readAllLines(out.resolve("trials.csv")).size());
  }

  @Test
  void badInputExitsWithCode2AndAMessage(@TempDir Path tmp) throws IOException {
    String out = tmp.resolve("bad").toString();
    assertBad("sensing.r (the search rank)", "--d", "10", "--r", "11", "--out", out);
    assertBad("sensing.r must be a non-negative integer", "--d", "10", "--r", "-1", "--out", out);
    assertBad("sensing.lambda must be finite and >= 0", "--lambda", "-0.1", "--out", out);
    assertBad("sensing.lambda must be a number", "--lambda", "big", "--out", out);
    assertBad("degrees of freedom", "--d", "10", "--rstar", "3", "--n", "20", "--out", out);
    assertBad("sensing.rstar must be <=", "--d", "4", "--rstar", "5", "--out", out);
    assertBad("unknown sensing.operator", "--operator", "sparse", "--out", out);
    assertBad("unknown sensing.solver", "--solver", "newton", "--out", out);
    Path rankOne = tmp.resolve("rank-one.csv");
    java.nio.file.Files.writeString(rankOne, "y,a1,a2\n1,1,0\n2,0,1\n");
    // Without --operator rank-one, --input is an operator file (header y,a_0,...): rank-one data are pointed there.
    assertBad("are read with --operator rank-one", "--input", rankOne.toString(), "--out", out);
    assertBad("use --operator rank-one", "--solver", "bwgd", "--out", out);
    assertBad("sensing.kappa must be >= 1", "--kappa", "0.5", "--out", out);
    Path zero = tmp.resolve("zero-column.truth");
    try {
      java.nio.file.Files.write(zero, java.util.stream.IntStream.range(0, 8).mapToObj(i -> (i + 1) + ",0").toList());
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    Path data = tmp.resolve("pr.csv");
    assertEquals(0, run("generate", "--n", "400", "--d", "8", "--seed", "3", "--out", data.toString()).code());
    assertBad("must have full column rank 2", "--input", data.toString(), "--truth", zero.toString(),
        "--operator", "rank-one", "--out", out);
  }

  /**
   * Robust recovery from the command line: 20% uniform outliers (up to 10 ‖y*‖∞) on a generated Gaussian instance
   * (d = 10, r* = r = 2, κ = 2, m = 8 d r* = 160); --loss l1 --solver subgm with the data-derived η_0 and ρ recovers
   * M* to 1e-6, and ScaledGD(λ) on the same data (the same seed: the same instance) stays far off.
   */
  @Test
  void subgmRecoversThroughOutliersWhereScaledGdFails(@TempDir Path tmp) throws IOException {
    String[] instance = {"--d", "10", "--rstar", "2", "--r", "2", "--kappa", "2", "--n", "160", "--outliers", "0.2",
        "--seed", "4", "--tol", "1e-6", "--max-iter", "1000"};
    Path out = tmp.resolve("subgm");
    CliRun r = run(concat(new String[] {"sensing", "--conf", CONF, "--loss", "l1", "--solver", "subgm", "--partitions",
        "3", "--out", out.toString()}, instance));
    assertEquals(0, r.code(), r.toString());
    JsonNode s = JSON.readTree(out.resolve("summary.json").toFile());
    assertEquals("subgm", s.get("solver").asText());
    assertEquals("l1", s.get("loss").asText());
    assertEquals("0.2 uniform (scale 10.0)", s.get("outliers").asText());
    assertEquals("CONVERGED", s.get("status").asText(), s.toString());
    assertTrue(s.get("relative_error").asDouble() <= 1e-6, s.toString());
    assertTrue(s.get("subgm_eta0").asDouble() > 0 && s.get("subgm_rho").asDouble() < 1, s.toString());
    assertEquals("eta0 auto, rho auto, alpha auto", s.get("subgm_defaults").asText());
    Path l2 = tmp.resolve("l2");
    r = run(concat(new String[] {"sensing", "--conf", CONF, "--solver", "scaledgd-lambda", "--out", l2.toString()},
        instance));
    assertEquals(0, r.code(), r.toString());
    JsonNode t = JSON.readTree(l2.resolve("summary.json").toFile());
    assertEquals("l2", t.get("loss").asText());
    assertTrue(t.get("relative_error").asDouble() > 0.1, t.toString());
    assertTrue(!t.get("status").asText().equals("CONVERGED"), t.toString());
    // A set ρ far too small: the steps die out first, and the status says so.
    Path stalled = tmp.resolve("stalled");
    r = run(concat(new String[] {"sensing", "--conf", CONF, "--solver", "subgm", "--rho", "0.5", "--out",
        stalled.toString()}, instance));
    assertEquals(0, r.code(), r.toString());
    assertEquals("STALLED", JSON.readTree(stalled.resolve("summary.json").toFile()).get("status").asText());
  }

  /**
   * The scaled sub-gradient method from the command line on the same kind of corrupted instance (d = 10, r* = r = 2,
   * κ = 10, m = 10 d r* = 200, 20% uniform outliers): the trimmed spectral start and the data-derived η_0 reach 1e-8.
   */
  @Test
  void scaledSubgmRecoversThroughOutliers(@TempDir Path tmp) throws IOException {
    Path out = tmp.resolve("scaled");
    CliRun r = run("sensing", "--conf", CONF, "--solver", "scaled-subgm", "--d", "10", "--rstar", "2", "--r", "2",
        "--kappa", "10", "--n", "200", "--outliers", "0.2", "--seed", "4", "--tol", "1e-8", "--max-iter", "600",
        "--partitions", "2", "--out", out.toString());
    assertEquals(0, r.code(), r.toString());
    JsonNode s = JSON.readTree(out.resolve("summary.json").toFile());
    assertEquals("scaled-subgm", s.get("solver").asText());
    assertEquals("l1", s.get("loss").asText());
    assertEquals("trimmed-spectral", s.get("init").asText());
    assertEquals("CONVERGED", s.get("status").asText(), s.toString());
    assertTrue(s.get("relative_error").asDouble() <= 1e-8, s.toString());
    assertEquals("lambda0 * rho^t", s.get("lambda_rule").asText());
    assertEquals(0.85, s.get("subgm_rho").asDouble(), 0.0);
  }

  @Test
  void badRobustInputExitsWithCode2AndOneLine(@TempDir Path tmp) {
    String out = tmp.resolve("bad").toString();
    assertOneLine("sensing.outliers = 0.5: with half of the measurements or more corrupted M* is not identifiable",
        "--solver", "subgm", "--outliers", "0.5", "--out", out);
    assertOneLine("sensing.outliers (the fraction p of corrupted measurements) must be in [0, 0.5), got -0.1",
        "--outliers", "-0.1", "--out", out);
    assertOneLine("sensing.outlier-scale (the outlier scale s) must be finite and > 0, got -2.0",
        "--outliers", "0.1", "--outlier-scale", "-2", "--out", out);
    assertOneLine("unknown sensing.outlier-kind 'cauchy'", "--outlier-kind", "cauchy", "--out", out);
    assertOneLine("sensing.subgm-rho (the decay ρ of SubGM's step η_t = η_0 ρ^t) must be in (0, 1), got 1",
        "--solver", "subgm", "--rho", "1", "--out", out);
    assertOneLine("must be in (0, 1), got 1.5", "--solver", "subgm", "--rho", "1.5", "--out", out);
    assertOneLine("sensing.subgm-eta0 (the first step η_0 of SubGM) must be finite and > 0, got -0.1",
        "--solver", "subgm", "--eta0", "-0.1", "--out", out);
    assertOneLine("sensing.subgm-eta0 (the first step η_0 of SubGM) must be a number or auto, got 'big'",
        "--solver", "subgm", "--eta0", "big", "--out", out);
    assertOneLine("sensing.loss = l1 needs --solver subgm or scaled-subgm: precgd minimises the l2 loss", "--loss", "l1", "--solver",
        "precgd", "--out", out);
    assertOneLine("unknown sensing.loss 'l0'", "--loss", "l0", "--out", out);
    assertOneLine("sensing.q (the exponent of the lq loss) must be in (1, 2], got 2.5", "--solver", "subgm", "--loss",
        "lq", "--q", "2.5", "--out", out);
    assertOneLine("sensing.huber-delta (the Huber threshold δ, in the units of y) must be > 0, got 0", "--solver",
        "subgm", "--loss", "huber", "--huber-delta", "0", "--out", out);
    assertOneLine("noise must be", "--noise", "-1", "--out", out);
    // The scaled sub-gradient method shares subgm's step keys; its λ and trimming fraction are checked as well.
    assertOneLine("must be in (0, 1), got 1", "--solver", "scaled-subgm", "--rho", "1", "--out", out);
    assertOneLine("sensing.subgm-eta0 (the first step η_0 of SubGM) must be finite and > 0, got -0.1",
        "--solver", "scaled-subgm", "--eta0", "-0.1", "--out", out);
    assertOneLine("sensing.lambda must be finite and >= 0, got -1", "--solver", "scaled-subgm", "--lambda", "-1",
        "--out", out);
    assertOneLine("sensing.trim (the fraction of the largest |y_i| the spectral start leaves out) must be in [0, 1), "
        + "got 1.0", "--solver", "scaled-subgm", "--trim", "1", "--out", out);
    assertOneLine("sensing.fstar (the optimal loss f* of Polyak's step) must be finite and >= 0, got -1", "--solver",
        "scaled-subgm", "--step", "polyak", "--fstar", "-1", "--out", out);
    assertOneLine("unknown sensing.step 'armijo'", "--solver", "subgm", "--step", "armijo", "--out", out);
  }

  /** {@link #assertBad} and a message of exactly one line. */
  private static void assertOneLine(String fragment, String... flags) {
    assertBad(fragment, flags);
    String[] args = new String[flags.length + 3];
    args[0] = "sensing";
    args[1] = "--conf";
    args[2] = CONF;
    System.arraycopy(flags, 0, args, 3, flags.length);
    String err = run(args).err().strip();
    assertEquals(1, err.lines().count(), err);
  }

  private static String[] concat(String[] a, String[] b) {
    String[] c = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, c, a.length, b.length);
    return c;
  }

  private static void assertBad(String fragment, String... flags) {
    String[] args = new String[flags.length + 3];
    args[0] = "sensing";
    args[1] = "--conf";
    args[2] = CONF;
    System.arraycopy(flags, 0, args, 3, flags.length);
    CliRun r = run(args);
    assertEquals(Main.BAD_INPUT, r.code(), String.join(" ", args) + "\n" + r);
    assertTrue(r.err().contains(fragment), fragment + " not in: " + r.err());
  }
}
