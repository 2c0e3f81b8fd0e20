package io.lowrank.model.factor;

import io.lowrank.data.Block;
import io.lowrank.model.BlockKernel;
import io.lowrank.model.Loss;
import java.io.Serializable;

/**
 * The loss pass of a factored model under a {@link Loss} ρ: residuals r_i = ⟨A_i, P Q^T⟩ − y_i, Σ ρ(r_i), and
 * G = Σ ψ(r_i) A_i applied to (V, U): G V (d1×c) and G^T U (d2×c). At (V, U) = (Q, P) these are the factor
 * gradients of Σ ρ(r_i) (∇_P = G Q, ∇_Q = G^T P; for W W^T, ∇_W = 2 G W); other (V, U) give G times any vectors at
 * the same point (Lanczos on G, escape directions) in the same single pass.
 */
public final class FactorKernel implements BlockKernel<FactorKernel.State, FactorStats> {
  private static final long serialVersionUID = 1L;

  /**
   * @param p d1×c, the left factor of the point (W for W W^T)
   * @param q d2×c, the right factor (the same array as p for W W^T)
   * @param v d2×cv, what G multiplies
   * @param u d1×cv, what G^T multiplies (unused when symmetric)
   */
  public record State(FactorOperator operator, Loss loss, double[] p, double[] q, int c, double[] v, double[] u,
      int cv) implements Serializable {
    /** The gradient pass at P Q^T: G Q and G^T P. */
    public static State at(FactorOperator operator, Loss loss, double[] p, double[] q, int c) {
      return new State(operator, loss, p, q, c, q, p, c);
    }

    /** The gradient pass at W W^T: G W. */
    public static State at(FactorOperator operator, Loss loss, double[] w, int c) {
      return new State(operator, loss, w, w, c, w, w, c);
    }
  }

  @Override
  public FactorStats zero(State s) {
    return new FactorStats(s.operator.adjointLength(s.cv));
  }

  @Override
  public void add(FactorStats acc, Block block, State s) {
    double[] r = new double[block.rows];
    s.operator.measure(block, s.p, s.q, s.c, r);
    double ss = 0;
    double sum = 0;
    for (int i = 0; i < block.rows; i++) {
      double ri = r[i] - block.y[i];
      r[i] = ri;
      ss += ri * ri;
      sum += ri;
    }
    acc.sumLoss += s.loss.toWeights(r, block.rows);
    s.operator.addAdjoint(block, r, s.v, s.u, s.cv, acc.adjoint);
    acc.sumSquares += ss;
    acc.sumResiduals += sum;
    acc.rows += block.rows;
  }

  /** [G V ; G^T U] (or G V when symmetric) from the merged pass. */
  public static double[] products(State s, FactorStats stats) {
    return s.operator.applyAdjoint(stats.adjoint, s.v, s.u, s.cv);
  }
}
