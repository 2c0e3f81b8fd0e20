package io.lowrank.linalg;

import static io.lowrank.linalg.Dense.EPS;
import static io.lowrank.linalg.Dense.THRESHOLD;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link Polar#orthogonalFactor} against the definition of the polar decomposition K = Q H: Q has orthonormal
 * columns, H = Q^T K is symmetric positive semidefinite and Q H = K; and Q solves the orthogonal Procrustes
 * problem (no orthogonal R has a larger tr(R^T K)).
 *
 * <p>Tolerances (see {@link Dense}): dgesvd is backward stable, Û Σ̂ V̂^T = K + E with ‖E‖ ≤ c·n·ε·‖K‖ and Û, V̂
 * orthonormal to c·n·ε, so Q = Û V̂^T is orthonormal to c·n·ε, Q^T K = V̂ Σ̂ V̂^T − Q^T E is symmetric up to 2‖E‖
 * and has no eigenvalue below −‖E‖, and Q (Q^T K) = K up to c·n·ε·‖K‖: every check is a LAPACK-style ratio with
 * threshold 20. Where Q is unique (K of full rank) it moves by at most 2‖E‖/(σ_n + σ_{n−1}) from the exact factor.
 */
class PolarTest {
  @ParameterizedTest(name = "n={0}")
  @ValueSource(ints = {1, 2, 3, 8, 33, 64})
  void randomSquareMatrices(int n) {
    double[] k = Dense.gaussian(new Random(300L + n), n, n);
    double[] input = k.clone();
    double[] q = Polar.orthogonalFactor(k, n);
    assertArrayEquals(input, k, "orthogonalFactor must not change its argument");
    assertIsPolarFactor(k, q, n);
  }

  /** K = Q0 H0 built from a known rotation and a known SPD factor (σ in [1, 10]): both come back. */
  @ParameterizedTest(name = "n={0}")
  @ValueSource(ints = {1, 2, 5, 20})
  void aKnownPolarDecompositionIsRecovered(int n) {
    Random rnd = new Random(400L + n);
    double[] q0 = Dense.orthogonal(rnd, n);
    if (n > 1 && rnd.nextBoolean()) {
      for (int i = 0; i < n; i++) {
        q0[i] = -q0[i]; // a reflection as well as rotations: the polar factor need not have determinant 1
      }
    }
    double[] sigma = new double[n];
    for (int i = 0; i < n; i++) {
      sigma[i] = 1 + 9 * rnd.nextDouble();
    }
    double[] h0 = Dense.withSpectrum(Dense.orthogonal(rnd, n), sigma);
    double[] k = Dense.times(q0, h0, n, n, n);
    double[] q = Polar.orthogonalFactor(k, n);
    assertIsPolarFactor(k, q, n);
    // 2‖E‖/(σ_n + σ_{n−1}) with σ ≥ 1 and ‖E‖ ≤ 20·n·ε·‖K‖ (1-norms; the generated Q0 adds its own ~n·ε).
    double tol = THRESHOLD * n * EPS * Dense.norm1(k, n, n);
    double moved = Dense.norm1(Dense.minus(q, q0), n, n);
    assertTrue(moved <= tol, "‖Q − Q0‖ = " + moved + " > " + tol);
  }

  /** K orthogonal: its own polar factor. */
  @Test
  void anOrthogonalMatrixIsItsOwnFactor() {
    int n = 10;
    double[] k = Dense.orthogonal(new Random(9), n);
    double[] q = Polar.orthogonalFactor(k, n);
    double moved = Dense.norm1(Dense.minus(q, k), n, n);
    assertTrue(moved <= THRESHOLD * n * EPS, "‖Q − K‖ = " + moved);
  }

  /** A rank-deficient K (one zero singular value): Q is not unique, but it is still orthogonal with Q H = K, H ⪰ 0. */
  @Test
  void aRankDeficientMatrix() {
    int n = 6;
    Random rnd = new Random(12);
    double[] a = Dense.gaussian(rnd, n, n - 1);
    double[] b = Dense.gaussian(rnd, n - 1, n);
    double[] k = Dense.times(a, b, n, n - 1, n);
    assertIsPolarFactor(k, Polar.orthogonalFactor(k, n), n);
  }

  @Test
  void oneByOne() {
    assertArrayEquals(new double[] {-1}, Polar.orthogonalFactor(new double[] {-3}, 1), 0.0);
    assertArrayEquals(new double[] {1}, Polar.orthogonalFactor(new double[] {0.25}, 1), 0.0);
  }

  /** Procrustes: tr(Q^T K) = ‖K‖_* is the largest tr(R^T K) over orthogonal R; random and nearby R do no better. */
  @ParameterizedTest(name = "n={0}")
  @ValueSource(ints = {2, 3, 8})
  void theFactorSolvesTheProcrustesProblem(int n) {
    Random rnd = new Random(500L + n);
    double[] k = Dense.gaussian(rnd, n, n);
    double[] q = Polar.orthogonalFactor(k, n);
    double best = trace(Dense.times(Dense.transpose(q, n, n), k, n, n, n), n);
    double slack = THRESHOLD * n * EPS * Dense.norm1(k, n, n) * n;
    for (int t = 0; t < 200; t++) {
      double[] r = t % 2 == 0
          ? Dense.orthogonal(rnd, n)
          : Dense.times(q, smallRotation(rnd, n, 1e-3), n, n, n); // near the optimum, where the test is sharp
      double other = trace(Dense.times(Dense.transpose(r, n, n), k, n, n, n), n);
      assertTrue(other <= best + slack, "tr(R^T K) = " + other + " > tr(Q^T K) = " + best);
    }
  }

  /** Q^T Q = I, H = Q^T K symmetric positive semidefinite, Q H = K (LAPACK-style ratios). */
  private static void assertIsPolarFactor(double[] k, double[] q, int n) {
    double normK = Dense.norm1(k, n, n);
    double[] qt = Dense.transpose(q, n, n);
    double orth = Dense.ratio(Dense.minus(Dense.times(qt, q, n, n, n), Dense.identity(n)), n, n, 1);
    assertTrue(orth <= THRESHOLD, "‖Q^T Q − I‖/(nε) = " + orth);

    double[] h = Dense.times(qt, k, n, n, n);
    double asym = Dense.ratio(Dense.minus(h, Dense.transpose(h, n, n)), n, n, normK);
    assertTrue(asym <= THRESHOLD, "‖H − H^T‖/(n‖K‖ε) = " + asym);
    // Eigenvalues of H (SymmetricEigen, checked against its definition in SymmetricEigenTest): none below −‖E‖.
    double smallest = SymmetricEigen.of(h, n).value(0);
    assertTrue(smallest >= -THRESHOLD * n * EPS * normK, "H has eigenvalue " + smallest);

    double back = Dense.ratio(Dense.minus(Dense.times(q, h, n, n, n), k), n, n, normK);
    assertTrue(back <= THRESHOLD, "‖Q H − K‖/(n‖K‖ε) = " + back);
  }

  private static double trace(double[] a, int n) {
    double t = 0;
    for (int i = 0; i < n; i++) {
      t += a[i + i * n];
    }
    return t;
  }

  /** exp(θ S) to second order for a random skew S, re-orthonormalised: an orthogonal matrix near I. */
  private static double[] smallRotation(Random rnd, int n, double theta) {
    double[] s = Dense.gaussian(rnd, n, n);
    double[] skew = Dense.minus(s, Dense.transpose(s, n, n));
    double[] r = Dense.identity(n);
    double[] s2 = Dense.times(skew, skew, n, n, n);
    for (int i = 0; i < r.length; i++) {
      r[i] += theta * skew[i] + 0.5 * theta * theta * s2[i];
    }
    return Dense.orthonormalised(r, n);
  }
}
