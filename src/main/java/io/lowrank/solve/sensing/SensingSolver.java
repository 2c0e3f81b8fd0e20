package io.lowrank.solve.sensing;

import io.lowrank.solve.Result;

/**
 * A matrix-sensing solver: iterates on the factor X (d×r, column-major) of M = XX^T from a start X_0 over a
 * {@link SensingProblem} (which holds the engine, the operator and the truth M* when known).
 */
public interface SensingSolver {
  /** The name used in {@code --solver}, traces and Spark job descriptions. */
  String name();

  /**
   * Iterates from X_0 until the solver's stopping rule fires or its budget ends.
   *
   * @param problem the set-up problem
   * @param x0 X_0, d×r column-major
   * @param r the search rank (1 ≤ r ≤ d; r &gt; r* over-parameterises)
   */
  Result solve(SensingProblem problem, double[] x0, int r);
}
