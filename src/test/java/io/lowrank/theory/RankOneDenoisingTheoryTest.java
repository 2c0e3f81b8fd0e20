package io.lowrank.theory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RankOneDenoisingTheoryTest {
  @Test
  void gaussLegendreIntegratesPolynomialsExactly() {
    GaussLegendre gl = new GaussLegendre(7);
    double sum = 0;
    for (int k = 0; k < gl.size(); k++) {
      sum += gl.weight(k) * Math.pow(gl.node(k), 12);
    }
    assertEquals(2.0 / 13, sum, 1e-14);
  }

  @ParameterizedTest
  @CsvSource({"0.5", "1.0", "0.1"})
  void marchenkoPasturHasUnitMassAndMeanOne(double c) {
    double[][] q = new MarchenkoPastur(c).quadrature(400);
    double mass = 0;
    double mean = 0;
    for (int k = 0; k < q[0].length; k++) {
      mass += q[1][k];
      mean += q[1][k] * q[0][k];
    }
    assertEquals(1, mass, 1e-10);
    assertEquals(1, mean, 1e-10); // E[eigenvalue of WW^T] = (1/N) tr WW^T = 1
  }

  @ParameterizedTest
  @CsvSource({"0.5, 1.5", "0.5, 0.6", "1.0, 1.2", "0.25, 0.9", "0.5, 0.85"})
  void allMassesAreOneAtTauZero(double c, double theta) {
    double[] m = RankOneDenoisingTheory.of(c, theta).masses(0);
    assertEquals(1, m[0], 1e-6, "C_uu(0)");
    assertEquals(1, m[1], 1e-6, "C_vv(0)");
    assertEquals(0, m[2], 1e-12, "S_uv(0)");
    assertEquals(1, m[3], 1e-10, "phi_1(0)");
    assertEquals(1, m[4], 1e-10, "phi_2(0)");
  }

  @ParameterizedTest
  @CsvSource({"0.5, 1.5, 0.3, 0.2", "0.5, 0.6, -0.4, 0.5", "2.0, 1.5, 0.3, 0.2", "0.3, 1.1, 0.7, -0.1"})
  void startsAtTheInitialOverlapsWithTheFlowsDerivative(double c, double theta, double mu0, double mv0) {
    RankOneDenoisingTheory th = RankOneDenoisingTheory.of(c, theta);
    RankOneDenoisingTheory.Point p0 = th.predict(0, mu0, mv0);
    assertEquals(mu0, p0.overlapU(), 1e-6);
    assertEquals(mv0, p0.overlapV(), 1e-6);
    assertEquals(theta * mu0 * mv0, p0.mu(), 1e-6); // μ(0) = x0^T E[Y] y0
    double h = 1e-4;
    double d = (-3 * p0.overlapU() + 4 * th.predict(h, mu0, mv0).overlapU() - th.predict(2 * h, mu0, mv0).overlapU())
        / (2 * h);
    assertEquals(theta * mv0 * (1 - mu0 * mu0), d, 1e-5);
    double dv = (-3 * p0.overlapV() + 4 * th.predict(h, mu0, mv0).overlapV() - th.predict(2 * h, mu0, mv0).overlapV())
        / (2 * h);
    assertEquals(theta * mu0 * (1 - mv0 * mv0), dv, 1e-5);
  }

  @ParameterizedTest
  @CsvSource({"0.5, 1.5, 0.3, 0.2", "0.5, 1.5, -0.3, 0.2", "2.0, 1.5, 0.3, 0.2", "1.0, 2.0, 0.1, 0.1"})
  void largeTimeLimitsAboveTheThreshold(double c, double theta, double mu0, double mv0) {
    RankOneDenoisingTheory th = RankOneDenoisingTheory.of(c, theta);
    assertTrue(th.above());
    double[] lim = th.limit(mu0, mv0);
    RankOneDenoisingTheory.Point p = th.predict(400, mu0, mv0);
    assertEquals(lim[0], p.overlapU(), 1e-6);
    assertEquals(lim[1], p.overlapV(), 1e-6);
    assertEquals(lim[2], p.mu(), 1e-6);
    double t2 = theta * theta;
    assertEquals(Math.sqrt((t2 * t2 - c) / (t2 * (t2 + c))), Math.abs(lim[0]), 1e-12);
    assertEquals(Math.sqrt((1 + t2) * (c + t2) / t2), lim[2], 1e-12);
  }

  @Test
  void belowTheThresholdOverlapsDecay() {
    RankOneDenoisingTheory th = RankOneDenoisingTheory.of(0.5, 0.7);
    assertFalse(th.above());
    // The decay below the threshold is a power law (the bulk edge), not exponential.
    RankOneDenoisingTheory.Point early = th.predict(20, 0.5, 0.5);
    RankOneDenoisingTheory.Point p = th.predict(200, 0.5, 0.5);
    assertTrue(Math.abs(p.overlapU()) < 0.15 && Math.abs(p.overlapU()) < Math.abs(early.overlapU()), "u " + p);
    assertTrue(Math.abs(p.overlapV()) < 0.15 && Math.abs(p.overlapV()) < Math.abs(early.overlapV()), "v " + p);
    assertEquals(1 + Math.sqrt(0.5), p.mu(), 2e-2);
    assertEquals(0, th.limit(0.5, 0.5)[0]);
  }

  @Test
  void signFlipsAcrossTheCriticalRatio() {
    RankOneDenoisingTheory th = RankOneDenoisingTheory.of(0.5, 1.5);
    double r = th.criticalRatio();
    double mv0 = 0.3;
    assertEquals(-Math.sqrt((2.25 + 0.5) / (2.25 + 1)), r, 1e-15);
    assertTrue(th.predict(300, (r + 0.05) * mv0, mv0).overlapU() > 0.5);
    assertTrue(th.predict(300, (r - 0.05) * mv0, mv0).overlapU() < -0.5);
  }

  @Test
  void transposedRolesAgreeWithTheDirectFormulaForTheLimits() {
    RankOneDenoisingTheory th = RankOneDenoisingTheory.of(2.0, 1.5);
    double t2 = 2.25;
    assertEquals((t2 * t2 - 2) / (t2 * (t2 + 2)), th.alphaU(), 1e-12);
    assertEquals((t2 * t2 - 2) / (t2 * (t2 + 1)), th.alphaV(), 1e-12);
  }

  @Test
  void badParametersAreNamed() {
    assertTrue(assertThrows(IllegalArgumentException.class, () -> RankOneDenoisingTheory.of(0.5, 0)).getMessage()
        .contains("theta"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> RankOneDenoisingTheory.of(0.5, -1)).getMessage()
        .contains("theta"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> RankOneDenoisingTheory.of(0, 1)).getMessage()
        .contains("c"));
    RankOneDenoisingTheory th = RankOneDenoisingTheory.of(0.5, 1.5);
    assertTrue(assertThrows(IllegalArgumentException.class, () -> th.predict(1, 1.1, 0)).getMessage().contains("mu0"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> th.predict(1, 0, -1.5)).getMessage().contains("mv0"));
  }
}
