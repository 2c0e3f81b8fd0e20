package io.lowrank.solve.phase;

import io.lowrank.data.Seeds;
import io.lowrank.linalg.Linalg;
import io.lowrank.linalg.SymmetricEigen;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Spectral initialisation: the top eigenvector of Y = (1/n) Σ y_i 1{y_i ≤ τ} a_i a_i^T, found by Lanczos with
 * full reorthogonalisation (one pass per step), scaled to norm √(mean y). τ = truncation · mean y, or ∞ when
 * truncation is 0.
 *
 * @param truncation multiple of mean y above which measurements are left out (0: keep all)
 * @param maxSteps Lanczos steps at most (capped at d)
 * @param tol stop when the Ritz residual ‖Y v − θ v‖ ≤ tol·θ
 * @param seed seed of the starting vector
 */
public record SpectralInitializer(double truncation, int maxSteps, double tol, long seed) implements Serializable {
  public SpectralInitializer {
    if (!(truncation >= 0) || Double.isInfinite(truncation)) {
      throw new IllegalArgumentException("spectral.truncation must be >= 0 (0 = none), got " + truncation);
    }
    if (maxSteps < 1) {
      throw new IllegalArgumentException("spectral.max-steps must be >= 1, got " + maxSteps);
    }
    if (!(tol > 0)) {
      throw new IllegalArgumentException("spectral.tol must be > 0, got " + tol);
    }
  }

  /**
   * Defaults: no truncation, up to 60 steps, Ritz tolerance 1e-6 (the spectral estimate is itself far from x*, so
   * a more accurate eigenvector buys nothing but passes).
   */
  public static SpectralInitializer defaults(long seed) {
    return new SpectralInitializer(0.0, 60, 1e-6, seed);
  }

  /** Returns x_0. */
  public double[] initialize(PhaseRetrievalProblem p) {
    int d = p.d();
    double yMax = truncation > 0 ? truncation * p.meanY() : Double.POSITIVE_INFINITY;
    SplittableRandom rng = Seeds.stream(seed, 0x5EC7L);
    double[] q = new double[d];
    for (int j = 0; j < d; j++) {
      q[j] = rng.nextGaussian();
    }
    Linalg.scale(1.0 / Linalg.norm(q), q);

    List<double[]> basis = new ArrayList<>();
    List<Double> alphas = new ArrayList<>();
    List<Double> betas = new ArrayList<>();
    double[] top = q;
    int steps = Math.min(maxSteps, d);
    for (int k = 0; k < steps; k++) {
      basis.add(q);
      double[] w = p.spectralTimes(q, yMax);
      alphas.add(Linalg.dot(q, w));
      // Full reorthogonalisation, twice: d is small and the passes dominate the cost.
      for (int sweep = 0; sweep < 2; sweep++) {
        for (double[] v : basis) {
          Linalg.axpy(-Linalg.dot(v, w), v, w);
        }
      }
      double beta = Linalg.norm(w);
      SymmetricEigen ritz = SymmetricEigen.of(tridiagonal(alphas, betas), k + 1);
      double theta = ritz.value(k);
      double[] s = ritz.vector(k);
      top = combine(basis, s, d);
      if (beta * Math.abs(s[k]) <= tol * Math.abs(theta) || beta <= 1e-300) {
        break;
      }
      betas.add(beta);
      q = Linalg.scaled(1.0 / beta, w);
    }
    Linalg.scale(Math.sqrt(p.meanY()) / Linalg.norm(top), top);
    return top;
  }

  private static double[] tridiagonal(List<Double> alphas, List<Double> betas) {
    int m = alphas.size();
    double[] t = new double[m * m];
    for (int i = 0; i < m; i++) {
      t[i + i * m] = alphas.get(i);
      if (i + 1 < m) {
        t[i + (i + 1) * m] = betas.get(i);
        t[i + 1 + i * m] = betas.get(i);
      }
    }
    return t;
  }

  private static double[] combine(List<double[]> basis, double[] s, int d) {
    double[] x = new double[d];
    for (int i = 0; i < basis.size(); i++) {
      Linalg.axpy(s[i], basis.get(i), x);
    }
    return x;
  }
}
