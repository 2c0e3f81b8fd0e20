package io.lowrank.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lowrank.SparkTestSession;
import io.lowrank.data.FactorTruth;
import io.lowrank.engine.LocalEngine;
import io.lowrank.engine.SparkEngine;
import io.lowrank.solve.Status;
import io.lowrank.solve.Trace;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.storage.StorageLevel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Factored recovery with 20% uniform outliers (scale 10 × max|y*|) at small sizes: SubGM with its default steps
 * reaches the truth (relative error ≤ 1e-6, the run's tol: CONVERGED means the error met it), ℓ2 GD on the same
 * data does not (its ℓ2 fit is pulled off by the outliers: > 0.1); stored and generated asymmetric operators give the
 * same iterates; Spark and the in-process engine the same run.
 */
class FactoredSensingRunTest {
  private static SensingSettings base(String solver) {
    return SensingSettings.defaults().withSolver(solver).with("outliers", 0.2).withTol(1e-6).withMaxIter(1500)
        .with("rstar", 2).with("r", 2).with("kappa", 2);
  }

  private static SensingSettings symmetricCompletion(String solver) {
    return base(solver).with("operator", "completion").with("d", 60).with("symmetric", true).with("sampling", 0.4);
  }

  private static SensingSettings asymmetricCompletion(String solver) {
    return base(solver).with("operator", "completion").with("d1", 60).with("d2", 50).with("sampling", 0.6);
  }

  private static SensingSettings asymmetricSensing(String solver) {
    return base(solver).with("operator", "asymmetric").with("d1", 20).with("d2", 15).with("m", 560);
  }

  private static RunResult inProcess(SensingSettings s) {
    FactoredSensingRun.Generated g = FactoredSensingRun.generate(s);
    try (LocalEngine e = new LocalEngine(g.source().blocks(), 1)) {
      return FactoredSensingRun.solve(e, g.operator(), g.truth(), s, "the test instance");
    }
  }

  private static void recovers(SensingSettings subgm, SensingSettings gd) {
    RunResult r = inProcess(subgm);
    assertEquals(Status.CONVERGED, r.status(), () -> r.summary().toString());
    assertTrue((Double) r.summary().get("relative_error") <= 1e-6);
    RunResult l2 = inProcess(gd);
    assertTrue((Double) l2.summary().get("relative_error") > 0.1, () -> l2.summary().toString());
  }

  @Test
  void theSummaryGivesTheKappaOfTheTruthUsed(@TempDir Path tmp) throws IOException {
    // Generated: the truth drawn with sensing.kappa = 2 (r* = 2), measured from its factors.
    RunResult r = inProcess(asymmetricSensing("subgm").withMaxIter(2));
    assertEquals(2.0, (Double) r.summary().get("kappa"), 1e-12);
    // A symmetric truth file X* (M* = X* X*^T): its own κ, the eigenvalue ratio of X*^T X* (4 / 1 here).
    Path x = tmp.resolve("x.csv");
    Files.writeString(x, "2,0\n0,1\n0,0\n");
    FactorTruth t = new FactoredSensingRun.TruthFiles(x.toString(), null).read(
        symmetricCompletion("gd").with("d", 3), new Configuration());
    assertTrue(t.symmetric());
    assertEquals(4.0, t.kappa(), 1e-15);
  }

  @Test
  void subgmRecoversSymmetricCompletionWithOutliersWhereGdFails() {
    recovers(symmetricCompletion("subgm"), symmetricCompletion("gd"));
  }

  @Test
  void subgmRecoversAsymmetricCompletionWithOutliersWhereGdFails() {
    recovers(asymmetricCompletion("subgm"), asymmetricCompletion("gd"));
  }

  @Test
  void subgmRecoversAsymmetricGaussianSensingWithOutliersWhereGdFails() {
    recovers(asymmetricSensing("subgm"), asymmetricSensing("gd"));
  }

  @Test
  void gdRecoversCleanAsymmetricCompletion() {
    RunResult r = inProcess(asymmetricCompletion("gd").with("outliers", 0.0));
    assertEquals(Status.CONVERGED, r.status(), () -> r.summary().toString());
  }

  @Test
  void storedAndGeneratedAsymmetricOperatorsGiveTheSameIterates() {
    SensingSettings s = asymmetricSensing("subgm").withMaxIter(60);
    List<Trace.Record> stored = inProcess(s).trace().records();
    List<Trace.Record> generated = inProcess(s.with("asymmetric-storage", "generated")).trace().records();
    assertEquals(stored.size(), generated.size());
    for (int t = 0; t < stored.size(); t++) {
      // The same rows, the same gemvs in the same order: bit for bit.
      assertEquals(stored.get(t).loss(), generated.get(t).loss(), 0.0, "iteration " + t);
      assertEquals(stored.get(t).distance(), generated.get(t).distance(), 0.0, "iteration " + t);
    }
  }

  @Test
  void sparkAndInProcessGiveTheSameRun() {
    SensingSettings s = asymmetricCompletion("subgm").withMaxIter(80);
    RunResult local = inProcess(s);
    FactoredSensingRun.Generated g = FactoredSensingRun.generate(s);
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(SparkTestSession.get().sparkContext());
    RunResult spark;
    try (SparkEngine e = SparkEngine.generated(jsc, g.source(), 3, "test", StorageLevel.MEMORY_ONLY())) {
      spark = FactoredSensingRun.solve(e, g.operator(), g.truth(), s, "the test instance");
    }
    assertEquals(local.summary().get("m"), spark.summary().get("m"));
    List<Trace.Record> a = local.trace().records();
    List<Trace.Record> b = spark.trace().records();
    assertEquals(a.size(), b.size());
    for (int t = 0; t < a.size(); t++) {
      // Partial sums merged in another order: rounding (1e-16 relative) only, far below 1e-9 over 80 iterations.
      assertEquals(a.get(t).distance(), b.get(t).distance(), 1e-9 * a.get(t).distance(), "iteration " + t);
    }
  }

  @Test
  void factoredSettingsRefuseWhatTheyCannotRun() {
    assertThrows(IllegalArgumentException.class, () -> FactoredSensingSettings.of(asymmetricCompletion("precgd")));
    assertThrows(IllegalArgumentException.class, () -> FactoredSensingSettings.of(asymmetricSensing("subgm")
        .with("symmetric", true)));
    assertThrows(IllegalArgumentException.class, () -> FactoredSensingSettings.of(asymmetricCompletion("subgm")
        .with("sampling", 1.5)));
  }
}
