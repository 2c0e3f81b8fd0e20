package io.lowrank.solve.sensing;

import io.lowrank.linalg.Cholesky;
import io.lowrank.linalg.Linalg;

/**
 * The right preconditioner of the scaled methods (ScaledGD(λ), PrecGD, ScaledGD, the scaled sub-gradient method):
 * a direction V (d×r) times (X^T X + λI)^{-1}, formed on the driver with one r×r Cholesky factorisation and a
 * multi-right-hand-side solve. Shared so that the ℓ2 and the sub-gradient families take the same step.
 */
final class Preconditioned {
  private Preconditioned() {}

  /**
   * scale · V (X^T X + λI)^{-1} (d×r), or null when X^T X + λI is not positive definite (λ = 0 with a rank-deficient
   * X) or the result is not finite: the scaled method breaks down there.
   */
  static double[] step(double scale, double[] v, double[] x, int d, int r, double lambda) {
    double[] h = new double[r * r];
    Linalg.gemm(true, false, r, r, d, 1.0, x, x, 0.0, h);
    for (int k = 0; k < r; k++) {
      h[k + k * r] += lambda;
    }
    Cholesky chol;
    try {
      chol = Cholesky.factor(h, r);
    } catch (IllegalArgumentException notPositiveDefinite) {
      return null;
    }
    // (V H^{-1})^T = H^{-1} V^T: transpose, one multi-right-hand-side solve, transpose back.
    double[] vt = new double[r * d];
    for (int k = 0; k < r; k++) {
      for (int j = 0; j < d; j++) {
        vt[k + j * r] = v[j + k * d];
      }
    }
    double[] st = chol.solve(vt, d);
    double[] out = new double[d * r];
    for (int k = 0; k < r; k++) {
      for (int j = 0; j < d; j++) {
        out[j + k * d] = scale * st[k + j * r];
      }
    }
    return Linalg.isFinite(out) ? out : null;
  }
}
