package io.lowrank.solve.escape;

import java.io.Serializable;

/**
 * Gradient descent X ← X − s ∇h(X) between escapes, and when it counts as stalled.
 *
 * @param step s &gt; 0
 * @param maxSteps budget of one descent phase (the paper's runs stop on it: 6 000 steps)
 * @param gradientTol τ: stalled when ‖∇h‖_F ≤ τ (0 = off)
 * @param window W: stalled when h dropped by less than {@code windowTol}·h over the last W steps (0 = off)
 * @param windowTol the relative drop of the window test
 * @param lossTol solved when h ≤ lossTol (the global value 0 reached: no escape needed)
 * @param totalSteps budget of all phases together (GD alone gets the same)
 */
public record DescentOptions(double step, int maxSteps, double gradientTol, int window, double windowTol,
    double lossTol, long totalSteps) implements Serializable {
  public DescentOptions {
    if (!(step > 0) || !Double.isFinite(step)) {
      throw new IllegalArgumentException("escape.gd.step must be finite and > 0, got " + step);
    }
    if (maxSteps < 1 || totalSteps < 1) {
      throw new IllegalArgumentException("escape.gd.steps and escape.gd.total-steps must be >= 1, got " + maxSteps
          + " and " + totalSteps);
    }
    if (!(gradientTol >= 0) || window < 0 || !(windowTol >= 0) || !(lossTol >= 0)) {
      throw new IllegalArgumentException("escape.gd.gradient-tol, window, window-tol and loss-tol must be >= 0");
    }
  }

  /** The paper's runs: step 0.001 for 6 000 steps. */
  public static DescentOptions paper() {
    return new DescentOptions(0.001, 6000, 0, 0, 0, 1e-14, 1_000_000);
  }
}
