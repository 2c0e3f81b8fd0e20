package io.lowrank.model.landscape;

import io.lowrank.data.Block;
import io.lowrank.model.factor.FactorOperator;

/**
 * The residuals at the truth, r_i* = ⟨A_i, M*⟩ − y_i with M* = W W^T, and the rule that reads the corrupted
 * measurements off them: y_i = ⟨A_i, M*⟩ + s_i, so r_i* = −s_i, and measurement i is corrupted when |r_i*| exceeds τ
 * (a tolerance above rounding; the run layer sets τ relative to max |⟨A_i, M*⟩|), with sign(s_i) = −sign(r_i*).
 */
public final class TruthResiduals {
  private TruthResiduals() {}

  /** r_i* for the block's rows. */
  public static double[] of(FactorOperator op, Block block, double[] w, int r) {
    double[] res = new double[block.rows];
    op.measure(block, w, w, r, res);
    for (int i = 0; i < block.rows; i++) {
      res[i] -= block.y[i];
    }
    return res;
  }

  /**
   * ξ_i = sign(r_i*) for a corrupted measurement (|r_i*| &gt; τ), 0 for a clean one: the ℓ1 loss's fixed subgradient
   * weight at the truth (the clean ones' weights are free in [−1, 1]).
   */
  public static double corruptedSign(double residual, double tau) {
    return Math.abs(residual) > tau ? Math.signum(residual) : 0.0;
  }
}
