package io.lowrank.linalg;

import static io.lowrank.linalg.Dense.EPS;
import static io.lowrank.linalg.Dense.THRESHOLD;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Field;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link Cholesky} against its definition: the factor R (upper, A = R^T R, i.e. L = R^T with L L^T = A) has a
 * positive diagonal and reproduces A, and solves leave a small residual, for random SPD matrices of condition
 * numbers 10 and 10^8; a matrix that is not positive definite is refused with a clear error.
 *
 * <p>Tolerances (see {@link Dense}): potrf is backward stable, R^T R = A + E with ‖E‖ ≤ c·n·ε·‖A‖ whatever the
 * condition number, and potrs solves (A + F) x = b with ‖F‖ ≤ c·n·ε·‖A‖, so ‖b − A x‖ ≤ c·n·ε·‖A‖·‖x‖ (LAPACK's
 * dpot01/dpot02 ratios, threshold 20). Only the forward error depends on κ: ‖x − x*‖/‖x*‖ ≤ c·n·ε·κ.
 */
class CholeskyTest {
  static Stream<Arguments> sizesAndConditions() {
    return Stream.of(1, 2, 3, 8, 33, 64)
        .flatMap(n -> Stream.of(Arguments.of(n, 10.0), Arguments.of(n, 1e8)));
  }

  /** A random SPD matrix Q diag(λ) Q^T, λ log-spaced from 3 down to 3/κ (seeded by n and κ). */
  static double[] spd(int n, double kappa) {
    Random rnd = new Random(1000L * n + (long) Math.log10(kappa));
    double[] lambda = new double[n];
    for (int i = 0; i < n; i++) {
      lambda[i] = 3 * Math.pow(kappa, -(n == 1 ? 0 : (double) i / (n - 1)));
    }
    return Dense.withSpectrum(Dense.orthogonal(rnd, n), lambda);
  }

  @ParameterizedTest(name = "n={0}, kappa={1}")
  @MethodSource("sizesAndConditions")
  void theFactorReproducesTheMatrix(int n, double kappa) throws ReflectiveOperationException {
    double[] a = spd(n, kappa);
    double[] input = a.clone();
    Cholesky c = Cholesky.factor(a, n);
    assertArrayEquals(input, a, "factor must not change its argument");
    assertEquals(n, c.dimension());

    double[] r = upperFactor(c, n);
    for (int i = 0; i < n; i++) {
      assertTrue(r[i + i * n] > 0, "diagonal of the factor at " + i + ": " + r[i + i * n]);
    }
    double[] rtr = Dense.times(Dense.transpose(r, n, n), r, n, n, n);
    double ratio = Dense.ratio(Dense.minus(rtr, a), n, n, Dense.norm1(a, n, n));
    assertTrue(ratio <= THRESHOLD, "‖R^T R − A‖/(n‖A‖ε) = " + ratio);
  }

  @ParameterizedTest(name = "n={0}, kappa={1}")
  @MethodSource("sizesAndConditions")
  void solvesLeaveABackwardStableResidual(int n, double kappa) {
    double[] a = spd(n, kappa);
    Random rnd = new Random(7L * n);
    double[] truth = Dense.gaussian(rnd, n, 1);
    double[] b = Dense.times(a, truth, n, n, 1);
    double[] bCopy = b.clone();
    Cholesky c = Cholesky.factor(a, n);

    double[] x = c.solve(b);
    assertArrayEquals(bCopy, b, "solve must not change its argument");
    double normA = Dense.norm1(a, n, n);
    double residual = Dense.ratio(Dense.minus(b, Dense.times(a, x, n, n, 1)), n, 1, normA * Dense.norm1(x, n, 1));
    assertTrue(residual <= THRESHOLD, "‖b − A x‖/(n‖A‖‖x‖ε) = " + residual);
    double forward = Dense.norm1(Dense.minus(x, truth), n, 1) / Dense.norm1(truth, n, 1);
    assertTrue(forward <= THRESHOLD * n * EPS * kappa, "forward error " + forward + " at kappa " + kappa);

    // Several right-hand sides in one call: S^{-1} I is the inverse, so A X = I up to the same backward error.
    double[] inverse = c.solve(Dense.identity(n), n);
    double inv = Dense.ratio(Dense.minus(Dense.times(a, inverse, n, n, n), Dense.identity(n)), n, n,
        normA * Dense.norm1(inverse, n, n));
    assertTrue(inv <= THRESHOLD, "‖A X − I‖/(n‖A‖‖X‖ε) = " + inv);
  }

  /** "Upper triangle read": whatever the strictly lower triangle holds (here NaN) changes nothing. */
  @Test
  void onlyTheUpperTriangleIsRead() {
    int n = 9;
    double[] a = spd(n, 100);
    double[] poisoned = a.clone();
    for (int j = 0; j < n; j++) {
      for (int i = j + 1; i < n; i++) {
        poisoned[i + j * n] = Double.NaN;
      }
    }
    double[] b = Dense.gaussian(new Random(3), n, 1);
    assertArrayEquals(Cholesky.factor(a, n).solve(b), Cholesky.factor(poisoned, n).solve(b), 0.0);
  }

  @Test
  void aMatrixThatIsNotPositiveDefiniteIsRefused() {
    Random rnd = new Random(11);
    int n = 12;
    double[] lambda = new double[n];
    for (int i = 0; i < n; i++) {
      lambda[i] = 1 + rnd.nextDouble();
    }
    lambda[n / 2] = -1e-3; // one slightly negative eigenvalue, hidden by a random rotation
    double[][] refused = {
        Dense.withSpectrum(Dense.orthogonal(rnd, n), lambda),
        {1, 1, 1, 1}, // singular PSD: the second pivot is exactly 0
        new double[9], // zero
        {-4}};
    int[] sizes = {n, 2, 3, 1};
    for (int t = 0; t < refused.length; t++) {
      double[] s = refused[t];
      int size = sizes[t];
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Cholesky.factor(s, size));
      assertTrue(e.getMessage().contains("not positive definite"), e.getMessage());
    }
  }

  @Test
  void rightHandSidesOfTheWrongSizeAreRefused() {
    Cholesky c = Cholesky.factor(spd(4, 10), 4);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> c.solve(new double[7], 2));
    assertTrue(e.getMessage().contains("n*nrhs = 4*2"), e.getMessage());
  }

  /**
   * R, the upper triangle of the LAPACK factor (A = R^T R), its strictly lower part zeroed. Cholesky keeps the
   * factor private (callers only solve), so the test reads the field: the factor is the definition under test.
   */
  private static double[] upperFactor(Cholesky c, int n) throws ReflectiveOperationException {
    Field f = Cholesky.class.getDeclaredField("factor");
    f.setAccessible(true);
    double[] r = ((double[]) f.get(c)).clone();
    for (int j = 0; j < n; j++) {
      for (int i = j + 1; i < n; i++) {
        r[i + j * n] = 0;
      }
    }
    return r;
  }
}
