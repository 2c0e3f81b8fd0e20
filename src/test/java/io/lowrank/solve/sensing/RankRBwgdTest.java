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
    Result res = new RankRBwgd(1e-8, 300).solve(engine, truth, SensingInitializer.spectral(p, rs), rs);
    System.out.println("bwgd rank-2: " + res.status() + " after " + res.iterations() + " from "
        + res.trace().records().get(0).distance());
    assertEquals(Status.CONVERGED, res.status());
    assertTrue(p.relativeError(res.estimate(), rs) < 1e-7);
  }
}
