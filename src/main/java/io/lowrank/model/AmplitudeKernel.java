package io.lowrank.model;

import io.lowrank.data.Block;
import io.lowrank.data.Seeds;
import io.lowrank.linalg.Linalg;
import java.io.Serializable;
import org.apache.datasketches.kll.KllDoublesSketch;
import org.apache.datasketches.memory.Memory;

/**
 * The fused per-iteration pass of phase retrieval at an iterate x with smoothing μ ≥ 0. With z_i = a_i^T x,
 * φ_μ(z) = √(z² + μ²) and r_i = |z_i| − √y_i it returns, from one gemv and one transposed gemv per block:
 * Σ r_i² (the amplitude loss), b = Σ √y_i ψ_μ(z_i) a_i with ψ_0 = sign and ψ_μ(z) = z/φ_μ(z), a fingerprint
 * of the sign pattern of z, and optionally a KLL sketch of |r_i| for quantile schedules.
 */
public final class AmplitudeKernel implements BlockKernel<AmplitudeKernel.State, AmplitudeKernel.Stats> {
  private static final long serialVersionUID = 1L;

  /**
   * @param x the iterate
   * @param mu smoothing μ (0: unsmoothed, sign)
   * @param sketchK KLL accuracy parameter k, or 0 for no sketch
   */
  public record State(double[] x, double mu, int sketchK) implements Serializable {}

  /** Sums over the measurements at one iterate. */
  public static final class Stats implements Aggregate<Stats> {
    private static final long serialVersionUID = 1L;
    public long rows;
    /** Σ r_i². */
    public double sumSquaredResiduals;
    /** Σ √y_i ψ_μ(a_i^T x) a_i. */
    public final double[] b;
    /** Σ over rows with a_i^T x ≥ 0 of a hash of the row's identity (wrapping): equal iff, almost surely, the sign patterns are. */
    public long signFingerprint;
    /** Sketch of |r_i| while a partition is folded (null when none, or once sealed). */
    public transient KllDoublesSketch residualSketch;
    /** The sketch's compact image, set by {@link #seal()}: what travels between JVMs. */
    private byte[] sketchImage;

    Stats(int d, int sketchK) {
      this.b = new double[d];
      this.residualSketch = sketchK > 0 ? KllDoublesSketch.newHeapInstance(sketchK) : null;
    }

    private KllDoublesSketch sketch() {
      if (residualSketch == null && sketchImage != null) {
        residualSketch = KllDoublesSketch.heapify(Memory.wrap(sketchImage));
        sketchImage = null;
      }
      return residualSketch;
    }

    @Override
    public Stats merge(Stats other) {
      rows += other.rows;
      sumSquaredResiduals += other.sumSquaredResiduals;
      Linalg.axpy(1.0, other.b, b);
      signFingerprint += other.signFingerprint;
      KllDoublesSketch mine = sketch();
      KllDoublesSketch theirs = other.sketch();
      if (mine != null && theirs != null) {
        mine.merge(theirs);
      }
      return this;
    }

    @Override
    public Stats seal() {
      if (residualSketch != null) {
        sketchImage = residualSketch.toByteArray();
        residualSketch = null;
      }
      return this;
    }

    /** The q-quantile of |r_i| from the sketch (rank error about 1.7% at k = 200). */
    public double residualQuantile(double q) {
      KllDoublesSketch sketch = sketch();
      if (sketch == null || sketch.isEmpty()) {
        throw new IllegalStateException("this pass built no residual sketch");
      }
      return sketch.getQuantile(q);
    }

    /** √(mean r_i²). */
    public double rmsResidual() {
      return Math.sqrt(sumSquaredResiduals / rows);
    }
  }

  @Override
  public Stats zero(State s) {
    return new Stats(s.x.length, s.sketchK);
  }

  @Override
  public void add(Stats acc, Block block, State s) {
    int rows = block.rows;
    double[] z = new double[rows];
    Linalg.multiply(block.a, rows, block.d, s.x, z);
    double mu2 = s.mu * s.mu;
    double sumR2 = 0;
    long fingerprint = 0;
    long rowBase = block.id * 0x9E3779B97F4A7C15L;
    KllDoublesSketch sketch = acc.residualSketch;
    for (int i = 0; i < rows; i++) {
      double zi = z[i];
      double root = Math.sqrt(block.y[i]);
      double r = Math.abs(zi) - root;
      sumR2 += r * r;
      if (zi >= 0) {
        fingerprint += Seeds.mix64(rowBase + i);
      }
      if (sketch != null) {
        sketch.update(Math.abs(r));
      }
      // z becomes the weight √y_i ψ_μ(z_i).
      z[i] = s.mu > 0 ? root * zi / Math.sqrt(zi * zi + mu2) : root * Math.signum(zi);
    }
    Linalg.addTransposeTimes(1.0, block.a, rows, block.d, z, acc.b);
    acc.rows += rows;
    acc.sumSquaredResiduals += sumR2;
    acc.signFingerprint += fingerprint;
  }
}
