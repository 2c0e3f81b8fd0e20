package io.lowrank.job;

import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * {@code --solver}, {@code --tol} and {@code --max-iter}: the same three flags in every command that solves, each
 * setting the key of that name in the command's family section ({@code phase-retrieval.tol}, {@code sensing.tol}).
 */
public final class SolverOptions {
  @Option(names = "--solver", paramLabel = "NAME", description = "Solver: the command's description names them and the default.")
  String solver;

  @Option(names = "--tol", paramLabel = "X", description = "Stopping tolerance (the default is in the command's description).")
  Double tol;

  @Option(names = "--max-iter", paramLabel = "N", description = "Iteration budget (the default is in the command's description).")
  Integer maxIter;

  /** The flags that were given, as keys of {@code section}. */
  public Map<String, Object> overrides(String section) {
    Map<String, Object> m = new LinkedHashMap<>();
    JobConfig.flag(m, section + ".solver", solver);
    JobConfig.flag(m, section + ".tol", tol);
    JobConfig.flag(m, section + ".max-iter", maxIter);
    return m;
  }
}
