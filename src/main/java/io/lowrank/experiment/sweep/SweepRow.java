package io.lowrank.experiment.sweep;

import io.lowrank.solve.Trace;
import java.io.Serializable;
import java.util.Map;

/**
 * One row of a sweep's results: one trial of one cell.
 *
 * @param cellId the cell's stable id
 * @param trial the trial's index (0-based)
 * @param seed the trial's instance seed
 * @param engine task or distributed
 * @param error null, or what a failed trial threw (its status is then FAILED)
 * @param metrics the family's metrics (the spec's selection), by name
 * @param trace the trial's per-iteration trace when the spec keeps traces, else null
 */
public record SweepRow(String cellId, int trial, long seed, String engine, String error, Map<String, Object> metrics,
    Trace trace) implements Serializable {
  /** The status of a trial whose run threw. */
  public static final String FAILED = "FAILED";

  /** (cell id, trial): the key of the results table. */
  public String key() {
    return cellId + "#" + trial;
  }
}
