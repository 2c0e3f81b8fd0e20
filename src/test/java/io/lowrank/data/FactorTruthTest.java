package io.lowrank.data;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.lowrank.linalg.SymmetricEigen;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The κ a factored truth reports is that of M* = X* Y*^T itself: its singular values, computed from the factors,
 * agree with the eigenvalues of M*^T M* formed densely (an independent route), with the κ a generated truth was drawn
 * with, and with {@link LowRankTruth}'s eigenvalues when symmetric.
 */
class FactorTruthTest {
  private static double[] gaussian(int n, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    double[] x = new double[n];
    for (int i = 0; i < n; i++) {
      x[i] = rng.nextGaussian();
    }
    return x;
  }

  /** σ_k(M) from the eigenvalues of M^T M (d2×d2), M formed densely: the top {@code rank}, largest first. */
  private static double[] denseSingularValues(FactorTruth t) {
    double[] m = t.matrix();
    int d1 = t.d1();
    int d2 = t.d2();
    double[] mtm = new double[d2 * d2];
    for (int a = 0; a < d2; a++) {
      for (int b = 0; b < d2; b++) {
        double s = 0;
        for (int i = 0; i < d1; i++) {
          s += m[i + a * d1] * m[i + b * d1];
        }
        mtm[a + b * d2] = s;
      }
    }
    SymmetricEigen eig = SymmetricEigen.of(mtm, d2);
    double[] sigma = new double[t.rank()];
    for (int k = 0; k < t.rank(); k++) {
      sigma[k] = Math.sqrt(eig.value(d2 - 1 - k));
    }
    return sigma;
  }

  @Test
  void singularValuesOfGivenFactorsAreThoseOfTheirProduct() {
    // Neither factor orthogonal nor balanced: X* 9x3, Y* 7x3 Gaussian, one column of Y* scaled to spread the σ.
    double[] y = gaussian(7 * 3, 2);
    for (int j = 0; j < 7; j++) {
      y[j + 14] *= 0.1;
    }
    FactorTruth t = FactorTruth.of(gaussian(9 * 3, 1), 9, y, 7, 3);
    double[] fromFactors = t.singularValues();
    double[] dense = denseSingularValues(t);
    for (int k = 0; k < 3; k++) {
      // Both routes round at ε‖M‖² in σ²: relative to σ_1, 1e-12 leaves two orders of margin at these sizes.
      assertEquals(dense[k], fromFactors[k], 1e-12 * dense[0], "sigma_" + (k + 1));
    }
    assertEquals(dense[0] / dense[2], t.kappa(), 1e-9 * t.kappa());
  }

  @Test
  void aGeneratedTruthHasTheKappaItWasDrawnWith() {
    assertEquals(5, FactorTruth.generate(30, 20, 3, 5, 7).kappa(), 1e-12);
    LowRankTruth sym = LowRankTruth.generate(15, 2, 4, 3);
    assertEquals(sym.kappa(), FactorTruth.of(sym).kappa(), 1e-12);
    assertEquals(sym.sigmaMax(), FactorTruth.of(sym).singularValues()[0], 1e-14);
    // r* = 1: one singular value, κ = 1 whatever sensing.kappa says.
    assertEquals(1.0, FactorTruth.generate(10, 8, 1, 9, 1).kappa(), 0.0);
  }
}
