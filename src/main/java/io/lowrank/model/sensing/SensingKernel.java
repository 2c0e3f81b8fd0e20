package io.lowrank.model.sensing;

import io.lowrank.data.Block;
import io.lowrank.model.BlockKernel;
import io.lowrank.model.Loss;
import java.io.Serializable;

/** The sensing pass at X under a loss: delegates each block to the operator in the state. */
public final class SensingKernel implements BlockKernel<SensingKernel.State, SensingStats> {
  private static final long serialVersionUID = 1L;

  /**
   * @param operator the sensing operator
   * @param x the iterate X, d×r column-major
   * @param r columns of X
   * @param prepared {@link SensingOperator#prepare}(x, r), formed once on the driver
   * @param loss the loss ρ whose Σ ρ(r_i) and Σ ψ(r_i) A_i the pass returns
   */
  public record State(SensingOperator operator, double[] x, int r, double[] prepared, Loss loss)
      implements Serializable {
    /** The state at X under the ℓ2 loss, with the operator's driver-side preparation. */
    public static State at(SensingOperator operator, double[] x, int r) {
      return at(operator, Loss.l2(), x, r);
    }

    /** The state at X under {@code loss}, with the operator's driver-side preparation. */
    public static State at(SensingOperator operator, Loss loss, double[] x, int r) {
      return new State(operator, x, r, operator.prepare(x, r), loss);
    }
  }

  @Override
  public SensingStats zero(State s) {
    return new SensingStats(s.operator.aggregateLength());
  }

  @Override
  public void add(SensingStats acc, Block block, State s) {
    s.operator.accumulate(acc, block, s.x, s.r, s.prepared, s.loss);
  }
}
