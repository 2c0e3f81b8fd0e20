package io.lowrank.model;

import io.lowrank.data.Block;
import io.lowrank.data.Seeds;
import io.lowrank.linalg.Linalg;
import java.io.Serializable;

/**
 * The fused per-iteration pass of phase retrieval at an iterate x with smoothing μ ≥ 0. With z_i = a_i^T x,
 * φ_μ(z) = √(z² + μ²) and r_i = |z_i| − √y_i it returns, from one gemv and one transposed gemv per block:
 * Σ r_i² (the amplitude loss), b = Σ √y_i ψ_μ(z_i) a_i with ψ_0 = sign and ψ_μ(z) = z/φ_μ(z), a fingerprint
 * of the sign pattern of z, and optionally a histogram of |r_i| for quantile schedules. With {@code withSign} and μ &gt; 0
 * it also returns b_0 = Σ √y_i sign(z_i) a_i from the same pass (a second column of one dgemm, the same bytes
 * read), so that the solver can choose between the smoothed and the unsmoothed step after seeing the residuals.
 */
public final class AmplitudeKernel implements BlockKernel<AmplitudeKernel.State, AmplitudeKernel.Stats> {
  private static final long serialVersionUID = 1L;

  /**
   * @param x the iterate
   * @param mu smoothing μ (0: unsmoothed, sign)
   * @param sketchK &gt; 0 to build the histogram of |r_i| ({@link ResidualHistogram}), 0 for none
   * @param withSign also accumulate b_0 (when μ &gt; 0; at μ = 0 it is b)
   */
  public record State(double[] x, double mu, int sketchK, boolean withSign) implements Serializable {
    /** The pass at x with μ, b at μ only. */
    public State(double[] x, double mu, int sketchK) {
      this(x, mu, sketchK, false);
    }

    boolean twoColumns() {
      return withSign && mu > 0;
    }
  }

  /** Sums over the measurements at one iterate. */
  public static final class Stats implements Aggregate<Stats> {
    private static final long serialVersionUID = 1L;
    public long rows;
    /** Σ r_i². */
    public double sumSquaredResiduals;
    /** Σ √y_i ψ_μ(a_i^T x) a_i. */
    public final double[] b;
    /** Σ √y_i sign(a_i^T x) a_i when the state asked for it with μ &gt; 0, else null (then b is it when μ = 0). */
    public final double[] bSign;
    /** Σ over rows with a_i^T x ≥ 0 of a hash of the row's identity (wrapping): equal iff, almost surely, the sign patterns are. */
    public long signFingerprint;
    /** Histogram of |r_i| for quantile schedules (null when none). */
    public final ResidualHistogram residuals;
    /** The pass's μ (b is b_0 when it is 0). */
    public final double mu;

    Stats(int d, int sketchK, boolean withSign, double mu) {
      this.mu = mu;
      this.b = new double[d];
      this.bSign = withSign ? new double[d] : null;
      this.residuals = sketchK > 0 ? new ResidualHistogram() : null;
    }

    @Override
    public Stats merge(Stats other) {
      rows += other.rows;
      sumSquaredResiduals += other.sumSquaredResiduals;
      Linalg.axpy(1.0, other.b, b);
      if (bSign != null) {
        Linalg.axpy(1.0, other.bSign, bSign);
      }
      signFingerprint += other.signFingerprint;
      if (residuals != null && other.residuals != null) {
        residuals.merge(other.residuals);
      }
      return this;
    }

    @Override
    public Stats seal() {
      if (residuals != null) {
        residuals.seal();
      }
      return this;
    }

    /** The q-quantile of |r_i|: exact in rank, within 0.4% in value (see {@link ResidualHistogram}). */
    public double residualQuantile(double q) {
      if (residuals == null || residuals.count() == 0) {
        throw new IllegalStateException("this pass built no residual sketch");
      }
      return residuals.quantile(q);
    }

    /** Σ √y_i sign(a_i^T x) a_i if this pass computed it (μ = 0, or the sign column), else null. */
    public double[] signSum() {
      return bSign != null ? bSign : mu == 0 ? b : null;
    }

    /** √(mean r_i²). */
    public double rmsResidual() {
      return Math.sqrt(sumSquaredResiduals / rows);
    }
  }

  @Override
  public Stats zero(State s) {
    return new Stats(s.x.length, s.sketchK, s.twoColumns(), s.mu);
  }

  @Override
  public void add(Stats acc, Block block, State s) {
    int rows = block.rows;
    boolean two = s.twoColumns();
    // Column 0: the weights of b (z is overwritten by them); column 1: those of b_0 when asked for.
    double[] z = new double[two ? 2 * rows : rows];
    Linalg.multiply(block.a, rows, block.d, s.x, z);
    double mu2 = s.mu * s.mu;
    double sumR2 = 0;
    long fingerprint = 0;
    long rowBase = block.id * 0x9E3779B97F4A7C15L;
    ResidualHistogram sketch = acc.residuals;
    for (int i = 0; i < rows; i++) {
      double zi = z[i];
      double root = Math.sqrt(block.y[i]);
      double r = Math.abs(zi) - root;
      sumR2 += r * r;
      if (zi >= 0) {
        fingerprint += Seeds.mix64(rowBase + i);
      }
      if (sketch != null) {
        sketch.add(Math.abs(r));
      }
      // z becomes the weight √y_i ψ_μ(z_i).
      z[i] = s.mu > 0 ? root * zi / Math.sqrt(zi * zi + mu2) : root * Math.signum(zi);
      if (two) {
        z[rows + i] = root * Math.signum(zi);
      }
    }
    if (two) {
      double[] both = new double[2 * block.d];
      Linalg.gemm(true, false, block.d, 2, rows, 1.0, block.a, z, 0.0, both);
      Linalg.axpy(1.0, java.util.Arrays.copyOf(both, block.d), acc.b);
      Linalg.axpy(1.0, java.util.Arrays.copyOfRange(both, block.d, 2 * block.d), acc.bSign);
    } else {
      Linalg.addTransposeTimes(1.0, block.a, rows, block.d, z, acc.b);
    }
    acc.rows += rows;
    acc.sumSquaredResiduals += sumR2;
    acc.signFingerprint += fingerprint;
  }
}
