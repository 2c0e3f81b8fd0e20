package io.lowrank.model.escape;

import io.lowrank.data.Block;
import io.lowrank.model.BlockKernel;
import io.lowrank.model.factor.FactorOperator;
import io.lowrank.model.factor.FactorStats;
import java.io.Serializable;

/**
 * A*A(P Q^T) applied to V in one pass: φ_i = ⟨A_i, P Q^T⟩ (no responses), then Σ φ_i A_i V through the operator's own
 * adjoint (for a symmetric operator the symmetric part of P Q^T is what is measured). The escape's third direction
 * c = A*A(u v^T + v u^T) X̂ is this pass at (P, Q) = (2u, v), V = X̂.
 */
public final class NormalOperatorKernel implements BlockKernel<NormalOperatorKernel.State, FactorStats> {
  private static final long serialVersionUID = 1L;

  /** P d1×c, Q d2×c; V d2×cv (and U d1×cv for G^T U when asymmetric). */
  public record State(FactorOperator operator, double[] p, double[] q, int c, double[] v, double[] u, int cv)
      implements Serializable {}

  @Override
  public FactorStats zero(State s) {
    return new FactorStats(s.operator.adjointLength(s.cv));
  }

  @Override
  public void add(FactorStats acc, Block block, State s) {
    double[] phi = new double[block.rows];
    s.operator.measure(block, s.p, s.q, s.c, phi);
    double ss = 0;
    for (int i = 0; i < block.rows; i++) {
      ss += phi[i] * phi[i];
    }
    s.operator.addAdjoint(block, phi, s.v, s.u == null ? s.v : s.u, s.cv, acc.adjoint);
    acc.sumSquares += ss;
    acc.rows += block.rows;
  }

  /** A*A(P Q^T) V (and its transpose part) from the merged pass. */
  public static double[] product(State s, FactorStats stats) {
    return s.operator.applyAdjoint(stats.adjoint, s.v, s.u == null ? s.v : s.u, s.cv);
  }
}
