package io.lowrank.model.sensing;

import io.lowrank.data.Block;
import io.lowrank.linalg.Linalg;
import io.lowrank.model.Aggregate;
import io.lowrank.model.BlockKernel;
import java.io.Serializable;

/**
 * The pass of rank-r BWGD on rank-one measurements (raw blocks, y_i ≈ ‖X*^T a_i‖²): at V (d×r) with z_i = V^T a_i
 * it returns S = Σ √y_i a_i z_i^T / ‖z_i‖ (d×r) and Σ (‖z_i‖ − √y_i)² — one gemm for Z = A V, one for A^T (w ⊙ Z).
 * Whitening ã_i = W a_i is folded into V = W U by the driver, so the data are never rewritten.
 */
public final class FactorAmplitudeKernel implements BlockKernel<FactorAmplitudeKernel.State, FactorAmplitudeKernel.Stats> {
  private static final long serialVersionUID = 1L;

  /** @param v the d×r matrix V (column-major) */
  public record State(double[] v, int r) implements Serializable {}

  /** Sums at one V. */
  public static final class Stats implements Aggregate<Stats> {
    private static final long serialVersionUID = 1L;
    /** Σ √y_i a_i z_i^T/‖z_i‖, d×r column-major. */
    public final double[] s;
    /** Σ (‖z_i‖ − √y_i)². */
    public double sumSquaredResiduals;
    public long rows;

    Stats(int length) {
      this.s = new double[length];
    }

    @Override
    public Stats merge(Stats other) {
      Linalg.axpy(1.0, other.s, s);
      sumSquaredResiduals += other.sumSquaredResiduals;
      rows += other.rows;
      return this;
    }
  }

  @Override
  public Stats zero(State state) {
    return new Stats(state.v.length);
  }

  @Override
  public void add(Stats acc, Block block, State state) {
    int rows = block.rows;
    int d = block.d;
    int r = state.r;
    if (state.v.length != d * r) {
      throw new IllegalArgumentException("block " + block.id + " has dimension " + d + ", expected "
          + state.v.length / r);
    }
    double[] z = new double[rows * r];
    Linalg.multiply(block.a, rows, d, state.v, r, z);
    double ss = 0;
    for (int i = 0; i < rows; i++) {
      double n2 = 0;
      for (int k = 0; k < r; k++) {
        n2 += z[i + k * rows] * z[i + k * rows];
      }
      double norm = Math.sqrt(n2);
      double root = Math.sqrt(Math.max(0, block.y[i]));
      ss += (norm - root) * (norm - root);
      double w = norm > 0 ? root / norm : 0;
      for (int k = 0; k < r; k++) {
        z[i + k * rows] *= w;
      }
    }
    Linalg.gemm(true, false, d, r, rows, 1.0, block.a, z, 1.0, acc.s);
    acc.sumSquaredResiduals += ss;
    acc.rows += rows;
  }
}
