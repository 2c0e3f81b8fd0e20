package io.lowrank.model.escape;

import io.lowrank.data.Block;
import io.lowrank.model.BlockKernel;
import io.lowrank.model.VectorSum;
import io.lowrank.model.factor.FactorOperator;
import java.io.Serializable;
import java.util.List;

/**
 * Σ_i ⟨A_i, M_j⟩⟨A_i, M_k⟩ for listed pairs (j, k) of matrices M_j = P_j Q_j^T, all in one pass: with (k, k) pairs,
 * ‖A(M_k)‖² for the K random matrices of the δ_p estimate; with (j, k), the certificate's cross term
 * daa = Σ_i ⟨A_i, u v^T + v u^T⟩⟨A_i, u u^T⟩. The matrices are measured once per block each.
 */
public final class MeasurementProductKernel implements BlockKernel<MeasurementProductKernel.State, VectorSum> {
  private static final long serialVersionUID = 1L;

  /**
   * @param matrices the M_j
   * @param pairs flattened (j, k) index pairs; the result has one sum per pair, in order
   */
  public record State(FactorOperator operator, List<FactorPair> matrices, int[] pairs) implements Serializable {
    public State {
      if (pairs.length % 2 != 0) {
        throw new IllegalArgumentException("pairs must hold (j, k) index pairs, got " + pairs.length + " indices");
      }
      for (int j : pairs) {
        if (j < 0 || j >= matrices.size()) {
          throw new IllegalArgumentException("pair index " + j + " outside [0, " + matrices.size() + ")");
        }
      }
    }

    /** ‖A(M_k)‖² for every k. */
    public static State squaredNorms(FactorOperator operator, List<FactorPair> matrices) {
      int[] pairs = new int[2 * matrices.size()];
      for (int k = 0; k < matrices.size(); k++) {
        pairs[2 * k] = k;
        pairs[2 * k + 1] = k;
      }
      return new State(operator, matrices, pairs);
    }
  }

  @Override
  public VectorSum zero(State s) {
    return new VectorSum(s.pairs.length / 2);
  }

  @Override
  public void add(VectorSum acc, Block block, State s) {
    int n = block.rows;
    double[][] measured = new double[s.matrices.size()][];
    for (int t = 0; t < s.pairs.length; t += 2) {
      double[] x = measured(s, block, measured, s.pairs[t]);
      double[] y = measured(s, block, measured, s.pairs[t + 1]);
      double sum = 0;
      for (int i = 0; i < n; i++) {
        sum += x[i] * y[i];
      }
      acc.sum[t / 2] += sum;
    }
  }

  private static double[] measured(State s, Block block, double[][] cache, int j) {
    if (cache[j] == null) {
      cache[j] = new double[block.rows];
      s.matrices.get(j).measure(s.operator, block, cache[j]);
    }
    return cache[j];
  }
}
