package io.lowrank.linalg;

import static io.lowrank.linalg.Dense.THRESHOLD;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link SymmetricEigen} against its definition: A V = V Λ with V orthonormal and the eigenvalues ascending, for
 * random symmetric matrices and for matrices of known spectrum with repeated eigenvalues.
 *
 * <p>Tolerances (see {@link Dense}): dsyev is backward stable, V̂ Λ̂ V̂^T = A + E with ‖E‖ ≤ c·n·ε·‖A‖ and V̂
 * orthonormal to c·n·ε, so ‖A V − V Λ‖ and ‖V^T V − I‖ are checked with LAPACK's ratios (threshold 20). Against a
 * known spectrum: |λ̂_i − λ_i| ≤ ‖E‖₂ (Weyl), and the computed eigenspace of a repeated eigenvalue is within
 * ‖E‖₂/gap of the true one (Davis-Kahan), so those checks use 20·n·ε·‖A‖ and that bound over the gap (times √n,
 * as the projectors are compared in the 1-norm).
 */
class SymmetricEigenTest {
  @ParameterizedTest(name = "n={0}")
  @ValueSource(ints = {1, 2, 3, 8, 33, 64})
  void randomSymmetricMatrices(int n) {
    double[] a = Dense.symmetric(new Random(100L + n), n);
    double[] input = a.clone();
    SymmetricEigen e = SymmetricEigen.of(a, n);
    assertArrayEquals(input, a, "of must not change its argument");
    assertEquals(n, e.dimension());
    assertIsEigenDecomposition(a, n, e);
  }

  @ParameterizedTest(name = "n={0}")
  @ValueSource(ints = {4, 9, 40})
  void repeatedEigenvalues(int n) {
    Random rnd = new Random(200L + n);
    // Spectrum: -2 (three times), then 0.5, then 3 for the rest; the smallest gap between distinct values is 2.5.
    double[] lambda = new double[n];
    for (int i = 0; i < n; i++) {
      lambda[i] = i < 3 ? -2 : i == 3 ? 0.5 : 3;
    }
    double[] q = Dense.orthogonal(rnd, n);
    double[] a = Dense.withSpectrum(q, lambda);
    SymmetricEigen e = SymmetricEigen.of(a, n);
    assertIsEigenDecomposition(a, n, e);

    double tol = THRESHOLD * n * Dense.EPS * Dense.norm1(a, n, n);
    for (int i = 0; i < n; i++) {
      assertEquals(lambda[i], e.value(i), tol, "eigenvalue " + i);
    }
    // Vectors of a repeated eigenvalue are not unique, but the projector on their span is: compare it with the
    // projector built from the generating Q's columns.
    double subspaceTol = tol * Math.sqrt(n) / 2.5; // Davis-Kahan in the 2-norm, times √n for the 1-norm
    assertSameEigenspace(q, e, n, 0, 3, subspaceTol);
    if (n > 4) {
      assertSameEigenspace(q, e, n, 4, n, subspaceTol);
    }
  }

  /** All eigenvalues equal: any orthonormal basis is right; dsyev must still return one, with exact values. */
  @Test
  void aMultipleOfTheIdentity() {
    int n = 6;
    double[] a = Dense.identity(n);
    for (int i = 0; i < a.length; i++) {
      a[i] *= 2.5;
    }
    SymmetricEigen e = SymmetricEigen.of(a, n);
    for (int i = 0; i < n; i++) {
      assertEquals(2.5, e.value(i), 0.0);
    }
    assertIsEigenDecomposition(a, n, e);
  }

  /** "Upper triangle read": whatever the strictly lower triangle holds (here NaN) changes nothing. */
  @Test
  void onlyTheUpperTriangleIsRead() {
    int n = 7;
    double[] a = Dense.symmetric(new Random(5), n);
    double[] poisoned = a.clone();
    for (int j = 0; j < n; j++) {
      for (int i = j + 1; i < n; i++) {
        poisoned[i + j * n] = Double.NaN;
      }
    }
    SymmetricEigen e = SymmetricEigen.of(a, n);
    SymmetricEigen p = SymmetricEigen.of(poisoned, n);
    for (int i = 0; i < n; i++) {
      assertEquals(e.value(i), p.value(i), 0.0);
      assertArrayEquals(e.vector(i), p.vector(i), 0.0);
    }
  }

  @Test
  void vectorReturnsACopy() {
    SymmetricEigen e = SymmetricEigen.of(Dense.symmetric(new Random(6), 3), 3);
    double[] v = e.vector(1);
    double[] again = v.clone();
    v[0] = 42;
    assertArrayEquals(again, e.vector(1), 0.0);
  }

  /** A V = V Λ, V^T V = I (LAPACK ratios) and λ_0 ≤ λ_1 ≤ ... */
  private static void assertIsEigenDecomposition(double[] a, int n, SymmetricEigen e) {
    double[] v = new double[n * n];
    double[] vLambda = new double[n * n];
    for (int j = 0; j < n; j++) {
      double[] col = e.vector(j);
      for (int i = 0; i < n; i++) {
        v[i + j * n] = col[i];
        vLambda[i + j * n] = col[i] * e.value(j);
      }
      if (j > 0) {
        assertTrue(e.value(j - 1) <= e.value(j), "eigenvalues not ascending at " + j + ": " + e.value(j - 1)
            + " > " + e.value(j));
      }
    }
    double normA = Dense.norm1(a, n, n);
    double residual = Dense.ratio(Dense.minus(Dense.times(a, v, n, n, n), vLambda), n, n, normA);
    assertTrue(residual <= THRESHOLD, "‖A V − V Λ‖/(n‖A‖ε) = " + residual);
    double orth = Dense.ratio(Dense.minus(Dense.times(Dense.transpose(v, n, n), v, n, n, n), Dense.identity(n)),
        n, n, 1);
    assertTrue(orth <= THRESHOLD, "‖V^T V − I‖/(nε) = " + orth);
  }

  /** The projectors on columns [from, to) of Q and on eigenvectors [from, to) agree within {@code tol} (1-norm). */
  private static void assertSameEigenspace(double[] q, SymmetricEigen e, int n, int from, int to, double tol) {
    double[] diff = new double[n * n];
    for (int k = from; k < to; k++) {
      double[] v = e.vector(k);
      for (int j = 0; j < n; j++) {
        for (int i = 0; i < n; i++) {
          diff[i + j * n] += q[i + k * n] * q[j + k * n] - v[i] * v[j];
        }
      }
    }
    double d = Dense.norm1(diff, n, n);
    assertTrue(d <= tol, "eigenspace of eigenvalues " + from + ".." + (to - 1) + " off by " + d + " > " + tol);
  }
}
