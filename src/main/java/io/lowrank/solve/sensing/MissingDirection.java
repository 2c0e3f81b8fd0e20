package io.lowrank.solve.sensing;

import io.lowrank.linalg.Linalg;
import io.lowrank.linalg.SymmetricEigen;

/**
 * A direction of M* that SubGM's iterate has not grown, found from the sub-gradient where the run stopped, and W
 * re-seeded along it (the continuation of {@link SubGradientMethod}).
 *
 * <p>Why it shows: under ℓ1, G ≈ β Δ/‖Δ‖_F + N (N the outliers' noise, whose spectrum ends near the set-up
 * matrix's noise edge ν = |λ_min(S)|). When the error Δ = WW^T − M* is mostly a missing direction u of M*, −G ≈
 * β u u^T + N has a top eigenvalue ≈ β, well above ν, whatever the missing σ_j (measured at d = 60, r* = 3, m = 1800,
 * κ = 100: 2.45 ν with 20% outliers, 3.3 ν without, eigenvector within cos 0.98 of the missing direction); at a
 * fitted iterate Δ lies in W's span, and −G's top eigenvalue stays at the noise edge (0.93–1.3 ν in the κ = 10 runs
 * of the README table, over-parameterised ones included). {@value #DETECT}·ν separates them.
 *
 * <p>The re-seed: with z the right singular vector of W's smallest singular value, W' = W − (W z) z^T + √s v z^T
 * gives W'W'^T = W(I − zz^T)W^T + s vv^T, and f(s) (ℓ1: convex in s, the residuals being affine in s) is minimised by
 * a bisection on the sign of f'(s) = (1/2) v^T G(s) v — one pass each — over s in [s_max·{@value #RANGE}, s_max],
 * s_max = σ_1(W)², on a log scale. The minimiser s* estimates the missing σ_j, and so κ̂ = σ_1(W)²/s*. The
 * re-seed is kept only when its loss is below W's (one more pass): at exact rank W's weakest direction may be a
 * fitted one, and an eigenvalue above the edge alone can also come from an error off W's span.
 */
final class MissingDirection {
  /** −G's top eigenvalue must exceed this multiple of the noise edge ν. */
  static final double DETECT = 1.6;
  /** The smallest s searched, relative to σ_1(W)²: κ̂ up to 1e8. */
  static final double RANGE = 1e-8;
  /** Bisection steps on log s: ln(1e8)/2^{22} ≈ 4e-6 relative precision. */
  static final int BISECTIONS = 22;

  /** The re-seeded iterate, the missing direction's scale s* and κ̂ = σ_1(W)²/s*. */
  record Reseed(double[] w, double s, double kappa, double eigenvalueOverNoise) {}

  private MissingDirection() {}

  /**
   * The re-seeded W, or null when −G at W (one pass) shows no missing direction (its top eigenvalue ≤ DETECT·ν, no
   * noise edge known, a line search that finds no decrease along it, or a re-seeded W whose loss is not below W's:
   * W's weakest direction, which the re-seed replaces, was a fitted one). Passes: 3 + {@value #BISECTIONS} when it
   * gets to the search.
   */
  static Reseed find(SensingProblem p, double[] w, int r) {
    int d = p.d();
    double[] spectrum = p.spectralValues();
    double nu = Math.max(0, -spectrum[d - 1]);
    if (!(nu > 0)) {
      return null;
    }
    SensingProblem.Evaluation e = p.evaluate(w, r);
    SymmetricEigen eg = SymmetricEigen.of(Linalg.scaled(-1.0, e.g()), d);
    double lambda = eg.value(d - 1);
    if (!(lambda > DETECT * nu)) {
      return null;
    }
    double[] v = eg.vector(d - 1);
    double[] gram = new double[r * r];
    Linalg.addGram(1.0, w, d, r, gram);
    Linalg.symmetrize(gram, r);
    SymmetricEigen ew = SymmetricEigen.of(gram, r);
    double[] z = ew.vector(0);
    double sMax = ew.value(r - 1);
    // Base: W with its weakest direction removed, W (I − z z^T).
    double[] wz = new double[d];
    Linalg.multiply(w, d, r, z, wz);
    double[] base = plusOuter(w, wz, z, -1.0, d, r);
    double lo = Math.log(sMax * RANGE);
    double hi = Math.log(sMax);
    if (slope(p, base, v, z, Math.exp(lo), r) >= 0) {
      return null; // no decrease even at the smallest scale: not a missing direction
    }
    for (int i = 0; i < BISECTIONS; i++) {
      double mid = 0.5 * (lo + hi);
      if (slope(p, base, v, z, Math.exp(mid), r) < 0) {
        lo = mid;
      } else {
        hi = mid;
      }
    }
    double s = Math.exp(0.5 * (lo + hi));
    double[] seeded = plusOuter(base, v, z, Math.sqrt(s), d, r);
    // The re-seed replaced W's weakest direction: it must beat W itself, not only the base without it.
    if (!(p.evaluate(seeded, r).loss() < e.loss())) {
      return null;
    }
    return new Reseed(seeded, s, sMax / s, lambda / nu);
  }

  /** f'(s) ∝ v^T G(s) v at W(s) = base + √s v z^T (one pass). */
  private static double slope(SensingProblem p, double[] base, double[] v, double[] z, double s, int r) {
    int d = p.d();
    SensingProblem.Evaluation e = p.evaluate(plusOuter(base, v, z, Math.sqrt(s), d, r), r);
    return Linalg.dot(v, Linalg.times(e.g(), d, v));
  }

  /** a + c·x y^T for a d×r column-major a. */
  private static double[] plusOuter(double[] a, double[] x, double[] y, double c, int d, int r) {
    double[] out = a.clone();
    for (int j = 0; j < r; j++) {
      for (int i = 0; i < d; i++) {
        out[j * d + i] += c * y[j] * x[i];
      }
    }
    return out;
  }
}
