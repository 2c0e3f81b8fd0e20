package io.lowrank.solve.sensing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lowrank.data.GaussianSensing;
import io.lowrank.data.LowRankTruth;
import io.lowrank.engine.LocalEngine;
import io.lowrank.model.sensing.PackedGaussianOperator;
import io.lowrank.solve.Result;
import io.lowrank.solve.Status;
import io.lowrank.solve.sensing.ScaledGradientDescent.Method;
import io.lowrank.solve.sensing.ScaledGradientDescent.Options;
import org.junit.jupiter.api.Test;

/**
 * The papers' headline behaviour at κ = 100 on a small instance (d = 30, r* = 3, m = 10 d r* = 900, noiseless).
 * Thresholds are the issue's: exact-rank ScaledGD(λ) to 1e-8, PrecGD at r = 2r* to 1e-8, ScaledGD(λ) at r = 2r*
 * below 1e-3 within 200 iterations.
 */
class ScaledGradientDescentTest {
  static final int D = 30;
  static final int RSTAR = 3;
  static final double KAPPA = 100;

  static SensingProblem problem(long seed) {
    LowRankTruth truth = LowRankTruth.generate(D, RSTAR, KAPPA, seed);
    int m = 10 * D * RSTAR;
    GaussianSensing inst = GaussianSensing.stored(truth, m, seed, 0.0, 256);
    return SensingProblem.setUp(new LocalEngine(inst.blocks()), new PackedGaussianOperator(D, m), truth);
  }

  @Test
  void scaledGdLambdaRecoversExactRankAtKappa100() {
    SensingProblem p = problem(3);
    double lambda = 0.1 * p.truth().sigmaMin();
    Result res = new ScaledGradientDescent(new Options(Method.SCALED_FIXED_LAMBDA, 0.5, lambda, 0.1, 1, 1e-8, 500))
        .solve(p, SensingInitializer.smallRandom(D, RSTAR, 1e-3, 3), RSTAR);
    System.out.println("scaledgd-lambda r=r*: " + res.status() + " after " + res.iterations());
    assertEquals(Status.CONVERGED, res.status());
    assertTrue(res.trace().last().distance() <= 1e-8);
    // One pass per iteration, plus the set-up pass and the pass at X_0.
    assertTrue(res.trace().records().stream().allMatch(rec -> rec.passes() == 1));
    assertEquals(2 + res.iterations(), res.passes());
    assertEquals(lambda, res.trace().last().mu(), 0.0);
  }

  /**
   * The default λ (auto: {@link AdaptiveDamping}, σ_min unknown) against λ = 0.1σ_min(M*) known, on this seeded
   * instance at κ = 100: within 1.5× its iteration count to 1e-8 at exact rank, where the former auto (0.1 × the
   * σ_min the set-up pass estimates; here it cannot resolve σ_min = 0.01 under the operator's noise and falls back to
   * about σ_1) takes more than twice as many; and at r = 2r* it converges to 1e-8, where both fixed λ leave the slow
   * tail (MAX_ITER within 300). Counts, not times.
   */
  @Test
  void theAdaptiveDefaultLambdaMatchesTheKnownSigmaMin() {
    SensingProblem p = problem(3);
    int[] counts = new int[3];
    double[] lambdas = {0.1 * p.truth().sigmaMin(), 0.1 * p.sigmaMinEstimate(RSTAR), 0};
    for (int k = 0; k < 3; k++) {
      Result res = new ScaledGradientDescent(new Options(Method.SCALED_FIXED_LAMBDA, 0.5, lambdas[k], 0.1, 1, 1e-8, 500,
          k == 2 ? 0.1 : 0)).solve(p, SensingInitializer.smallRandom(D, RSTAR, 1e-3, 3), RSTAR);
      assertEquals(Status.CONVERGED, res.status(), "case " + k);
      counts[k] = res.iterations();
    }
    System.out.println("scaledgd-lambda to 1e-8 at r = r*, known / former auto / adaptive: "
        + java.util.Arrays.toString(counts));
    assertTrue(counts[2] <= 1.5 * counts[0], java.util.Arrays.toString(counts));
    assertTrue(counts[1] > 2 * counts[2], java.util.Arrays.toString(counts));
    for (double lambda : new double[] {lambdas[0], lambdas[1]}) {
      Result fixed = new ScaledGradientDescent(new Options(Method.SCALED_FIXED_LAMBDA, 0.5, lambda, 0.1, 1, 1e-8, 300))
          .solve(p, SensingInitializer.smallRandom(D, 2 * RSTAR, 1e-3, 3), 2 * RSTAR);
      assertEquals(Status.MAX_ITER, fixed.status(), "fixed lambda " + lambda);
    }
    Result adaptive = new ScaledGradientDescent(new Options(Method.SCALED_FIXED_LAMBDA, 0.5, 0, 0.1, 1, 1e-8, 300, 0.1))
        .solve(p, SensingInitializer.smallRandom(D, 2 * RSTAR, 1e-3, 3), 2 * RSTAR);
    System.out.println("adaptive at r = 2r*: " + adaptive.status() + " after " + adaptive.iterations());
    assertEquals(Status.CONVERGED, adaptive.status());
  }

  /**
   * Noisy y_i = ⟨A_i, M*⟩ + σ ε_i, σ = 1e-3: no exact recovery. The operator is near-isometric, so the noise
   * projected on the ~d r (= 180 at r = 2r*) fitted directions gives ‖XX^T − M*‖_F ≈ σ√(d r*) … σ√(d r), i.e. a
   * relative error of about 8e-3 … 1.2e-2 (‖M*‖_F = 1.15). Asserted: between 1e-3 and 5e-2, and MAX_ITER (the solver
   * does not claim convergence at tol 1e-8).
   */
  @Test
  void noisyMeasurementsGiveANoiseFloor() {
    LowRankTruth truth = LowRankTruth.generate(D, RSTAR, 10, 8);
    int m = 10 * D * RSTAR;
    GaussianSensing inst = GaussianSensing.stored(truth, m, 8, 1e-3, 256);
    SensingProblem p = SensingProblem.setUp(new LocalEngine(inst.blocks()), new PackedGaussianOperator(D, m), truth);
    Result res = new ScaledGradientDescent(new Options(Method.PRECONDITIONED, 0.5, 0, 0.1, 1, 1e-8, 150))
        .solve(p, SensingInitializer.smallRandom(D, 2 * RSTAR, 1e-3, 8), 2 * RSTAR);
    double err = res.trace().last().distance();
    System.out.println("precgd noisy: " + res.status() + " err " + err);
    assertEquals(Status.MAX_ITER, res.status());
    assertTrue(err < 0.05 && err > 1e-3, "error " + err);
  }

  /**
   * Rank-one measurements (d = 20, r* = 2, κ = 2, m = 2400): G has mean Δ + tr(Δ) I/2, whose trace direction alone
   * has curvature 1 + r/2 and makes η = 0.5 oscillate (1 − 2η(1 + r/2) = −1 at r = 2) or diverge (r = 4). The step
   * matrix removes that bias, and the step size of the isotropic operators works: both reach 1e-8.
   */
  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.CsvSource({"SCALED,2", "PRECONDITIONED,2", "PRECONDITIONED,4"})
  void rankOneMeasurementsTakeTheSameStep(Method method, int r) {
    int d = 20;
    LowRankTruth truth = LowRankTruth.generate(d, 2, 2, 11);
    int m = 2400;
    io.lowrank.data.RankOneSensing inst = new io.lowrank.data.RankOneSensing(truth, m, 11, 0, 300);
    SensingProblem p = SensingProblem.setUp(new LocalEngine(inst.blocks()),
        new io.lowrank.model.sensing.RankOneOperator(d, m), truth);
    double[] x0 = method == Method.SCALED ? SensingInitializer.spectral(p, r)
        : SensingInitializer.smallRandom(d, r, 1e-3, 11);
    Result res = new ScaledGradientDescent(new Options(method, 0.5, 0, 0.1, 1, 1e-8, 400)).solve(p, x0, r);
    System.out.println("rank-one " + method + " r=" + r + ": " + res.status() + " after " + res.iterations());
    assertEquals(Status.CONVERGED, res.status());
    assertTrue(res.trace().last().distance() <= 1e-8);
    // Isometric steps contract by about 1 − 2η = 0 per iteration up to the operator's O(√(dr/m)) error: tens of
    // iterations (37–43 here), where the biased step needed 130 or did not converge in 400.
    assertTrue(res.iterations() <= 80, res.iterations() + " iterations");
  }

  @Test
  void precGdRecoversOverparameterizedAtKappa100() {
    SensingProblem p = problem(4);
    Result res = new ScaledGradientDescent(new Options(Method.PRECONDITIONED, 0.5, 0, 0.1, 1, 1e-8, 1000))
        .solve(p, SensingInitializer.smallRandom(D, 2 * RSTAR, 1e-3, 4), 2 * RSTAR);
    System.out.println("precgd r=2r*: " + res.status() + " after " + res.iterations());
    assertEquals(Status.CONVERGED, res.status());
  }

  @Test
  void scaledGdLambdaOverparameterizedDropsBelow1e3In200() {
    SensingProblem p = problem(5);
    double lambda = 0.1 * p.truth().sigmaMin();
    Result res = new ScaledGradientDescent(new Options(Method.SCALED_FIXED_LAMBDA, 0.5, lambda, 0.1, 1, 1e-3, 200))
        .solve(p, SensingInitializer.smallRandom(D, 2 * RSTAR, 1e-3, 5), 2 * RSTAR);
    System.out.println("scaledgd-lambda r=2r*: " + res.status() + " after " + res.iterations() + " err "
        + res.trace().last().distance());
    assertEquals(Status.CONVERGED, res.status());
  }

  @Test
  void scaledGdFromSpectralAndGd() {
    SensingProblem p = problem(6);
    Result res = new ScaledGradientDescent(new Options(Method.SCALED, 0.5, 0, 0.1, 1, 1e-8, 200))
        .solve(p, SensingInitializer.spectral(p, RSTAR), RSTAR);
    System.out.println("scaledgd r=r*: " + res.status() + " after " + res.iterations());
    assertEquals(Status.CONVERGED, res.status());
    Result gd = new ScaledGradientDescent(new Options(Method.GRADIENT, 0.5, 0, 0.1, p.sigmaMaxEstimate(), 1e-8, 300))
        .solve(p, SensingInitializer.spectral(p, RSTAR), RSTAR);
    System.out.println("gd r=r*: " + gd.status() + " after " + gd.iterations() + " err " + gd.trace().last().distance());
    // GD's rate is 1 − O(η/κ) per iteration: at κ = 100 it is still above 1e-3 after 300 iterations, where
    // ScaledGD from the same start is at 1e-8 within 200.
    assertEquals(Status.MAX_ITER, gd.status());
    assertTrue(gd.trace().last().distance() > 1e-3);
    assertTrue(gd.trace().last().distance() < gd.trace().records().get(0).distance());
  }
}
