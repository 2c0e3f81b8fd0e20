package io.lowrank.solve.factor;

import io.lowrank.data.LowRankTruth;
import io.lowrank.data.Seeds;
import io.lowrank.linalg.Linalg;
import io.lowrank.linalg.SymmetricEigen;
import java.util.SplittableRandom;

/**
 * The scale of the data a factored solver's defaults are derived from: the leading singular values of the spectral
 * matrix S = (1/m) Σ ψ(y_i) A_i = −G(0)/m (under the problem's loss; for ℓ2 and completion S = P_Ω(M*)/m ≈ M* /(d1 d2),
 * the sampling-rate scale), by block power (subspace) iteration on c vectors, one pass per step at the point 0
 * ({@link FactorProblem#product}), nothing of size d1×d2 formed. Asymmetric: the pass at step t gives G V_t and
 * G^T U_t, and V_{t+1} = orth(G^T U_t), U_{t+1} = orth(G V_t) (so V advances one G^T G step every two passes);
 * symmetric: V_{t+1} = orth(G V_t). The estimates are the singular values of G V_t / m (lower bounds, converging
 * at the rate of the gaps). The first pass also gives f(0), the loss scale of the divergence test.
 *
 * @param values σ̂_1 ≥ … ≥ σ̂_c of S
 * @param lossAtZero f(0) = (1/m) Σ ρ(y_i)
 * @param passes passes taken
 */
public record SpectralScale(double[] values, double lossAtZero, int passes) {
  /** Passes by default: measured enough for σ̂_1 within a few percent on the completion and sensing instances. */
  public static final int DEFAULT_PASSES = 8;
  private static final long STREAM = 0x5350454354L;

  /**
   * Estimates the top c singular values of S.
   *
   * @param c vectors (c ≥ 1; capped at min(d1, d2))
   * @param passes power steps (≥ 1)
   */
  public static SpectralScale estimate(FactorProblem p, int c, int passes, long seed) {
    int d1 = p.operator().rows();
    int d2 = p.operator().cols();
    c = Math.max(1, Math.min(c, Math.min(d1, d2)));
    if (passes < 1) {
      throw new IllegalArgumentException("the spectral estimate needs >= 1 pass, got " + passes);
    }
    SplittableRandom rng = Seeds.stream(seed, STREAM);
    double[] v = orthonormal(gaussian(d2 * c, rng), d2, c);
    double[] u = p.symmetric() ? v : orthonormal(gaussian(d1 * c, rng), d1, c);
    double[] z1 = new double[d1];
    double[] z2 = new double[d2];
    double[] values = new double[c];
    double loss = Double.NaN;
    int taken = 0;
    p.label("spectral scale");
    for (int t = 0; t < passes; t++) {
      FactorProblem.Evaluation e = p.product(z1, z2, 1, v, u, c);
      taken++;
      if (t == 0) {
        loss = e.loss();
      }
      double[] gv = java.util.Arrays.copyOf(e.left(), d1 * c);
      values = singularValues(gv, d1, c, p.m());
      double[] nextU = orthonormal(gv, d1, c);
      double[] nextV = p.symmetric() ? nextU : orthonormal(java.util.Arrays.copyOfRange(e.left(), d1 * c,
          d1 * c + d2 * c), d2, c);
      if (nextU == null || nextV == null) {
        break; // S has rank < c (or is 0): the values found are final
      }
      u = nextU;
      v = nextV;
    }
    return new SpectralScale(values, loss, taken);
  }

  /** The singular values of X / m (X rows×c), descending, from the eigenvalues of X^T X. */
  private static double[] singularValues(double[] x, int rows, int c, long m) {
    double[] gram = new double[c * c];
    Linalg.gemm(true, false, c, c, rows, 1.0, x, x, 0.0, gram);
    Linalg.symmetrize(gram, c);
    SymmetricEigen eig = SymmetricEigen.of(gram, c);
    double[] s = new double[c];
    for (int k = 0; k < c; k++) {
      s[k] = Math.sqrt(Math.max(0, eig.value(c - 1 - k))) / m;
    }
    return s;
  }

  /** An orthonormal basis of the columns (a copy), or null when they are dependent to rounding. */
  private static double[] orthonormal(double[] x, int rows, int c) {
    double[] q = x.clone();
    LowRankTruth.orthonormalizeColumns(q, rows, c);
    return Linalg.isFinite(q) ? q : null;
  }

  private static double[] gaussian(int n, SplittableRandom rng) {
    double[] x = new double[n];
    for (int i = 0; i < n; i++) {
      x[i] = rng.nextGaussian();
    }
    return x;
  }
}
