package io.lowrank.solve;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Per-iteration records of a solve. Row 0 is the starting point. Quantities that do not apply (μ for an
 * unsmoothed method, the distance when the truth is unknown) are {@code NaN} here and written as empty cells.
 */
public final class Trace implements Serializable {
  private static final long serialVersionUID = 1L;

  /** CSV header, in the order of {@link Record#csv()}. */
  public static final String CSV_HEADER = "iteration,loss,gradient_norm,mu,step_norm,distance_to_truth,passes,wall_ms";

  /**
   * One iteration.
   *
   * @param iteration 0 for the start
   * @param loss objective at the iterate
   * @param gradientNorm norm of the (smoothed) gradient at the iterate
   * @param mu smoothing parameter μ (or damping λ) used for the step that led here; NaN when none
   * @param stepNorm ‖x_t − x_{t−1}‖ / ‖x_{t−1}‖; NaN at row 0
   * @param distance dist(x_t, x*) when the truth is known, else NaN
   * @param passes distributed passes this iteration took
   * @param wallMs wall-clock milliseconds this iteration took
   */
  public record Record(int iteration, double loss, double gradientNorm, double mu, double stepNorm,
      double distance, long passes, long wallMs) implements Serializable {
    public String csv() {
      return iteration + "," + cell(loss) + "," + cell(gradientNorm) + "," + cell(mu) + "," + cell(stepNorm) + ","
          + cell(distance) + "," + passes + "," + wallMs;
    }
  }

  private final List<Record> records = new ArrayList<>();

  public void add(Record r) {
    records.add(r);
  }

  public List<Record> records() {
    return Collections.unmodifiableList(records);
  }

  public Record last() {
    return records.get(records.size() - 1);
  }

  public int size() {
    return records.size();
  }

  /** The trace as CSV text with a header row. */
  public String toCsv() {
    StringBuilder sb = new StringBuilder(CSV_HEADER).append('\n');
    for (Record r : records) {
      sb.append(r.csv()).append('\n');
    }
    return sb.toString();
  }

  /** A number as a CSV cell: empty when not finite, so outputs never contain NaN. */
  public static String cell(double v) {
    return Double.isFinite(v) ? Double.toString(v) : "";
  }
}
