package io.lowrank.solve.sensing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lowrank.data.GaussianSensing;
import io.lowrank.data.LowRankTruth;
import io.lowrank.data.Outliers;
import io.lowrank.engine.LocalEngine;
import io.lowrank.model.Loss;
import io.lowrank.model.sensing.PackedGaussianOperator;
import org.junit.jupiter.api.Test;

/**
 * The continuation's detector and re-seed on iterates built from the truth (d = 20, r* = 2, κ = 100, m = 16 d r* =
 * 640, 20% uniform outliers of scale 10, ℓ1): the truth with its weak column removed is what a stalled SubGM holds,
 * the truth itself (and a point near it) a fitted iterate.
 */
class MissingDirectionTest {
  static final int D = 20;
  static final int RSTAR = 2;
  static final int M = 16 * D * RSTAR;
  static final LowRankTruth TRUTH = LowRankTruth.generate(D, RSTAR, 100, 1);

  static SensingProblem problem() {
    GaussianSensing data = GaussianSensing.stored(TRUTH, M, 1, 0.0, new Outliers(0.2, Outliers.Kind.UNIFORM, 10), 64);
    return SensingProblem.setUp(new LocalEngine(data.blocks()), new PackedGaussianOperator(D, M), TRUTH, new Loss.L1());
  }

  /**
   * W = [√σ_1 u_1, 0]: Δ = −σ_2 u_2 u_2^T, so −G ≈ β u_2 u_2^T + noise, found above the noise edge; the line search's
   * s estimates σ_2 = σ_1/100 (the minimiser of the ℓ1 loss along v v^T, v ≈ u_2; 20% accepts the eigenvector's
   * angle and the outliers' pull), hence κ̂ ≈ κ, and the re-seeded W is far closer to M* than W was.
   */
  @Test
  void findsTheWeakDirectionAStalledIterateMisses() {
    SensingProblem p = problem();
    double[] w = TRUTH.factor();
    java.util.Arrays.fill(w, D, 2 * D, 0.0);
    double before = p.relativeError(w, RSTAR);
    long passes = p.passes();
    MissingDirection.Reseed seed = MissingDirection.find(p, w, RSTAR);
    assertNotNull(seed);
    System.out.println("missing direction: " + seed.eigenvalueOverNoise() + " x nu, s = " + seed.s() + ", kappa_hat "
        + seed.kappa() + ", error " + before + " -> " + p.relativeError(seed.w(), RSTAR));
    assertTrue(seed.eigenvalueOverNoise() > MissingDirection.DETECT);
    assertEquals(TRUTH.sigmaMin(), seed.s(), 0.2 * TRUTH.sigmaMin());
    assertEquals(TRUTH.kappa(), seed.kappa(), 0.25 * TRUTH.kappa());
    assertTrue(p.relativeError(seed.w(), RSTAR) < 0.3 * before);
    // One pass for G at W, one at the bottom of the search range, one per bisection step, one at the re-seed.
    assertEquals(3 + MissingDirection.BISECTIONS, p.passes() - passes);
  }

  /**
   * At M* and at a random point 1e-6 from it nothing is missing: −G's top eigenvalue may pass the edge (an error off
   * W's span, or the signs of rounding-level residuals), but no re-seed of W's weakest direction lowers the loss.
   */
  @Test
  void aFittedIterateMissesNothing() {
    SensingProblem p = problem();
    double[] w = TRUTH.factor();
    assertNull(MissingDirection.find(p, w, RSTAR));
    java.util.SplittableRandom rng = new java.util.SplittableRandom(3);
    for (int i = 0; i < w.length; i++) {
      w[i] += 1e-6 * rng.nextGaussian();
    }
    assertNull(MissingDirection.find(p, w, RSTAR));
  }
}
