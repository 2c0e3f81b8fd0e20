package io.lowrank.model;

import io.lowrank.data.Block;
import io.lowrank.linalg.Linalg;
import java.io.Serializable;

/**
 * The x-dependent part of the smoothed amplitude loss's Hessian applied to v:
 * Σ √y_i μ² / φ_μ(z_i)³ (a_i^T v) a_i with z_i = a_i^T x (one gemm with [x v] and one transposed gemv per
 * block). The Hessian is H = Ŝ − (1/n)·this.
 */
public final class CurvatureKernel implements BlockKernel<CurvatureKernel.State, VectorSum> {
  private static final long serialVersionUID = 1L;

  /** Iterate x, direction v and smoothing μ &gt; 0. */
  public record State(double[] x, double[] v, double mu) implements Serializable {}

  @Override
  public VectorSum zero(State s) {
    return new VectorSum(s.x.length);
  }

  @Override
  public void add(VectorSum acc, Block block, State s) {
    int rows = block.rows;
    int d = block.d;
    double[] xv = new double[2 * d];
    System.arraycopy(s.x, 0, xv, 0, d);
    System.arraycopy(s.v, 0, xv, d, d);
    double[] zu = new double[2 * rows];
    Linalg.multiply(block.a, rows, d, xv, 2, zu);
    double mu2 = s.mu * s.mu;
    double[] w = new double[rows];
    for (int i = 0; i < rows; i++) {
      double z = zu[i];
      double phi2 = z * z + mu2;
      w[i] = Math.sqrt(block.y[i]) * mu2 / (phi2 * Math.sqrt(phi2)) * zu[rows + i];
    }
    Linalg.addTransposeTimes(1.0, block.a, rows, d, w, acc.sum);
  }
}
