package io.lowrank.model.escape;

import io.lowrank.data.Block;
import io.lowrank.model.factor.FactorOperator;
import java.io.Serializable;

/**
 * A matrix P Q^T given by its factors (P d1×c, Q d2×c, column-major; the same array for P P^T), measured per row as
 * ⟨A_i, P Q^T⟩ (through the symmetric part of A_i for a symmetric operator).
 */
public record FactorPair(double[] p, double[] q, int c) implements Serializable {
  /** P P^T. */
  public static FactorPair gram(double[] p, int c) {
    return new FactorPair(p, p, c);
  }

  /** out[i] = ⟨A_i, P Q^T⟩ for the block's rows. */
  public void measure(FactorOperator operator, Block block, double[] out) {
    operator.measure(block, p, q, c, out);
  }

  /** ‖P Q^T‖_F² = tr((P^T P)(Q^T Q)), from c×c products. */
  public double frobeniusSquared(int d1, int d2) {
    double s = 0;
    for (int a = 0; a < c; a++) {
      for (int b = 0; b < c; b++) {
        double pp = 0;
        for (int i = 0; i < d1; i++) {
          pp += p[i + a * d1] * p[i + b * d1];
        }
        double qq = 0;
        for (int i = 0; i < d2; i++) {
          qq += q[i + a * d2] * q[i + b * d2];
        }
        s += pp * qq;
      }
    }
    return s;
  }
}
