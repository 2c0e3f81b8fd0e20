package io.lowrank.model.landscape;

import io.lowrank.data.Block;
import io.lowrank.model.Aggregate;
import io.lowrank.model.BlockKernel;
import io.lowrank.model.factor.FactorOperator;
import java.io.Serializable;

/**
 * The first pass at the truth: max_i |⟨A_i, M*⟩| (the scale "non-zero beyond rounding" is relative to), max_i |r_i*|
 * and the row count.
 */
public final class TruthScaleKernel implements BlockKernel<TruthScaleKernel.State, TruthScaleKernel.Scale> {
  private static final long serialVersionUID = 1L;

  /** @param w W_r*, d×r column-major (M* = W W^T) */
  public record State(FactorOperator operator, double[] w, int r) implements Serializable {}

  /** The pass's result. */
  public static final class Scale implements Aggregate<Scale> {
    private static final long serialVersionUID = 1L;
    /** max_i |⟨A_i, M*⟩|. */
    public double maxAbsClean;
    /** max_i |r_i*|. */
    public double maxAbsResidual;
    public long rows;

    @Override
    public Scale merge(Scale o) {
      maxAbsClean = Math.max(maxAbsClean, o.maxAbsClean);
      maxAbsResidual = Math.max(maxAbsResidual, o.maxAbsResidual);
      rows += o.rows;
      return this;
    }
  }

  @Override
  public Scale zero(State s) {
    return new Scale();
  }

  @Override
  public void add(Scale acc, Block block, State s) {
    double[] res = TruthResiduals.of(s.operator, block, s.w, s.r);
    for (int i = 0; i < block.rows; i++) {
      acc.maxAbsClean = Math.max(acc.maxAbsClean, Math.abs(res[i] + block.y[i]));
      acc.maxAbsResidual = Math.max(acc.maxAbsResidual, Math.abs(res[i]));
    }
    acc.rows += block.rows;
  }
}
