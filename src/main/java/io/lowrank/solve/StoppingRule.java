package io.lowrank.solve;

/**
 * Phase retrieval's stopping rule (BWGD, smoothing Newton, the Wirtinger-flow family): distance or step, with the
 * stall rule for a frozen sign pattern.
 *
 * @param tol stop when the distance to the truth (when known) or the relative step falls to tol
 * @param maxIterations iteration budget (MAX_ITER when it runs out)
 * @param stallLossTol a point where the step vanished is a solution only when its loss is at most
 *     stallLossTol · lossScale (or when the solver says it is still moving, e.g. its sign pattern changes)
 */
public record StoppingRule(double tol, int maxIterations, double stallLossTol) implements Stopping {
  public StoppingRule {
    if (!(tol > 0)) {
      throw new IllegalArgumentException("tol must be > 0, got " + tol);
    }
    if (maxIterations < 1) {
      throw new IllegalArgumentException("max-iter must be >= 1, got " + maxIterations);
    }
    if (!(stallLossTol >= 0)) {
      throw new IllegalArgumentException("stall.loss-tol must be >= 0, got " + stallLossTol);
    }
  }

  /**
   * DIVERGED by the shared test; CONVERGED when the distance ≤ tol; when the relative step ≤ tol, STALLED if the
   * discrete state is frozen at a loss above stallLossTol · lossScale (solvers without a discrete state report
   * frozen), else CONVERGED without a truth and going on with one (the distance decides).
   */
  @Override
  public Status check(Progress p) {
    if (Stopping.diverged(p)) {
      return Status.DIVERGED;
    }
    Trace.Record r = p.record();
    if (r.distance() <= tol) {
      return Status.CONVERGED;
    }
    if (r.stepNorm() <= tol) {
      boolean fits = r.loss() <= stallLossTol * p.lossScale() || !p.frozen();
      if (!fits) {
        return Status.STALLED;
      }
      // With a truth, CONVERGED means the distance met tol: a small step above it (a linearly convergent method a
      // few iterations short, or a fit of the data that is not x*) is no reason to stop and claim it.
      return p.truthKnown() ? null : Status.CONVERGED;
    }
    return null;
  }
}
