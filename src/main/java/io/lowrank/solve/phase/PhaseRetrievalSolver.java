package io.lowrank.solve.phase;

import io.lowrank.solve.Result;

/** A phase-retrieval solver: iterates from a start x_0 over a {@link PhaseRetrievalProblem}. */
public interface PhaseRetrievalSolver {
  /** The name used in {@code --solver}, traces and Spark job descriptions. */
  String name();

  Result solve(PhaseRetrievalProblem problem, double[] x0);
}
