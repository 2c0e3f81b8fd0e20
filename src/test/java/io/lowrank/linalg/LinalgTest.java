package io.lowrank.linalg;

import static io.lowrank.linalg.Dense.EPS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The BLAS wrappers of {@link Linalg} (gemm, gemv, syrk and the weighted Gram) against plain loops, on shapes whose
 * dimensions all differ, so a swapped transpose flag or leading dimension cannot pass.
 *
 * <p>Tolerance, entry by entry: a dot product of length k computed in any order is within γ_k·Σ|a_l b_l| of the
 * exact one (γ_k ≈ k·ε, Higham, Accuracy and Stability, §3.1), for the BLAS and for the reference loop alike, plus
 * one rounding each for α and β; so |ĉ − c| ≤ 2(k + 2)·ε·(|α|·(|A||B|) + |β|·|C₀|) entry-wise.
 */
class LinalgTest {
  /** (m, n, k): C is m x n, the inner dimension k. */
  static Stream<Arguments> shapes() {
    return Stream.of(Arguments.of(1, 1, 1), Arguments.of(3, 5, 7), Arguments.of(17, 4, 9),
        Arguments.of(64, 33, 20), Arguments.of(5, 70, 2));
  }

  static Stream<Arguments> shapesAndFlags() {
    return shapes().flatMap(s -> Stream.of(new boolean[][] {{false, false}, {true, false}, {false, true},
        {true, true}}).map(f -> Arguments.of(s.get()[0], s.get()[1], s.get()[2], f[0], f[1])));
  }

  @ParameterizedTest(name = "m={0} n={1} k={2} transA={3} transB={4}")
  @MethodSource("shapesAndFlags")
  void gemmIsAlphaOpAOpBPlusBetaC(int m, int n, int k, boolean transA, boolean transB) {
    Random rnd = new Random(31L * m + 17L * n + k + (transA ? 1000 : 0) + (transB ? 2000 : 0));
    double[] opA = Dense.gaussian(rnd, m, k);
    double[] opB = Dense.gaussian(rnd, k, n);
    // Stored as the transposes when the flag is set, so the wrapper must undo them.
    double[] a = transA ? Dense.transpose(opA, m, k) : opA;
    double[] b = transB ? Dense.transpose(opB, k, n) : opB;
    for (double beta : new double[] {0, -1.3}) {
      double alpha = 0.7;
      double[] c0 = Dense.gaussian(rnd, m, n);
      double[] c = c0.clone();
      Linalg.gemm(transA, transB, m, n, k, alpha, a, b, beta, c);

      double[] ab = Dense.times(opA, opB, m, k, n);
      double[] expected = new double[m * n];
      double[] bound = Dense.times(Dense.abs(opA), Dense.abs(opB), m, k, n);
      for (int i = 0; i < expected.length; i++) {
        expected[i] = alpha * ab[i] + beta * c0[i];
        bound[i] = 2 * (k + 2) * EPS * (Math.abs(alpha) * bound[i] + Math.abs(beta) * Math.abs(c0[i]));
      }
      assertClose(expected, c, bound, "gemm beta=" + beta);
    }
  }

  @ParameterizedTest(name = "rows={0} cols={1} k={2}")
  @MethodSource("shapes")
  void multiplyIsGemvAndGemm(int rows, int cols, int k) {
    Random rnd = new Random(41L * rows + cols + 7L * k);
    double[] a = Dense.gaussian(rnd, rows, cols);
    double[] x = Dense.gaussian(rnd, cols, 1);
    double[] z = Dense.gaussian(rnd, rows, 1); // overwritten, not accumulated
    Linalg.multiply(a, rows, cols, x, z);
    assertClose(Dense.times(a, x, rows, cols, 1), z, bound(a, x, rows, cols, 1), "A x");

    double[] xs = Dense.gaussian(rnd, cols, k);
    double[] zs = Dense.gaussian(rnd, rows, k);
    Linalg.multiply(a, rows, cols, xs, k, zs);
    assertClose(Dense.times(a, xs, rows, cols, k), zs, bound(a, xs, rows, cols, k), "A X");

    if (rows == cols) {
      assertClose(Dense.times(a, x, rows, cols, 1), Linalg.times(a, rows, x), bound(a, x, rows, cols, 1), "times");
    }
  }

  @ParameterizedTest(name = "rows={0} cols={1}")
  @MethodSource("shapes")
  void addTransposeTimesAccumulatesAlphaATransposeW(int rows, int cols, int ignored) {
    Random rnd = new Random(43L * rows + cols);
    double[] a = Dense.gaussian(rnd, rows, cols);
    double[] w = Dense.gaussian(rnd, rows, 1);
    double[] y0 = Dense.gaussian(rnd, cols, 1);
    double[] y = y0.clone();
    double alpha = -0.6;
    Linalg.addTransposeTimes(alpha, a, rows, cols, w, y);

    double[] at = Dense.transpose(a, rows, cols);
    double[] atw = Dense.times(at, w, cols, rows, 1);
    double[] bound = bound(at, w, cols, rows, 1);
    double[] expected = new double[cols];
    for (int i = 0; i < cols; i++) {
      expected[i] = y0[i] + alpha * atw[i];
      bound[i] = Math.abs(alpha) * bound[i] + 2 * (rows + 2) * EPS * Math.abs(y0[i]);
    }
    assertClose(expected, y, bound, "y + alpha A^T w");
  }

  /** syrk updates the upper triangle only; symmetrize then mirrors it: C0 + α A^T A in full. */
  @ParameterizedTest(name = "rows={0} cols={1}")
  @MethodSource("shapes")
  void addGramUpdatesTheUpperTriangle(int rows, int cols, int ignored) {
    Random rnd = new Random(47L * rows + cols);
    double[] a = Dense.gaussian(rnd, rows, cols);
    double[] c0 = Dense.symmetric(rnd, cols);
    double[] c = c0.clone();
    double alpha = 1.5;
    Linalg.addGram(alpha, a, rows, cols, c);
    for (int j = 0; j < cols; j++) {
      for (int i = j + 1; i < cols; i++) {
        assertEquals(c0[i + j * cols], c[i + j * cols], 0.0, "syrk wrote the lower triangle at " + i + "," + j);
      }
    }
    Linalg.symmetrize(c, cols);

    double[] at = Dense.transpose(a, rows, cols);
    double[] ata = Dense.times(at, a, cols, rows, cols);
    double[] bound = bound(at, a, cols, rows, cols);
    double[] expected = new double[cols * cols];
    for (int i = 0; i < expected.length; i++) {
      expected[i] = c0[i] + alpha * ata[i];
      bound[i] = alpha * bound[i] + 2 * (rows + 2) * EPS * Math.abs(c0[i]);
    }
    assertClose(expected, c, bound, "C + alpha A^T A");
  }

  /** C += α A^T diag(w) A with weights of both signs, both triangles. */
  @ParameterizedTest(name = "rows={0} cols={1}")
  @MethodSource("shapes")
  void addWeightedGramAccumulatesAlphaATransposeDiagWA(int rows, int cols, int ignored) {
    Random rnd = new Random(53L * rows + cols);
    double[] a = Dense.gaussian(rnd, rows, cols);
    double[] w = Dense.gaussian(rnd, rows, 1);
    double[] c0 = Dense.gaussian(rnd, cols, cols);
    double[] c = c0.clone();
    double alpha = 0.3;
    Linalg.addWeightedGram(alpha, a, rows, cols, w, c);

    double[] wa = new double[a.length];
    for (int j = 0; j < cols; j++) {
      for (int i = 0; i < rows; i++) {
        wa[i + j * rows] = w[i] * a[i + j * rows];
      }
    }
    double[] at = Dense.transpose(a, rows, cols);
    double[] atwa = Dense.times(at, wa, cols, rows, cols);
    double[] bound = bound(at, wa, cols, rows, cols);
    double[] expected = new double[cols * cols];
    for (int i = 0; i < expected.length; i++) {
      expected[i] = c0[i] + alpha * atwa[i];
      bound[i] = alpha * bound[i] + 2 * (rows + 2) * EPS * Math.abs(c0[i]);
    }
    assertClose(expected, c, bound, "C + alpha A^T diag(w) A");
  }

  /** The entry-wise bound 2(k + 2)·ε·(|A||B|) for the product A B of an {@code m x k} and a {@code k x n} matrix. */
  private static double[] bound(double[] a, double[] b, int m, int k, int n) {
    double[] bound = Dense.times(Dense.abs(a), Dense.abs(b), m, k, n);
    for (int i = 0; i < bound.length; i++) {
      bound[i] *= 2 * (k + 2) * EPS;
    }
    return bound;
  }

  private static void assertClose(double[] expected, double[] actual, double[] bound, String what) {
    assertEquals(expected.length, actual.length, what + ": length");
    for (int i = 0; i < expected.length; i++) {
      double err = Math.abs(expected[i] - actual[i]);
      // Double.MIN_NORMAL: an exact zero bound (a zero row or column) still allows a subnormal difference.
      assertTrue(err <= bound[i] + Double.MIN_NORMAL,
          what + ": entry " + i + " is " + actual[i] + ", expected " + expected[i] + " (error " + err + " > "
              + bound[i] + ")");
    }
  }
}
