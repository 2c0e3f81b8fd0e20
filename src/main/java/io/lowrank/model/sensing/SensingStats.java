package io.lowrank.model.sensing;

import io.lowrank.linalg.Linalg;
import io.lowrank.model.Aggregate;

/** What a sensing pass returns: Σ r_i A_i in the operator's layout, Σ r_i², Σ r_i and the row count. */
public final class SensingStats implements Aggregate<SensingStats> {
  private static final long serialVersionUID = 1L;
  /** Σ r_i A_i, in the operator's layout ({@link SensingOperator#symmetricMatrix} makes it d×d). */
  public final double[] sum;
  /** Σ r_i² (the loss is a quarter of it). */
  public double sumSquares;
  /** Σ r_i. */
  public double sumResiduals;
  public long rows;

  public SensingStats(int length) {
    this.sum = new double[length];
  }

  @Override
  public SensingStats merge(SensingStats other) {
    Linalg.axpy(1.0, other.sum, sum);
    sumSquares += other.sumSquares;
    sumResiduals += other.sumResiduals;
    rows += other.rows;
    return this;
  }
}
