package io.lowrank.model;

import io.lowrank.data.Block;
import io.lowrank.linalg.Linalg;
import java.io.Serializable;

/** One product with the spectral matrix: Σ y_i 1{y_i ≤ τ} (a_i^T v) a_i (τ = ∞ for no truncation). */
public final class SpectralKernel implements BlockKernel<SpectralKernel.State, VectorSum> {
  private static final long serialVersionUID = 1L;

  /** Direction v and truncation level τ on y. */
  public record State(double[] v, double yMax) implements Serializable {}

  @Override
  public VectorSum zero(State s) {
    return new VectorSum(s.v.length);
  }

  @Override
  public void add(VectorSum acc, Block block, State s) {
    int rows = block.rows;
    double[] w = new double[rows];
    Linalg.multiply(block.a, rows, block.d, s.v, w);
    for (int i = 0; i < rows; i++) {
      double y = block.y[i];
      w[i] = y <= s.yMax ? y * w[i] : 0.0;
    }
    Linalg.addTransposeTimes(1.0, block.a, rows, block.d, w, acc.sum);
  }
}
