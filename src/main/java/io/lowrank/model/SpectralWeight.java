package io.lowrank.model;

import java.io.Serializable;

/**
 * The preprocessing T of the spectral matrix Y = (1/n) Σ T(y_i) a_i a_i^T whose top eigenvector starts phase
 * retrieval. {@link Trimmed} is the classic choice (T(y) = y, optionally 0 above a threshold); {@link Optimal} is the
 * function that maximises the correlation of the top eigenvector with x* for Gaussian a_i (Mondelli &amp; Montanari
 * 2019, eq. (5); Luo, Alghamdi &amp; Lu 2019), T(y) = ȳ (t − 1)/(t + √δ − 1) with t = max(y, 0)/ȳ and δ = n/d: it
 * down-weights the many small y_i, which carry the noise, and saturates the large ones, so its top eigenvalue
 * separates from the bulk at lower δ and with a wider gap (fewer Lanczos steps).
 */
public sealed interface SpectralWeight extends Serializable {
  /** T(y). */
  double of(double y);

  /** The name in configs and summaries. */
  String id();

  /** T(y) = y for y ≤ yMax, 0 above (yMax = ∞: the plain spectral matrix). */
  record Trimmed(double yMax) implements SpectralWeight {
    @Override
    public double of(double y) {
      return y <= yMax ? y : 0.0;
    }

    @Override
    public String id() {
      return Double.isInfinite(yMax) ? "plain" : "trimmed";
    }
  }

  /**
   * T(y) = ȳ (t − 1)/(t + √δ − 1), t = max(y, 0)/ȳ: bounded (≤ ȳ), negative below the mean. Needs δ &gt; 1, where
   * the denominator is positive for every t ≥ 0.
   */
  record Optimal(double meanY, double delta) implements SpectralWeight {
    public Optimal {
      if (!(meanY > 0) || !(delta > 1)) {
        throw new IllegalArgumentException("the optimal spectral weight needs mean y > 0 and n/d > 1, got mean y = "
            + meanY + ", n/d = " + delta);
      }
    }

    @Override
    public double of(double y) {
      double t = Math.max(y, 0.0) / meanY;
      return meanY * (t - 1) / (t + Math.sqrt(delta) - 1);
    }

    @Override
    public String id() {
      return "optimal";
    }
  }
}
