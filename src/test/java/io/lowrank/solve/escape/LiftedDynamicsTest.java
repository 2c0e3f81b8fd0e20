package io.lowrank.solve.escape;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The closed forms β̃(t) = ρν^t, γ̃(t) = −ηρκΣ_{τ<t}ν^τ against the step-by-step recurrence they solve. */
class LiftedDynamicsTest {
  /** Runs β ← νβ, γ ← γ − ηκβ for T steps in doubles and compares every 1000th step. */
  private static void compareWithRecurrence(LiftedDynamics d, int steps, double tol) {
    double nu = 1 + d.nuMinusOne();
    double kappa = Math.exp(d.logKappa());
    double beta = d.rho();
    double gamma = 0;
    for (int t = 0; t <= steps; t++) {
      if (t % 1000 == 0 || t == steps) {
        assertEquals(beta, d.beta(t), tol * Math.abs(beta), "beta at t = " + t);
        assertEquals(gamma, d.gamma(t), tol * Math.max(Math.abs(gamma), 1e-300), "gamma at t = " + t);
      }
      gamma -= d.eta() * kappa * beta;
      beta *= nu;
    }
  }

  @Test
  void paperRunMatchesTheRecurrence() {
    // λ_n, σ_r of the perturbed-completion n = 3 run: ν − 1 = 5e-8, where 1 − ν in doubles would lose 8 digits.
    // 59 000 recurrence steps accumulate ~59 000 roundings of relative 1e-16: 1e-10 leaves a wide margin.
    compareWithRecurrence(new LiftedDynamics(-0.3303196463802892, 1.2921409943137854, 11, 0.3, 0.01), 59_000, 1e-10);
  }

  @Test
  void toyAndShrinkingCasesMatchTheRecurrence() {
    compareWithRecurrence(new LiftedDynamics(-0.75, Math.sqrt(0.5), 3, 0.3, 0.01), 20_000, 1e-10);
    // λ_n > 0: ν < 1, β decays and γ saturates at ηρκ/(1 − ν).
    compareWithRecurrence(new LiftedDynamics(0.5, 1.1, 5, 0.2, 0.05), 20_000, 1e-10);
  }

  @Test
  void logDomainSurvivesWhereTheDirectFormOverflows() {
    LiftedDynamics d = new LiftedDynamics(-2, 1, 11, 0.3, 0.01); // ν = 1 + 20.48: ν^t overflows at t ≈ 230
    double t = 10_000;
    assertTrue(Double.isFinite(d.logBeta(t)) && Double.isFinite(d.logAbsGamma(t)));
    // log|γ| − log β → log(ηκ/(ν − 1)) as t grows (the sum is ν^t/(ν − 1) to first order); t·log ν ≈ 3·10⁴ carries
    // an absolute rounding of ~10⁻¹¹, hence 1e-10.
    assertEquals(Math.log(0.01) + d.logKappa() - Math.log(d.nuMinusOne()), d.logAbsGamma(t) - d.logBeta(t), 1e-10);
  }

  @Test
  void stepsForInvertsTheClosedForm() {
    LiftedDynamics d = new LiftedDynamics(-0.3303196463802892, 1.2921409943137854, 11, 0.3, 0.01);
    double target = Math.log(2.9022637762752064); // |γ̃(59 000)| of the paper's run
    long t = d.stepsFor(target, 100, 1L << 40);
    assertEquals(59_000, t, 1);
    assertTrue(d.logAbsGamma(t) >= target && d.logAbsGamma(t - 1) < target);
    // A β-target already met by ρ: T = 0, the one-step escape.
    assertEquals(0, d.stepsFor(target, Math.log(0.1), 1L << 40));
    assertEquals(1000, d.stepsFor(50, 100, 1000), "capped");
  }

  @Test
  void evenPowersAndNonPositiveStepsAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> new LiftedDynamics(-1, 1, 4, 0.3, 0.01));
    assertThrows(IllegalArgumentException.class, () -> new LiftedDynamics(-1, 1, 3, 0, 0.01));
    assertThrows(IllegalArgumentException.class, () -> new LiftedDynamics(-1, 1, 3, 0.3, -1));
  }
}
