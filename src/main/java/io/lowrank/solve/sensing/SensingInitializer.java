package io.lowrank.solve.sensing;

import io.lowrank.data.Seeds;
import java.util.SplittableRandom;

/** Starting points X_0 (d×r, column-major) for the sensing solvers. */
public final class SensingInitializer {
  private static final long INIT_STREAM = -11L;

  private SensingInitializer() {}

  /**
   * Small random initialisation X_0 = α·G with G_jk ~ N(0, 1/d) (ScaledGD(λ), PrecGD).
   *
   * @param alpha scale α &gt; 0 (default 1e-3)
   */
  public static double[] smallRandom(int d, int r, double alpha, long seed) {
    if (r < 1 || r > d) {
      throw new IllegalArgumentException("r (the search rank) must be in [1, d = " + d + "], got " + r);
    }
    if (!(alpha > 0) || Double.isInfinite(alpha)) {
      throw new IllegalArgumentException("alpha must be finite and > 0, got " + alpha);
    }
    SplittableRandom rng = Seeds.stream(seed, INIT_STREAM);
    double s = alpha / Math.sqrt(d);
    double[] x = new double[d * r];
    for (int i = 0; i < x.length; i++) {
      x[i] = s * rng.nextGaussian();
    }
    return x;
  }

  /**
   * Spectral initialisation: X_0 = V_r diag(√max(λ_k, 0)) from the top-r eigenpairs of the spectral matrix
   * (Σ y_i A_i, debiased for rank-one operators), computed in the problem's set-up pass (no extra pass).
   */
  public static double[] spectral(SensingProblem p, int r) {
    int d = p.d();
    if (r < 1 || r > d) {
      throw new IllegalArgumentException("r (the search rank) must be in [1, d = " + d + "], got " + r);
    }
    double[] values = p.spectralValues();
    double[] x = new double[d * r];
    for (int k = 0; k < r; k++) {
      double s = Math.sqrt(Math.max(values[k], 0));
      double[] v = p.spectralVector(k);
      for (int j = 0; j < d; j++) {
        x[j + k * d] = s * v[j];
      }
    }
    return x;
  }
}
