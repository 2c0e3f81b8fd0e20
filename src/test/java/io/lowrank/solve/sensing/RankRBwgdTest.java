package io.lowrank.solve.sensing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lowrank.data.LowRankTruth;
import io.lowrank.data.RankOneSensing;
import io.lowrank.engine.LocalEngine;
import io.lowrank.model.sensing.RankOneOperator;
import io.lowrank.solve.Result;
import io.lowrank.solve.Status;
import org.junit.jupiter.api.Test;

/** Rank-r BWGD on rank-one measurements. */
class RankRBwgdTest {
  @Test
  void procrustesIsRotationInvariantAndZeroAtTheTruth() {
    LowRankTruth t = LowRankTruth.generate(8, 2, 3, 1);
    double[] x = t.factor();
    assertEquals(0, RankRBwgd.procrustes(x, 8, 2, t), 1e-7);
    // Rotate the two columns by 30 degrees: still distance 0.
    double c = Math.cos(0.5);
    double s = Math.sin(0.5);
    double[] rot = new double[16];
    for (int i = 0; i < 8; i++) {
      rot[i] = c * x[i] + s * x[i + 8];
      rot[i + 8] = -s * x[i] + c * x[i + 8];
    }
    assertEquals(0, RankRBwgd.procrustes(rot, 8, 2, t), 1e-7);
    assertEquals(1, RankRBwgd.procrustes(new double[16], 8, 2, t), 1e-12);
  }

  /**
   * d = 10, r* = 2, κ = 2, m = 60 d r* noiseless rank-one measurements, spectral start: the amplitude fixed point
   * is the truth, and BWGD converges to it linearly; 1e-8 in Procrustes distance within 300 iterations.
   */
  @Test
  void recoversRankTwoFromSpectralStart() {
    int d = 10;
    int rs = 2;
    int m = 60 * d * rs;
    LowRankTruth truth = LowRankTruth.generate(d, rs, 2, 5);
    RankOneSensing inst = new RankOneSensing(truth, m, 5, 0, 300);
    LocalEngine engine = new LocalEngine(inst.blocks());
    SensingProblem p = SensingProblem.setUp(engine, new RankOneOperator(d, m), truth);
    Result res = new RankRBwgd(1e-8, 300).solve(p, SensingInitializer.spectral(p, rs), rs);
    System.out.println("bwgd rank-2: " + res.status() + " after " + res.iterations() + " from "
        + res.trace().records().get(0).distance());
    assertEquals(Status.CONVERGED, res.status());
    assertTrue(p.relativeError(res.estimate(), rs) < 1e-7);
  }

  /**
   * X = X* R + E with R a rotation and E orthogonal to the range of X*: the distance is exactly ‖E‖/‖X*‖ (at Q =
   * R^T the cross terms vanish). At 1e-9 the closed form √(‖X‖² + ‖X*‖² − 2‖X^T X*‖_*) cancels to noise or 0.
   */
  @Test
  void procrustesDistanceIsExactFarBelowTheSquareRootOfEpsilon() {
    int d = 10;
    LowRankTruth truth = LowRankTruth.generate(d, 2, 3, 7);
    double[] xs = truth.factor();
    double c = Math.cos(0.7);
    double sn = Math.sin(0.7);
    double[] rot = {c, sn, -sn, c};
    double[] x = new double[d * 2];
    io.lowrank.linalg.Linalg.gemm(false, false, d, 2, 2, 1.0, xs, rot, 0.0, x);
    // E: random columns with the range of X* projected out, scaled to 1e-9 ‖X*‖_F.
    java.util.SplittableRandom rng = new java.util.SplittableRandom(3);
    double[] e = new double[d * 2];
    for (int i = 0; i < e.length; i++) {
      e[i] = rng.nextGaussian();
    }
    // E ← E − X* (X*^T X*)^{-1} X*^T E: the projection onto range(X*) removed.
    double[] gram = new double[4];
    io.lowrank.linalg.Linalg.gemm(true, false, 2, 2, d, 1.0, xs, xs, 0.0, gram);
    double[] coefficients = new double[4];
    io.lowrank.linalg.Linalg.gemm(true, false, 2, 2, d, 1.0, xs, e, 0.0, coefficients);
    double[] w = io.lowrank.linalg.Cholesky.factor(gram, 2).solve(coefficients, 2);
    io.lowrank.linalg.Linalg.gemm(false, false, d, 2, 2, -1.0, xs, w, 1.0, e);
    double scale = 1e-9 * io.lowrank.linalg.Linalg.norm(xs) / io.lowrank.linalg.Linalg.norm(e);
    io.lowrank.linalg.Linalg.axpy(scale, e, x);
    assertEquals(1e-9, RankRBwgd.procrustes(x, d, 2, truth), 1e-13);
    // Search rank above r*: a zero third column changes nothing.
    assertEquals(1e-9, RankRBwgd.procrustes(java.util.Arrays.copyOf(x, d * 3), d, 3, truth), 1e-13);
    assertEquals(0.0, RankRBwgd.procrustes(xs, d, 2, truth), 1e-15);
  }
}
