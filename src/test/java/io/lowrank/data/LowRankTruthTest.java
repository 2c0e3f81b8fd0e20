package io.lowrank.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The reported κ is that of the matrix built, and a factor of lower rank than its width is refused. */
class LowRankTruthTest {
  @Test
  void kappaIsTheBuiltMatrixs() {
    LowRankTruth three = LowRankTruth.generate(12, 3, 10, 1);
    assertEquals(10, three.kappa(), 1e-12);
    assertEquals(three.sigmaMax() / three.sigmaMin(), three.kappa(), 1e-12);
    // One eigenvalue: κ = 1 whatever was asked.
    assertEquals(1.0, LowRankTruth.generate(12, 1, 10, 1).kappa(), 0.0);
  }

  @Test
  void aDependentFactorIsRefused() {
    double[] x = new double[6 * 2];
    for (int i = 0; i < 6; i++) {
      x[i] = i + 1;
      x[i + 6] = 2 * (i + 1); // column 2 = 2 × column 1
    }
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LowRankTruth.ofFactor(x, 6, 2));
    assertTrue(e.getMessage().contains("must have full column rank 2"), e.getMessage());
  }
}
