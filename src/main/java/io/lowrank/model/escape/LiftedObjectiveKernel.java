package io.lowrank.model.escape;

import io.lowrank.data.Block;
import io.lowrank.model.BlockKernel;
import io.lowrank.model.VectorSum;
import io.lowrank.model.factor.FactorOperator;
import java.io.Serializable;
import java.util.List;

/**
 * The lifted least-squares objective at a grid of points in one pass. A point of the lifted space is w = Σ_j ω_j
 * X_j^{⊗l} (l-fold tensor powers of n×r factors X_j), and since ⟨A_i^{⊗l}, X_j^{⊗l} (X_k^{⊗l})^T⟩ = ⟨A_i, X_j
 * X_k^T⟩^l,
 * <pre>
 *   F(ω) = Σ_i ( Σ_{j,k} ω_j ω_k P_{ijk}^l − y_i^l )²,   P_{ijk} = ⟨A_i, X_j X_k^T⟩,
 * </pre>
 * so each block measures the J(J+1)/2 inner products once and evaluates every grid point from them: T simulated
 * steps of the lifted descent cost one pass, never an n^l tensor. With l = 1 the same pass is ‖A(X X^T) − y‖² at
 * X = Σ_j ω_j X_j, the line search's whole grid of steps. F carries no ½ (the SOD paper's printed lifted objectives
 * are this sum).
 */
public final class LiftedObjectiveKernel implements BlockKernel<LiftedObjectiveKernel.State, VectorSum> {
  private static final long serialVersionUID = 1L;

  /**
   * @param factors the X_j, each n×c (column-major)
   * @param power l ≥ 1
   * @param weights grid points × J, row g = (ω_{g0}, …, ω_{g,J−1})
   */
  public record State(FactorOperator operator, List<double[]> factors, int c, int power, double[][] weights)
      implements Serializable {
    public State {
      if (power < 1) {
        throw new IllegalArgumentException("the power l must be >= 1, got " + power);
      }
      for (double[] w : weights) {
        if (w.length != factors.size()) {
          throw new IllegalArgumentException("every grid point needs " + factors.size() + " weights, got " + w.length);
        }
      }
    }
  }

  @Override
  public VectorSum zero(State s) {
    return new VectorSum(s.weights.length);
  }

  @Override
  public void add(VectorSum acc, Block block, State s) {
    int n = block.rows;
    int J = s.factors.size();
    double[][][] p = new double[J][J][];
    for (int j = 0; j < J; j++) {
      for (int k = j; k < J; k++) {
        double[] out = new double[n];
        s.operator.measure(block, s.factors.get(j), s.factors.get(k), s.c, out);
        for (int i = 0; i < n; i++) {
          out[i] = pow(out[i], s.power);
        }
        p[j][k] = out;
        p[k][j] = out;
      }
    }
    double[] target = new double[n];
    for (int i = 0; i < n; i++) {
      target[i] = pow(block.y[i], s.power);
    }
    for (int g = 0; g < s.weights.length; g++) {
      double[] w = s.weights[g];
      double sum = 0;
      for (int i = 0; i < n; i++) {
        double v = -target[i];
        for (int j = 0; j < J; j++) {
          if (w[j] == 0) {
            continue;
          }
          v += w[j] * w[j] * p[j][j][i];
          for (int k = j + 1; k < J; k++) {
            v += 2 * w[j] * w[k] * p[j][k][i];
          }
        }
        sum += v * v;
      }
      acc.sum[g] += sum;
    }
  }

  /** x^l by repeated squaring (exact signs for odd l, no Math.pow domain issues). */
  static double pow(double x, int l) {
    double result = 1;
    double base = x;
    int e = l;
    while (e > 0) {
      if ((e & 1) == 1) {
        result *= base;
      }
      base *= base;
      e >>= 1;
    }
    return result;
  }
}
