package io.lowrank.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lowrank.SparkTestSession;
import io.lowrank.data.GaussianSensing;
import io.lowrank.data.LowRankTruth;
import io.lowrank.data.Outliers;
import io.lowrank.engine.LocalEngine;
import io.lowrank.model.Loss;
import io.lowrank.model.sensing.PackedGaussianOperator;
import io.lowrank.model.sensing.RankOneOperator;
import io.lowrank.solve.Status;
import org.junit.jupiter.api.Test;

/** The robust keys of the sensing settings and the run layer's SubGM, as a library user drives them. */
class RobustSettingsTest {
  @Test
  void robustKeysHaveDefaultsAndResolveTheLoss() {
    SensingSettings s = SensingSettings.defaults();
    assertEquals("l2", s.loss());
    assertEquals("l1", s.withSolver("subgm").loss());
    assertEquals("huber", s.withSolver("subgm").with("loss", "huber").loss());
    assertEquals(Outliers.none().fraction(), s.outlierModel().fraction());
    assertEquals(new Outliers(0.2, Outliers.Kind.POSITIVE, 10), s.with("outliers", 0.2)
        .with("outlier-kind", "positive").outlierModel());
    assertTrue(Double.isNaN(s.subgmEta0()) && Double.isNaN(s.subgmRho()));
    assertEquals(0.95, s.with("subgm-rho", 0.95).subgmRho());
    // Huber's δ is given in the units of y: the rank-one operator's residuals are y/√(2m).
    SensingSettings h = s.withSolver("subgm").with("loss", "huber").with("huber-delta", 0.3);
    assertEquals(new Loss.Huber(0.3), h.lossFor(new PackedGaussianOperator(4, 100)));
    assertEquals(new Loss.Huber(0.3 / Math.sqrt(200)), h.lossFor(new RankOneOperator(4, 100)));
    assertEquals("sensing.loss = huber needs --solver subgm or scaled-subgm: gd minimises the l2 loss",
        message(() -> s.withSolver("gd").with("loss", "huber")));
    assertEquals("l1", s.withSolver("scaled-subgm").loss());
    assertEquals(0.2, s.trim());
    assertEquals("solver scaled-subgm works on the Gaussian operators (--operator gaussian or generated), not rank-one: "
        + "use subgm there", message(() -> s.withSolver("scaled-subgm").with("operator", "rank-one")));
    assertEquals("sensing.trim (the fraction of the largest |y_i| the spectral start leaves out) must be in [0, 1), "
        + "got 1.0", message(() -> s.with("trim", 1.0)));
    assertTrue(message(() -> s.with("outliers", 0.6)).contains("not identifiable"));
  }

  /** SensingRun.solve on an engine the caller owns, the same corrupted instance for SubGM and for PrecGD. */
  @Test
  void subgmThroughTheRunLayerOnALocalEngine() {
    LowRankTruth truth = LowRankTruth.generate(10, 2, 2, 6);
    int m = 8 * 10 * 2;
    GaussianSensing inst = GaussianSensing.stored(truth, m, 6, 0.0, new Outliers(0.2, Outliers.Kind.GAUSSIAN, 1), 64);
    SensingSettings s = SensingSettings.defaults().withSolver("subgm").withRank(2).withTol(1e-6).withSeed(6);
    try (LocalEngine engine = new LocalEngine(inst.blocks())) {
      RunResult run = SensingRun.solve(engine, new PackedGaussianOperator(10, m), truth, s, "the test instance");
      assertEquals(Status.CONVERGED, run.status(), run.summary().toString());
      assertTrue((double) run.summary().get("relative_error") <= 1e-6);
      assertEquals("l1", run.summary().get("loss"));
      RunResult l2 = SensingRun.solve(engine, new PackedGaussianOperator(10, m), truth, s.withSolver("precgd"),
          "the test instance");
      assertTrue((double) l2.summary().get("relative_error") > 0.1, l2.summary().toString());
    }
  }

  /**
   * Fully over-parameterised SubGM with every step setting at its default (max-iter, alpha, subgm-eta0, subgm-rho
   * auto): d = 20, r* = 2, k = d, m = 16 d r* = 640, κ = 10 (the default), 20% uniform outliers, seed 1. With the
   * former defaults (α = 1e-3, ρ from 1000 iterations) the start's 18 excess directions grew along S's noise and the
   * run STALLED at 9.8e-3; the derived α (the smallest the schedule grows from) keeps them below the 1e-5.
   */
  @Test
  void subgmDefaultsRecoverFullyOverParameterised() {
    int d = 20;
    int m = 16 * d * 2;
    SensingSettings s = SensingSettings.defaults().withSolver("subgm").with("outliers", 0.2).with("d", d)
        .with("rstar", 2).withRank(d).with("m", m).withSeed(1);
    assertEquals(SensingSettings.SUBGM_BUDGET, s.maxIter());
    assertEquals(SensingSettings.BUDGET, s.withSolver("precgd").maxIter());
    assertTrue(Double.isNaN(s.alphaSet()));
    assertEquals(1e-3, s.alpha());
    LowRankTruth truth = LowRankTruth.generate(d, 2, s.kappa(), 1);
    GaussianSensing inst = GaussianSensing.stored(truth, m, 1, 0.0, s.outlierModel(), 64);
    try (LocalEngine engine = new LocalEngine(inst.blocks())) {
      RunResult run = SensingRun.solve(engine, new PackedGaussianOperator(d, m), truth, s, "the test instance");
      double err = (double) run.summary().get("relative_error");
      System.out.println("subgm defaults, k = d: " + run.status() + " after " + run.iterations() + ", error " + err
          + ", alpha " + run.summary().get("alpha") + ", rho " + run.summary().get("subgm_rho"));
      assertTrue(err <= 1e-5, run.summary().toString());
      // The start's scale is the derived one: √d·exp(−1/(2·1.4·ln(1/ρ))) with ρ = (1e-8)^{1/2000}.
      double rho = Math.pow(1e-8, 1.0 / 2000);
      assertEquals(rho, (double) run.summary().get("subgm_rho"), 1e-15);
      assertEquals(Math.sqrt(d) * Math.exp(-1 / (2 * 1.4 * -Math.log(rho))), (double) run.summary().get("alpha"),
          1e-30);
      assertEquals("eta0 auto, rho auto, alpha auto", run.summary().get("subgm_defaults"));
    }
  }

  /**
   * κ = 100 with every setting at its default (d = 20, r* = 2, m = 8 d r* = 320, 20% uniform outliers, seed 1): the
   * budget's schedule fits σ_1 and stalls with σ_2 = σ_1/100 missing; the continuation re-seeds it and reaches 1e-8
   * past the 2000 iterations, and the summary says so. With subgm-rho set the schedule runs as set: STALLED, and the
   * note says why and what to change.
   */
  @Test
  void subgmDefaultsContinueWhereTheScheduleStallsAtKappaHundred() {
    SensingSettings s = SensingSettings.defaults().withSolver("subgm").with("outliers", 0.2).with("d", 20)
        .with("rstar", 2).withRank(2).with("kappa", 100).with("m", 320).withSeed(1);
    assertEquals(SensingSettings.SUBGM_CONTINUATION_FACTOR * SensingSettings.SUBGM_BUDGET,
        s.subgmContinuationBudget());
    assertEquals(3000, s.withMaxIter(3000).subgmContinuationBudget());
    assertEquals(0, s.with("subgm-rho", 0.99).subgmContinuationBudget());
    assertEquals(0, s.with("step", "polyak").subgmContinuationBudget());
    SensingRun.Generated g = SensingRun.generate(s);
    try (LocalEngine engine = new LocalEngine(g.source().blocks())) {
      RunResult run = SensingRun.solve(engine, g.operator(), g.truth(), s, "the test instance");
      System.out.println("subgm defaults, kappa = 100: " + run.status() + " after " + run.iterations() + ", "
          + run.summary().get("subgm_note"));
      assertEquals(Status.CONVERGED, run.status(), run.summary().toString());
      assertTrue((double) run.summary().get("relative_error") <= 1e-8);
      assertTrue(run.iterations() > SensingSettings.SUBGM_BUDGET);
      assertEquals(1, ((java.util.List<?>) run.summary().get("subgm_continuations")).size());
      assertTrue(run.summary().get("subgm_note").toString().startsWith("continued 1 time(s) past the schedule's "
          + "2000 iterations"), run.summary().get("subgm_note").toString());
      RunResult set = SensingRun.solve(engine, g.operator(), g.truth(), s.with("subgm-rho",
          (double) run.summary().get("subgm_rho")), "the test instance");
      assertEquals(Status.STALLED, set.status());
      assertTrue((double) set.summary().get("relative_error") > 1e-3);
      assertTrue(set.summary().get("subgm_note").toString().contains("no continuation (subgm-rho is set)"));
    }
  }

  @Test
  void outliersAreForGeneratedInstancesOnly() {
    SensingSettings s = SensingSettings.defaults().with("operator", "rank-one").with("outliers", 0.1);
    assertEquals("sensing.outliers corrupts generated instances; the measurements of --input are used as given (set "
        + "sensing.outliers = 0)", message(() -> SensingRun.run(SparkTestSession.get(),
            Input.path("data-samples/phase-retrieval.csv"), Truth.none(), s)));
  }

  private static String message(Runnable r) {
    return assertThrows(IllegalArgumentException.class, r::run).getMessage();
  }
}
