package io.lowrank.model.sensing;

import io.lowrank.linalg.Linalg;
import io.lowrank.model.Aggregate;

/**
 * What a sensing pass returns under its {@link io.lowrank.model.Loss} ρ: Σ ψ(r_i) A_i in the operator's layout (Σ r_i A_i
 * for ℓ2), Σ ρ(r_i), Σ r_i², Σ r_i and the row count.
 */
public final class SensingStats implements Aggregate<SensingStats> {
  private static final long serialVersionUID = 1L;
  /** G = Σ ψ(r_i) A_i, in the operator's layout ({@link SensingOperator#symmetricMatrix} makes it d×d). */
  public final double[] sum;
  /** Σ r_i² (whatever the loss: the ℓ2 loss is a quarter of it). */
  public double sumSquares;
  /** Σ ρ(r_i): the pass's loss f = (1/2) Σ ρ(r_i). */
  public double sumLoss;
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
    sumLoss += other.sumLoss;
    sumResiduals += other.sumResiduals;
    rows += other.rows;
    return this;
  }
}
