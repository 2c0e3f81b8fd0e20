package io.lowrank.solve.sensing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lowrank.data.GaussianSensing;
import io.lowrank.data.LowRankTruth;
import io.lowrank.data.Outliers;
import io.lowrank.engine.LocalEngine;
import io.lowrank.model.Loss;
import io.lowrank.model.sensing.PackedGaussianOperator;
import io.lowrank.solve.Result;
import io.lowrank.solve.Status;
import io.lowrank.solve.sensing.ScaledGradientDescent.Method;
import org.junit.jupiter.api.Test;

/**
 * SubGM on the ℓ1 loss with gross outliers (d = 12, r* = 2, κ = 2, m = 8 d r* = 192, p = 0.2 uniform outliers up to
 * 10 ‖y*‖∞): exact recovery at exact rank with the data-derived η_0 and ρ, where the ℓ2 solvers on the same data stay
 * far off; honest statuses when the steps die out first.
 */
class SubGradientMethodTest {
  static final int D = 12;
  static final int RSTAR = 2;
  static final int M = 8 * D * RSTAR;
  static final LowRankTruth TRUTH = LowRankTruth.generate(D, RSTAR, 2, 2);
  static final GaussianSensing DATA =
      GaussianSensing.stored(TRUTH, M, 2, 0.0, new Outliers(0.2, Outliers.Kind.UNIFORM, 10), 64);

  static SensingProblem problem(Loss loss) {
    return SensingProblem.setUp(new LocalEngine(DATA.blocks()), new PackedGaussianOperator(D, M), TRUTH, loss);
  }

  static double[] start() {
    return SensingInitializer.smallRandom(D, RSTAR, 1e-3, 2);
  }

  @Test
  void l1SubgmRecoversExactlyDespiteTwentyPercentOutliers() {
    SensingProblem p = problem(new Loss.L1());
    var auto = SubGradientMethod.Defaults.of(p, RSTAR, 1e-3, Double.NaN, 1e-6, 1000);
    Result res = new SubGradientMethod(new SubGradientMethod.Options(auto.eta0(), auto.rho(), 1e-6, 1000))
        .solve(p, start(), RSTAR);
    System.out.println("subgm l1 p=0.2: " + res.status() + " after " + res.iterations() + " (" + auto + ")");
    assertEquals(Status.CONVERGED, res.status());
    assertTrue(res.trace().last().distance() <= 1e-6);
    assertEquals(res.trace().last().distance(), p.relativeError(res.estimate(), RSTAR), 0.0);
    // One pass per iteration, plus the set-up pass and the pass at W_0; the mu column is η_t = η_0 ρ^{t−1}.
    assertTrue(res.trace().records().stream().skip(1).allMatch(r -> r.passes() == 1));
    assertEquals(2 + res.iterations(), res.passes());
    assertEquals(auto.eta0() * Math.pow(auto.rho(), 9), res.trace().records().get(10).mu(), 1e-15);
    assertTrue(auto.eta0() > 0 && auto.rho() > 0 && auto.rho() < 1, auto.toString());
  }

  /**
   * The same corrupted data through the least-squares solvers: the ℓ2 minimiser fits the outliers (their energy,
   * about 8‖M*‖_F/√m per measurement here, projected on the ~d r fitted directions gives a relative error of order
   * 8√(d r/m) ≈ 3), so none of them gets within 1e-1 of M*.
   */
  @Test
  void theL2SolversOnTheSameDataStayFarOff() {
    SensingProblem p = problem(Loss.l2());
    double lambda = 0.1 * TRUTH.sigmaMin();
    for (Method method : new Method[] {Method.SCALED_FIXED_LAMBDA, Method.PRECONDITIONED}) {
      Result res = new ScaledGradientDescent(new ScaledGradientDescent.Options(method, 0.5, lambda, 0.1, 1, 1e-6, 300))
          .solve(p, start(), RSTAR);
      double err = p.relativeError(res.estimate(), RSTAR);
      System.out.println(method.id() + " l2 p=0.2: " + res.status() + " error " + err);
      assertTrue(err > 0.1, method.id() + ": " + err);
      assertTrue(res.status() != Status.CONVERGED);
    }
    // ScaledGD from the (outlier-driven) spectral start, the method of choice without outliers.
    Result sgd = new ScaledGradientDescent(new ScaledGradientDescent.Options(Method.SCALED, 0.5, 0, 0.1, 1, 1e-6, 300))
        .solve(p, SensingInitializer.spectral(p, RSTAR), RSTAR);
    assertTrue(p.relativeError(sgd.estimate(), RSTAR) > 0.1);
  }

  /**
   * The rank-one operator (A_i = a_i a_i^T/√(2m)) with positive outliers, the hardest kind for least squares: its
   * spectral matrix has no negative side (S ≈ a multiple of I plus M*), so η_0 comes from λ_1(S) and ρ from the
   * budget; SubGM still reaches 1e-6 at m = 8 d r*.
   */
  @Test
  void l1SubgmOnRankOneMeasurements() {
    io.lowrank.data.RankOneSensing data = new io.lowrank.data.RankOneSensing(TRUTH, M, 3, 0.0,
        new Outliers(0.2, Outliers.Kind.POSITIVE, 10), 64);
    SensingProblem p = SensingProblem.setUp(new LocalEngine(data.blocks()),
        new io.lowrank.model.sensing.RankOneOperator(D, M), TRUTH, new Loss.L1());
    var auto = SubGradientMethod.Defaults.of(p, RSTAR, 1e-3, Double.NaN, 1e-6, 1000);
    assertTrue(!auto.resolved());
    // The budget's ρ = tol^{1/max-iter}: α = 1e-3 set needs only 1 − ρ ≤ 1/(2 μ ln(√d/α)) ≈ 0.044 of it.
    assertEquals(Math.pow(1e-6, 1e-3), auto.rho(), 1e-15);
    Result res = new SubGradientMethod(new SubGradientMethod.Options(auto.eta0(), auto.rho(), 1e-6, 1000))
        .solve(p, start(), RSTAR);
    System.out.println("subgm l1 rank-one p=0.2 positive: " + res.status() + " after " + res.iterations());
    assertEquals(Status.CONVERGED, res.status());
  }

  /**
   * The rule of {@link SubGradientMethod.Defaults} on a spectrum whose r-th value is within the noise (unresolved):
   * every setting auto, ρ is the budget's tol^{1/N} and α the smallest start it grows from, √d·exp(−1/(2 μ ln(1/ρ)));
   * a set α keeps ρ at least 1 − 1/(2 μ ln(√d/α)); a set ρ keeps α at 1e-3; a budget too short for any smaller start
   * leaves α at 1e-3 and slows ρ to what that start needs.
   */
  @Test
  void defaultsPlanTheStartWithTheSchedule() {
    double[] v = {10, 4, 3.5};
    double nu = 4; // λ_2 = 4 < 1.3 ν: not resolved
    int d = 20;
    double mu = SubGradientMethod.GROWTH_MARGIN;
    var auto = SubGradientMethod.Defaults.of(v, nu, 2, d, Double.NaN, Double.NaN, 1e-8, 2000);
    assertTrue(!auto.resolved());
    double rho = Math.pow(1e-8, 1.0 / 2000);
    assertEquals(rho, auto.rho(), 1e-15);
    assertEquals(Math.sqrt(d) * Math.exp(-1 / (2 * mu * -Math.log(rho))), auto.alpha(), 1e-30);
    assertEquals(0.1, auto.eta0(), 1e-15);
    // The derived start is exactly as small as the schedule grows from: 1 − ρ = 1/(2 μ L) up to 1 − ρ ≈ ln(1/ρ).
    assertEquals(1 / (2 * mu * auto.growth()), -Math.log(auto.rho()), 1e-12);
    var alphaSet = SubGradientMethod.Defaults.of(v, nu, 2, d, 1e-12, Double.NaN, 1e-8, 300);
    assertEquals(1 - 1 / (2 * mu * Math.log(Math.sqrt(d) / 1e-12)), alphaSet.rho(), 1e-15);
    var rhoSet = SubGradientMethod.Defaults.of(v, nu, 2, d, Double.NaN, 0.995, 1e-8, 2000);
    assertEquals(0.995, rhoSet.rho());
    assertEquals(SubGradientMethod.DEFAULT_ALPHA, rhoSet.alpha());
    var shortBudget = SubGradientMethod.Defaults.of(v, nu, 2, d, Double.NaN, Double.NaN, 1e-8, 100);
    assertEquals(SubGradientMethod.DEFAULT_ALPHA, shortBudget.alpha());
    assertEquals(1 - 1 / (2 * mu * Math.log(Math.sqrt(d) / 1e-3)), shortBudget.rho(), 1e-15);
  }

  /**
   * κ = 100 (d = 20, r* = 2, m = 8 d r* = 320, 20% uniform outliers, seed 1), every setting derived for tol 1e-8 and
   * 2000 iterations: the schedule alone fits σ_1 and STALLS with σ_2 = σ_1/100 unfitted (relative error ≈ σ_2/‖M*‖_F
   * ≈ 0.01); with a continuation budget the same solver finds the missing direction, re-seeds it (κ̂ within 30% of
   * κ: the eigenvector's angle biases s* low) and reaches 1e-8 on the continued schedule, past the 2000.
   */
  @Test
  void theContinuationRecoversTheWeakDirectionWhereTheScheduleStalls() {
    int d = 20;
    int m = 8 * d * RSTAR;
    LowRankTruth truth = LowRankTruth.generate(d, RSTAR, 100, 1);
    GaussianSensing data = GaussianSensing.stored(truth, m, 1, 0.0, new Outliers(0.2, Outliers.Kind.UNIFORM, 10), 64);
    SensingProblem p = SensingProblem.setUp(new LocalEngine(data.blocks()), new PackedGaussianOperator(d, m), truth,
        new Loss.L1());
    var auto = SubGradientMethod.Defaults.of(p, RSTAR, Double.NaN, Double.NaN, 1e-8, 2000);
    var options = new SubGradientMethod.Options(auto.eta0(), auto.rho(), 1e-8, 2000);
    double[] w0 = SensingInitializer.smallRandom(d, RSTAR, auto.alpha(), 1);
    SubGradientMethod plain = new SubGradientMethod(options);
    Result stalled = plain.solve(p, w0, RSTAR);
    assertEquals(Status.STALLED, stalled.status());
    assertEquals(0.01, stalled.trace().last().distance(), 0.003);
    assertTrue(plain.continuations().isEmpty());
    assertTrue(plain.note(stalled, 0, true).contains("subgm-rho is set"), plain.note(stalled, 0, true));

    SubGradientMethod continued = new SubGradientMethod(options, 40_000);
    Result res = continued.solve(p, w0, RSTAR);
    System.out.println("subgm kappa = 100 continued: " + res.status() + " after " + res.iterations() + ", "
        + continued.continuations());
    assertEquals(Status.CONVERGED, res.status());
    assertTrue(res.trace().last().distance() <= 1e-8);
    assertEquals(res.trace().last().distance(), p.relativeError(res.estimate(), RSTAR), 0.0);
    assertEquals(1, continued.continuations().size());
    SubGradientMethod.Continued c = continued.continuations().get(0);
    assertEquals(stalled.iterations() + 1, c.at());
    assertEquals(Status.STALLED, c.ended());
    assertEquals(100, c.kappa(), 30);
    assertEquals(1 - 1 / (SubGradientMethod.CONTINUATION_FACTOR * c.kappa()), c.rho(), 1e-15);
    assertTrue(res.iterations() > 2000 && res.iterations() <= c.at() + c.planned(), res.iterations() + " " + c);
    // The first phase is the plain run's, row for row; the trace then numbers on, one row per iteration.
    assertEquals(stalled.trace().records().get(stalled.iterations()), res.trace().records().get(stalled.iterations()));
    for (int t = 0; t < res.trace().size(); t++) {
      assertEquals(t, res.trace().records().get(t).iteration());
    }
    assertEquals(p.passes(), res.passes());
    assertTrue(continued.note(res, 40_000, true).contains("max-iter auto: " + res.iterations() + " of up to 40000"));
  }

  /** A ρ far too small: the steps die out with the error near 1, and the run says STALLED well before its budget. */
  @Test
  void stepsThatDieOutFirstAreStalledNotConverged() {
    SensingProblem p = problem(new Loss.L1());
    var auto = SubGradientMethod.Defaults.of(p, RSTAR, 1e-3, Double.NaN, 1e-6, 1000);
    Result res = new SubGradientMethod(new SubGradientMethod.Options(auto.eta0(), 0.5, 1e-6, 1000))
        .solve(p, start(), RSTAR);
    assertEquals(Status.STALLED, res.status());
    assertTrue(res.iterations() < 100, res.iterations() + " iterations");
    assertTrue(res.trace().last().distance() > 0.5);
  }

  /** A step far too large on a run-away iterate is DIVERGED or STALLED far off, never CONVERGED. */
  @Test
  void aStepFarTooLargeIsNotConverged() {
    SensingProblem p = problem(new Loss.L1());
    Result res = new SubGradientMethod(new SubGradientMethod.Options(100.0, 0.99, 1e-6, 300)).solve(p, start(), RSTAR);
    assertTrue(res.status() == Status.DIVERGED || res.status() == Status.STALLED, res.status().toString());
    assertTrue(res.trace().last().distance() > 1);
  }

  /** Huber and ℓq under SubGM run through the same pass (smoke: they move toward M* from the small start). */
  @Test
  void smoothRobustLossesRunThroughTheSamePass() {
    for (Loss loss : new Loss[] {new Loss.Huber(1e-3), new Loss.Lq(1.2)}) {
      SensingProblem p = problem(loss);
      var auto = SubGradientMethod.Defaults.of(p, RSTAR, 1e-3, Double.NaN, 1e-6, 400);
      Result res = new SubGradientMethod(new SubGradientMethod.Options(auto.eta0(), auto.rho(), 1e-6, 400))
          .solve(p, start(), RSTAR);
      System.out.println("subgm " + loss.describe() + ": " + res.status() + " error " + res.trace().last().distance());
      assertTrue(res.trace().last().distance() < 0.5, loss.describe() + ": " + res.trace().last().distance());
    }
  }

  @Test
  void badOptionsAreRefused() {
    assertMessage("subgm-rho (the step decay ρ in η_t = η_0 ρ^t) must be in (0, 1), got 1.0: a step that does not "
        + "decay", () -> new SubGradientMethod.Options(0.1, 1.0, 1e-6, 10));
    assertMessage("must be in (0, 1), got 0.0", () -> new SubGradientMethod.Options(0.1, 0.0, 1e-6, 10));
    assertMessage("subgm-eta0 (the first step η_0) must be finite and > 0, got -0.1",
        () -> new SubGradientMethod.Options(-0.1, 0.9, 1e-6, 10));
    assertMessage("tol must be > 0", () -> new SubGradientMethod.Options(0.1, 0.9, 0, 10));
    assertMessage("max-iter must be >= 1", () -> new SubGradientMethod.Options(0.1, 0.9, 1e-6, 0));
    SensingProblem p = problem(new Loss.L1());
    assertMessage("precgd minimises the l2 loss, but the problem was set up with l1: use subgm",
        () -> new ScaledGradientDescent(new ScaledGradientDescent.Options(Method.PRECONDITIONED, 0.5, 0, 0.1, 1, 1e-6,
            10)).solve(p, start(), RSTAR));
    assertMessage("r (the search rank) must be in [1, d = 12], got 13",
        () -> SubGradientMethod.Defaults.of(p, D + 1, 1e-3, Double.NaN, 1e-6, 10));
    // y ≡ 0: no scale to derive η_0 from.
    GaussianSensing zero = GaussianSensing.stored(LowRankTruth.generate(D, 1, 1, 1), M, 1, 0.0, 64);
    var blocks = zero.blocks().stream().map(b -> new io.lowrank.data.Block(b.id, b.rows, b.d, b.a, new double[b.rows]))
        .toList();
    SensingProblem flat = SensingProblem.setUp(new LocalEngine(blocks), new PackedGaussianOperator(D, M), null,
        new Loss.L1());
    assertMessage("set sensing.subgm-eta0", () -> SubGradientMethod.Defaults.of(flat, 2, 1e-3, Double.NaN, 1e-6, 10));
  }

  static void assertMessage(String fragment, Runnable r) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, r::run);
    assertTrue(e.getMessage().contains(fragment), e.getMessage());
  }
}
