package io.lowrank.solve;

/**
 * What a solver returns.
 *
 * @param estimate the final iterate
 * @param status how the solve ended
 * @param trace per-iteration records (row 0 = start)
 * @param passes distributed passes over the data so far, set-up and initialisation passes included
 * @param seconds wall-clock seconds of the solve
 */
public record Result(double[] estimate, Status status, Trace trace, long passes, double seconds) {
  /** Iterations taken (the start is not an iteration). */
  public int iterations() {
    return trace.size() - 1;
  }
}
