package io.lowrank.solve;

/** How a solve ended. */
public enum Status {
  /** Distance to the truth, or the relative step, fell below the tolerance. */
  CONVERGED,
  /** The iterate stopped moving at a point that is not a solution (e.g. BWGD's frozen sign pattern). */
  STALLED,
  /** The iteration budget ran out first. */
  MAX_ITER,
  /** The loss or the iterate became non-finite or blew up. */
  DIVERGED
}
