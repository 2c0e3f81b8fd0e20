package io.lowrank.model.factor;

import io.lowrank.linalg.Linalg;
import io.lowrank.model.Aggregate;

/**
 * What a {@link FactorKernel} pass returns: the adjoint accumulator of G = Σ ψ(r_i) A_i applied to the pass's factors
 * (finish it with {@link FactorOperator#applyAdjoint}), Σ ρ(r_i), Σ r_i², Σ r_i and the row count.
 */
public final class FactorStats implements Aggregate<FactorStats> {
  private static final long serialVersionUID = 1L;
  /** The operator's accumulator of Σ ψ(r_i) A_i applied to the factors. */
  public final double[] adjoint;
  public double sumLoss;
  public double sumSquares;
  public double sumResiduals;
  public long rows;

  public FactorStats(int length) {
    this.adjoint = new double[length];
  }

  @Override
  public FactorStats merge(FactorStats other) {
    Linalg.axpy(1.0, other.adjoint, adjoint);
    sumLoss += other.sumLoss;
    sumSquares += other.sumSquares;
    sumResiduals += other.sumResiduals;
    rows += other.rows;
    return this;
  }
}
