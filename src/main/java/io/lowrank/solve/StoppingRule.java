package io.lowrank.solve;

import io.lowrank.linalg.Linalg;
import java.io.Serializable;

/**
 * The stopping rules every iterative solver shares, checked after each iteration.
 *
 * @param tol stop when the distance to the truth (when known) or the relative step falls to tol
 * @param maxIterations iteration budget (MAX_ITER when it runs out: the caller's loop bound)
 * @param stallLossTol a point where the step vanished is a solution only when its loss is at most
 *     stallLossTol · lossScale (or when the solver says it is still moving, e.g. its sign pattern changes)
 */
public record StoppingRule(double tol, int maxIterations, double stallLossTol) implements Serializable {
  private static final double DIVERGENCE_FACTOR = 1e8;

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
   * The status after an iteration, or null to go on.
   *
   * @param r the iteration's record (loss, step, distance)
   * @param x the new iterate
   * @param startLoss the loss at the start
   * @param lossScale the scale the loss is judged against (e.g. mean y)
   * @param frozen whether the solver's discrete state stopped changing (e.g. BWGD's sign pattern); solvers
   *     without one pass true, so a vanishing step at a non-zero loss is STALLED
   */
  public Status check(Trace.Record r, double[] x, double startLoss, double lossScale, boolean frozen) {
    if (!Double.isFinite(r.loss()) || !Linalg.isFinite(x)
        || r.loss() > DIVERGENCE_FACTOR * Math.max(startLoss, lossScale)) {
      return Status.DIVERGED;
    }
    if (r.distance() <= tol) {
      return Status.CONVERGED;
    }
    if (r.stepNorm() <= tol) {
      return r.loss() <= stallLossTol * lossScale || !frozen ? Status.CONVERGED : Status.STALLED;
    }
    return null;
  }

  /** ‖next − x‖ / ‖x‖. */
  public static double relativeStep(double[] x, double[] next) {
    return Linalg.norm(Linalg.minus(next, x)) / Math.max(Linalg.norm(x), Double.MIN_NORMAL);
  }
}
