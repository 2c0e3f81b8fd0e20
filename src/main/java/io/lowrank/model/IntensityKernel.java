package io.lowrank.model;

import io.lowrank.data.Block;
import io.lowrank.linalg.Linalg;
import java.io.Serializable;

/**
 * The pass of the intensity loss f_I(x) = (1/4n) Σ ((a_i^T x)² − y_i)² at x: Σ ((a_i^T x)² − y_i)²,
 * Σ ((a_i^T x)² − y_i)(a_i^T x) a_i (n times ∇f_I) and, for comparison with the amplitude methods,
 * Σ (|a_i^T x| − √y_i)². One gemv and one transposed gemv per block.
 */
public final class IntensityKernel implements BlockKernel<IntensityKernel.State, IntensityKernel.Stats> {
  private static final long serialVersionUID = 1L;

  /** The iterate. */
  public record State(double[] x) implements Serializable {}

  /** Sums over the measurements at one iterate. */
  public static final class Stats implements Aggregate<Stats> {
    private static final long serialVersionUID = 1L;
    public long rows;
    /** Σ ((a_i^T x)² − y_i)². */
    public double sumSquaredIntensityResiduals;
    /** Σ (|a_i^T x| − √y_i)². */
    public double sumSquaredAmplitudeResiduals;
    /** Σ ((a_i^T x)² − y_i)(a_i^T x) a_i. */
    public final double[] gradientSum;

    Stats(int d) {
      this.gradientSum = new double[d];
    }

    @Override
    public Stats merge(Stats other) {
      rows += other.rows;
      sumSquaredIntensityResiduals += other.sumSquaredIntensityResiduals;
      sumSquaredAmplitudeResiduals += other.sumSquaredAmplitudeResiduals;
      Linalg.axpy(1.0, other.gradientSum, gradientSum);
      return this;
    }
  }

  @Override
  public Stats zero(State s) {
    return new Stats(s.x.length);
  }

  @Override
  public void add(Stats acc, Block block, State s) {
    int rows = block.rows;
    double[] z = new double[rows];
    Linalg.multiply(block.a, rows, block.d, s.x, z);
    double intensity = 0;
    double amplitude = 0;
    for (int i = 0; i < rows; i++) {
      double zi = z[i];
      double r = zi * zi - block.y[i];
      double ra = Math.abs(zi) - Math.sqrt(block.y[i]);
      intensity += r * r;
      amplitude += ra * ra;
      z[i] = r * zi;
    }
    Linalg.addTransposeTimes(1.0, block.a, rows, block.d, z, acc.gradientSum);
    acc.rows += rows;
    acc.sumSquaredIntensityResiduals += intensity;
    acc.sumSquaredAmplitudeResiduals += amplitude;
  }
}
