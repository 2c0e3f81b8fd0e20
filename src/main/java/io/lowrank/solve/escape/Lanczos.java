package io.lowrank.solve.escape;

import io.lowrank.linalg.Linalg;
import io.lowrank.linalg.SymmetricEigen;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.UnaryOperator;

/**
 * The smallest eigenpair of a symmetric n×n operator known only through products v ↦ G v (each one pass over the
 * data): Lanczos with full reorthogonalisation (the basis is n × k on the driver, k ≤ maxSteps), the tridiagonal
 * T_k's eigenpairs by LAPACK (dsyev), stopping when the Ritz residual |β_k s_k| ≤ tol · max(|θ|, scale) or the
 * Krylov space is invariant (exact after n steps).
 */
public final class Lanczos {
  private Lanczos() {}

  /**
   * @param value the smallest Ritz value θ ≈ λ_n
   * @param vector its unit Ritz vector
   * @param steps products G v taken (passes)
   * @param residual ‖G y − θ y‖ estimate |β_k s_k|
   */
  public record Eigenpair(double value, double[] vector, int steps, double residual) {}

  /**
   * @param g the products (one pass each)
   * @param n dimension
   * @param maxSteps at most this many products (≥ 1; capped at n)
   * @param tol relative residual tolerance
   * @param rng the start vector's draws
   */
  public static Eigenpair smallest(UnaryOperator<double[]> g, int n, int maxSteps, double tol, SplittableRandom rng) {
    if (maxSteps < 1) {
      throw new IllegalArgumentException("Lanczos needs at least one step, got " + maxSteps);
    }
    int kMax = Math.min(maxSteps, n);
    List<double[]> basis = new ArrayList<>();
    double[] alpha = new double[kMax];
    double[] beta = new double[kMax];
    double[] q = new double[n];
    for (int i = 0; i < n; i++) {
      q[i] = rng.nextGaussian();
    }
    Linalg.scale(1 / Linalg.norm(q), q);
    double scale = 0;
    Eigenpair best = null;
    for (int k = 0; k < kMax; k++) {
      basis.add(q);
      double[] w = g.apply(q);
      alpha[k] = Linalg.dot(w, q);
      // Full reorthogonalisation, twice (classical Gram-Schmidt twice is enough in floating point).
      for (int pass = 0; pass < 2; pass++) {
        for (double[] b : basis) {
          Linalg.axpy(-Linalg.dot(w, b), b, w);
        }
      }
      beta[k] = Linalg.norm(w);
      scale = Math.max(scale, Math.abs(alpha[k]) + beta[k]);
      int size = k + 1;
      double[] t = new double[size * size];
      for (int i = 0; i < size; i++) {
        t[i + i * size] = alpha[i];
        if (i + 1 < size) {
          t[i + (i + 1) * size] = beta[i];
          t[i + 1 + i * size] = beta[i];
        }
      }
      SymmetricEigen eig = SymmetricEigen.of(t, size);
      double theta = eig.value(0);
      double[] s = eig.vector(0);
      double residual = Math.abs(beta[k] * s[size - 1]);
      double[] y = new double[n];
      for (int i = 0; i < size; i++) {
        Linalg.axpy(s[i], basis.get(i), y);
      }
      Linalg.scale(1 / Linalg.norm(y), y);
      best = new Eigenpair(theta, y, size, residual);
      boolean invariant = beta[k] <= 1e-14 * Math.max(scale, Double.MIN_NORMAL);
      if (invariant || residual <= tol * Math.max(Math.abs(theta), 1e-300) || size == kMax) {
        break;
      }
      q = Linalg.scaled(1 / beta[k], w);
    }
    return best;
  }
}
