package io.lowrank.solve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The stopping rules of each family and their one shared divergence test. */
class StoppingTest {
  private static Stopping.Progress progress(double loss, double step, double distance, double[] x, boolean truth,
      boolean frozen) {
    return new Stopping.Progress(new Trace.Record(1, loss, 1, Double.NaN, step, distance, 1, 0), x, 1, 2, truth,
        frozen);
  }

  @Test
  void oneDivergenceTestForEveryRule() {
    double[] x = {1};
    double above = Stopping.DIVERGENCE_FACTOR * 2 * 1.01; // the scale is max(start loss 1, loss scale 2)
    for (Stopping rule : List.of(new StoppingRule(1e-8, 10, 0), new Stopping.RelativeErrorOrStep(1e-8, 10),
        new Stopping.GradientOrHorizon(1e-8, 10), new Stopping.ErrorOrVanishingStep(1e-8, 10, 1e-4))) {
      assertEquals(Status.DIVERGED, rule.check(progress(above, 0.1, 0.1, x, true, true)), rule.toString());
      assertEquals(Status.DIVERGED, rule.check(progress(Double.NaN, 0.1, 0.1, x, true, true)), rule.toString());
      assertEquals(Status.DIVERGED, rule.check(progress(1, 0.1, 0.1, new double[] {Double.POSITIVE_INFINITY}, true,
          true)), rule.toString());
      assertNull(rule.check(progress(Stopping.DIVERGENCE_FACTOR, 0.1, 0.1, x, true, true)), rule.toString());
    }
  }

  @Test
  void phaseRetrievalRuleStallsOnlyWhenFrozenAtANonZeroLoss() {
    StoppingRule rule = new StoppingRule(1e-8, 10, 1e-12);
    double[] x = {1};
    assertEquals(Status.CONVERGED, rule.check(progress(1, 0.1, 1e-9, x, true, true)));
    assertEquals(Status.STALLED, rule.check(progress(1, 1e-9, 0.1, x, true, true)));
    // A small step that is not a stall: CONVERGED without a truth; with one, the distance decides (go on).
    assertEquals(Status.CONVERGED, rule.check(progress(1, 1e-9, Double.NaN, x, false, false)));
    assertEquals(Status.CONVERGED, rule.check(progress(1e-13, 1e-9, Double.NaN, x, false, true)));
    assertNull(rule.check(progress(1, 1e-9, 0.1, x, true, false)));
    assertNull(rule.check(progress(1e-13, 1e-9, 0.1, x, true, true)));
    assertNull(rule.check(progress(1, 0.1, 0.1, x, true, true)));
  }

  /** SubGM's rule: a step that died out next to the remaining error is STALLED; a run-away iterate is not. */
  @Test
  void vanishingStepRuleStallsWhenTheStepsDieOutFirst() {
    double[] x = {1};
    Stopping.ErrorOrVanishingStep rule = new Stopping.ErrorOrVanishingStep(1e-6, 10, 1e-4);
    assertEquals(Status.CONVERGED, rule.check(progress(1, 1e-9, 1e-7, x, true, true)));
    assertEquals(Status.STALLED, rule.check(progress(1, 1e-6, 0.1, x, true, true)));
    assertNull(rule.check(progress(1, 1e-4, 0.1, x, true, true)), "a step of the error's order is progress");
    // Far off (distance 1e5) with a bounded step: capped at distance 1, so only a step below 1e-4 stalls.
    assertNull(rule.check(progress(1, 1e-2, 1e5, x, true, true)));
    assertEquals(Status.STALLED, rule.check(progress(1, 1e-5, 1e5, x, true, true)));
    // Without a truth: the relative step (or an exact fit).
    assertEquals(Status.CONVERGED, rule.check(progress(1, 1e-7, Double.NaN, x, false, true)));
    assertNull(rule.check(progress(1, 1e-3, Double.NaN, x, false, true)));
    assertThrows(IllegalArgumentException.class, () -> new Stopping.ErrorOrVanishingStep(1e-6, 10, 1));
  }

  @Test
  void sensingRuleUsesTheTruthWhenKnown() {
    double[] x = {1};
    Stopping.RelativeErrorOrStep plain = new Stopping.RelativeErrorOrStep(1e-8, 10);
    assertEquals(Status.CONVERGED, plain.check(progress(1, 0.1, 1e-9, x, true, true)));
    assertNull(plain.check(progress(1, 0, 0.1, x, true, true)), "no stall test: the budget ends the run");
    assertEquals(Status.CONVERGED, plain.check(progress(1, 1e-9, Double.NaN, x, false, true)));
    assertEquals(Status.CONVERGED, plain.check(progress(0, 0.1, Double.NaN, x, false, true)));
    Stopping.RelativeErrorOrStep stalling = new Stopping.RelativeErrorOrStep(1e-8, 10, 1e-15);
    assertEquals(Status.STALLED, stalling.check(progress(1, 1e-16, 0.1, x, true, true)));
    assertNull(stalling.check(progress(1, 1e-9, 0.1, x, true, true)));
  }

  @Test
  void denoisingRuleIsRelativeToMu() {
    Stopping.GradientOrHorizon rule = new Stopping.GradientOrHorizon(1e-3, 10);
    double[] x = {1};
    Stopping.Progress small = new Stopping.Progress(new Trace.Record(1, -2, 1e-3, 2, 0.1, Double.NaN, 1, 0), x, -2,
        Double.POSITIVE_INFINITY, false, true);
    assertEquals(Status.CONVERGED, rule.check(small));
    assertNull(new Stopping.GradientOrHorizon(0, 10).check(small), "tol 0: a fixed horizon");
    assertEquals(10, rule.maxIterations());
    assertTrue(rule.checksStart());
  }

  @Test
  void rulesNameTheirInvalidSettings() {
    assertMessage("tol", () -> new StoppingRule(0, 10, 0));
    assertMessage("max-iter", () -> new StoppingRule(1e-8, 0, 0));
    assertMessage("stall.loss-tol", () -> new StoppingRule(1e-8, 10, -1));
    assertMessage("tol", () -> new Stopping.RelativeErrorOrStep(Double.NaN, 10));
    assertMessage("max-iter", () -> new Stopping.RelativeErrorOrStep(1e-8, 0));
    assertMessage("stall step", () -> new Stopping.RelativeErrorOrStep(1e-8, 10, -1));
    assertMessage("steps", () -> new Stopping.GradientOrHorizon(0, -1));
    assertMessage("tol", () -> new Stopping.GradientOrHorizon(-1, 10));
  }

  private static void assertMessage(String part, Runnable r) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, r::run);
    assertTrue(e.getMessage().contains(part), e.getMessage());
  }
}
