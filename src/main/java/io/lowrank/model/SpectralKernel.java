package io.lowrank.model;

import io.lowrank.data.Block;
import io.lowrank.linalg.Linalg;
import java.io.Serializable;

/**
 * Products with the spectral matrix: Σ T(y_i) a_i (a_i^T V) for a block of c vectors V (d×c), one pass for all c: a
 * dgemm in place of a gemv, which costs about the same on a memory-bound pass and lets block Lanczos grow its
 * Krylov space c vectors per pass.
 */
public final class SpectralKernel implements BlockKernel<SpectralKernel.State, VectorSum> {
  private static final long serialVersionUID = 1L;

  /** The vectors V (d×c, column-major) and the preprocessing T. */
  public record State(double[] v, int columns, SpectralWeight weight) implements Serializable {}

  @Override
  public VectorSum zero(State s) {
    return new VectorSum(s.v.length);
  }

  @Override
  public void add(VectorSum acc, Block block, State s) {
    int rows = block.rows;
    int c = s.columns;
    double[] w = new double[rows * c];
    Linalg.gemm(false, false, rows, c, block.d, 1.0, block.a, s.v, 0.0, w);
    for (int i = 0; i < rows; i++) {
      double t = s.weight.of(block.y[i]);
      for (int k = 0; k < c; k++) {
        w[i + k * rows] *= t;
      }
    }
    Linalg.gemm(true, false, block.d, c, rows, 1.0, block.a, w, 1.0, acc.sum);
  }
}
