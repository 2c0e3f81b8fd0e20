package io.lowrank.solve.escape;

import io.lowrank.solve.Status;
import io.lowrank.solve.Stopping;

/**
 * When one descent phase ends: CONVERGED when h ≤ lossTol (the global value reached), STALLED when ‖∇h‖_F ≤ τ (a
 * first-order point that is not a solution), DIVERGED by the shared test, MAX_ITER when the budget runs out (the
 * relative-drop window is the solver's, which keeps the history).
 */
record StallStopping(double gradientTol, double lossTol, int maxIterations) implements Stopping {
  @Override
  public Status check(Progress p) {
    if (Stopping.diverged(p)) {
      return Status.DIVERGED;
    }
    if (p.record().loss() <= lossTol) {
      return Status.CONVERGED;
    }
    return p.record().gradientNorm() <= gradientTol ? Status.STALLED : null;
  }

  @Override
  public boolean checksStart() {
    return true;
  }
}
