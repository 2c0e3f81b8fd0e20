package io.lowrank.solve.phase;

import io.lowrank.solve.Result;

/** A phase-retrieval solver: iterates from a start x_0 over a {@link PhaseRetrievalProblem}. */
public interface PhaseRetrievalSolver {
  /** The name used in {@code --solver}, traces and Spark job descriptions. */
  String name();

  /**
   * Iterates from x_0 until the solver's stopping rule fires or its budget ends.
   *
   * @param problem the set-up problem (Ŝ factored, truth x* when known)
   * @param x0 the start x_0, e.g. from {@link SpectralInitializer}
   */
  Result solve(PhaseRetrievalProblem problem, double[] x0);
}
