package io.lowrank.run;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lowrank.SparkTestSession;
import io.lowrank.data.GaussianPhaseRetrieval;
import io.lowrank.data.GaussianSensing;
import io.lowrank.data.LowRankTruth;
import io.lowrank.engine.LocalEngine;
import io.lowrank.io.TruthFile;
import io.lowrank.model.sensing.PackedGaussianOperator;
import io.lowrank.solve.Status;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

/** The run layer as a library user drives it: typed settings, the three inputs, the three families. */
class RunLayerTest {
  private static final String SAMPLE = "data-samples/phase-retrieval.csv";
  private static final String SAMPLE_TRUTH = "data-samples/phase-retrieval.truth";

  @Test
  void settingsAreTheReferenceDefaultsAndRefuseBadValuesNamingTheKey() {
    PhaseRetrievalSettings s = PhaseRetrievalSettings.defaults();
    assertEquals("smoothing-newton", s.solver());
    assertEquals("switching", s.schedule());
    assertEquals(1e-10, s.tol());
    assertEquals(100, s.maxIter());
    PhaseRetrievalSettings t = s.withSolver("bwgd").withTol(1e-12).withMaxIter(7).withSeed(3);
    assertEquals(List.of("bwgd", 1e-12, 7, 3L), List.of(t.solver(), t.tol(), t.maxIter(), t.seed()));
    assertEquals("smoothing-newton", s.solver()); // immutable
    assertEquals("unknown phase-retrieval.solver 'nope' (expected one of: smoothing-newton, bwgd, wirtinger-flow, "
        + "amplitude-flow, mllib-lbfgs)", message(() -> s.withSolver("nope")));
    assertEquals("phase-retrieval.tol must be > 0, got -1", message(() -> s.withTol(-1)));
    assertEquals("phase-retrieval.smoothing.gamma must be in (0, 1), got 2", message(() -> s.with("smoothing.gamma", 2)));
    assertTrue(message(() -> s.withSolver("bwgd").withSchedule("quantile")).startsWith("solver bwgd has no smoothing"));
    assertEquals("unknown config key 'phase-retrieval.nope'", message(() -> s.with("nope", 1)));
    assertEquals("sensing.rstar must be <= sensing.d = 4, got 5",
        message(() -> SensingSettings.defaults().with("d", 4).with("rstar", 5)));
    assertEquals("denoise.mu0 (an initial overlap) must be in [-1, 1], got 2.0",
        message(() -> DenoisingSettings.defaults().with("mu0", 2.0)));
  }

  @Test
  void autoRunsInProcessUnderALocalMasterWithTheSameResultAsSpark() {
    SparkSession spark = SparkTestSession.get();
    PhaseRetrievalSettings s = PhaseRetrievalSettings.defaults().withSolver("bwgd").withPartitions(3);
    Input input = Input.generated(new io.lowrank.data.GaussianPhaseRetrieval(3000, 30, 5L, 0.0, 256));
    RunResult auto = PhaseRetrievalRun.run(spark, input, (double[]) null, s);
    RunResult onSpark = PhaseRetrievalRun.run(spark, input, (double[]) null, s.withEngine("spark"));
    assertEquals("in-process", auto.summary().get("engine"));
    assertTrue(((String) auto.summary().get("engine_choice")).startsWith("auto: local master"),
        auto.summary().toString());
    assertEquals("spark", onSpark.summary().get("engine"));
    assertEquals(1.0, auto.summary().get("cached_fraction"));
    // The same blocks, merged in another order: equal up to rounding.
    assertEquals(Status.CONVERGED, auto.status());
    assertEquals(onSpark.iterations(), auto.iterations());
    double[] a = auto.estimate();
    double[] b = onSpark.estimate();
    double diff = 0;
    for (int j = 0; j < a.length; j++) {
      diff = Math.max(diff, Math.abs(a[j] - b[j]));
    }
    assertTrue(diff <= 1e-12, "max |x_auto - x_spark| = " + diff);
    assertEquals("phase-retrieval.engine = local cannot run mllib-lbfgs, which runs on Spark RDDs: use auto or spark",
        message(() -> s.withSolver("mllib-lbfgs").withEngine("local")));
    assertEquals("phase-retrieval.engine must be auto, spark or local, got 'gpu'", message(() -> s.withEngine("gpu")));
    RunResult lbfgs = PhaseRetrievalRun.run(spark, input, (double[]) null, s.withSolver("mllib-lbfgs").withMaxIter(3));
    assertEquals("spark", lbfgs.summary().get("engine"));
  }

  @Test
  void phaseRetrievalFromFilesWithATruthFileOrValuesGivesTheSameRun() {
    SparkSession spark = SparkTestSession.get();
    PhaseRetrievalSettings s = PhaseRetrievalSettings.defaults();
    RunResult fromFile = PhaseRetrievalRun.run(spark, Input.path(SAMPLE), Truth.file(SAMPLE_TRUTH), s);
    assertEquals(Status.CONVERGED, fromFile.status());
    assertTrue((double) fromFile.summary().get("distance_to_truth") <= 1e-10, fromFile.summary().toString());
    assertEquals(List.of("solver", "input", "truth", "status"),
        fromFile.summary().keySet().stream().limit(4).toList());
    assertEquals(SAMPLE, fromFile.summary().get("input"));
    assertEquals(SAMPLE_TRUTH, fromFile.summary().get("truth"));
    assertEquals(1.0, fromFile.summary().get("cached_fraction"));
    assertEquals(List.of(), fromFile.warnings());
    assertEquals(32, fromFile.rows());
    assertEquals(1, fromFile.columns());
    assertTrue(fromFile.timings().load() > 0 && fromFile.timings().start() > 0, fromFile.timings().toString());

    double[] truth = TruthFile.read(SAMPLE_TRUTH, 32, new Configuration());
    RunResult fromValues = PhaseRetrievalRun.run(spark, Input.path(SAMPLE, "csv"), truth, s);
    assertArrayEquals(fromFile.estimate(), fromValues.estimate(), 0.0);
    RunResult blind = PhaseRetrievalRun.run(spark, Input.path(SAMPLE), (double[]) null, s);
    assertTrue(Double.isNaN((double) blind.summary().get("distance_to_truth"))); // null in summary.json
    assertNull(blind.summary().get("initial_distance_to_truth"));
    assertEquals("the truth has 3 values, expected d = 32",
        message(() -> PhaseRetrievalRun.run(spark, Input.path(SAMPLE), new double[3], s)));
  }

  @Test
  void aGeneratedInstanceOnSparkEqualsTheInProcessSolve() {
    GaussianPhaseRetrieval instance = new GaussianPhaseRetrieval(2000, 20, 7, 0.0, 100);
    PhaseRetrievalSettings s = PhaseRetrievalSettings.defaults().withSeed(7).withPartitions(3).withEngine("spark");
    RunResult spark = PhaseRetrievalRun.run(SparkTestSession.get(), Input.generated(instance), (double[]) null, s);
    RunResult local;
    try (LocalEngine engine = new LocalEngine(instance.blocks())) {
      local = PhaseRetrievalRun.solve(engine, instance.truth(), s);
    }
    assertEquals("generated", spark.summary().get("input"));
    assertEquals(3, spark.summary().get("partitions"));
    assertEquals(spark.iterations(), local.iterations());
    for (int i = 0; i < 20; i++) {
      assertEquals(local.estimate()[i], spark.estimate()[i], 1e-12);
    }
    // A generated instance has its own truth: another one is refused before anything is read.
    assertTrue(message(() -> PhaseRetrievalRun.run(SparkTestSession.get(), Input.generated(instance),
        instance.truth(), s)).startsWith("a truth is for measurements read from files"));
  }

  @Test
  void sensingOnSparkEqualsTheInProcessSolve() {
    SensingSettings s = SensingSettings.defaults().with("d", 12).with("rstar", 2).withRank(4).withMaxIter(60)
        .with("kappa", 3);
    RunResult spark = SensingRun.run(SparkTestSession.get(), s);
    LowRankTruth truth = LowRankTruth.generate(12, 2, 3, s.seed());
    GaussianSensing inst = GaussianSensing.stored(truth, s.m(), s.seed(), 0.0, s.blockRowsFor(78));
    RunResult local;
    try (LocalEngine engine = new LocalEngine(inst.blocks())) {
      local = SensingRun.solve(engine, new PackedGaussianOperator(12, s.m()), truth, s, "test");
    }
    assertEquals(12, spark.rows());
    assertEquals(4, spark.columns());
    assertEquals(List.of("solver", "operator", "input"), spark.summary().keySet().stream().limit(3).toList());
    assertEquals(local.iterations(), spark.iterations());
    double err = (double) spark.summary().get("relative_error");
    assertEquals((double) local.summary().get("relative_error"), err, 1e-9 * Math.max(1, err));
    assertTrue(err < (double) spark.summary().get("initial_relative_error"), spark.summary().toString());
  }

  @Test
  void denoisingReportsTheTheoryOfAGeneratedMatrix() {
    DenoisingSettings s = DenoisingSettings.defaults().with("N", 200).with("M", 400).with("steps", 10);
    DenoisingRun.Outcome o = DenoisingRun.run(SparkTestSession.get(), s);
    assertEquals(11, o.path().size());
    assertEquals(200, o.result().rows());
    assertEquals(0.5, (double) o.result().summary().get("c"), 0.0);
    assertEquals(s.mu0(), o.path().overlapU()[0], 1e-12);
    assertTrue((double) o.result().summary().get("max_deviation_u") < 0.2, o.result().summary().toString());
  }

  /**
   * With a truth, CONVERGED means the distance met the tolerance: the linearly convergent baselines, whose relative
   * step falls below tol a little before the distance does, go on instead of claiming it; and with n < 2d − 1 (the
   * answer is not unique) the run says so.
   */
  @Test
  void withATruthConvergedMeansTheDistanceMetTheTolerance() {
    GaussianPhaseRetrieval instance = new GaussianPhaseRetrieval(400, 20, 3, 0.0);
    for (String solver : List.of("amplitude-flow", "wirtinger-flow", "bwgd", "smoothing-newton")) {
      PhaseRetrievalSettings s = PhaseRetrievalSettings.defaults().withSolver(solver).withMaxIter(3000);
      RunResult r;
      try (LocalEngine engine = new LocalEngine(instance.blocks())) {
        r = PhaseRetrievalRun.solve(engine, instance.truth(), s);
      }
      assertEquals(Status.CONVERGED, r.status(), solver);
      assertTrue((double) r.summary().get("distance_to_truth") <= 1e-10, solver + " " + r.summary());
    }
    GaussianPhaseRetrieval square = new GaussianPhaseRetrieval(20, 20, 3, 0.0);
    try (LocalEngine engine = new LocalEngine(square.blocks())) {
      RunResult r = PhaseRetrievalRun.solve(engine, square.truth(), PhaseRetrievalSettings.defaults());
      assertTrue(r.status() != Status.CONVERGED || (double) r.summary().get("distance_to_truth") <= 1e-10,
          r.summary().toString());
      assertEquals(1, r.warnings().size(), r.summary().toString());
      assertTrue(r.warnings().get(0).startsWith("n = 20 < 2d - 1 = 39: real phase retrieval needs"), r.warnings().get(0));
    }
  }

  /** Two runs with the same seed give the same bits for every schedule (the quantile's histogram is exact). */
  @Test
  void twoRunsWithTheSameSeedGiveIdenticalTraces() {
    GaussianPhaseRetrieval instance = new GaussianPhaseRetrieval(3000, 20, 4, 0.0, 250);
    for (String schedule : List.of("loss", "quantile", "fixed")) {
      PhaseRetrievalSettings s = PhaseRetrievalSettings.defaults().withSchedule(schedule).withPartitions(3);
      List<String> runs = new java.util.ArrayList<>();
      for (int k = 0; k < 2; k++) {
        RunResult r = PhaseRetrievalRun.run(SparkTestSession.get(), Input.generated(instance), (double[]) null, s);
        StringBuilder sb = new StringBuilder(r.status().name());
        for (var rec : r.trace().records()) {
          sb.append('|').append(rec.loss()).append(',').append(rec.gradientNorm()).append(',').append(rec.mu())
              .append(',').append(rec.stepNorm()).append(',').append(rec.distance()).append(',').append(rec.passes());
        }
        for (double v : r.estimate()) {
          sb.append(',').append(Double.doubleToRawLongBits(v));
        }
        runs.add(sb.toString());
      }
      assertEquals(runs.get(0), runs.get(1), schedule);
    }
  }

  private static String message(Runnable r) {
    return assertThrows(IllegalArgumentException.class, r::run).getMessage();
  }
}
