package io.lowrank.solve.denoise;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lowrank.data.SpikedMatrix;
import io.lowrank.engine.LocalEngine;
import io.lowrank.linalg.Linalg;
import io.lowrank.linalg.SymmetricEigen;
import io.lowrank.data.Block;
import io.lowrank.theory.RankOneDenoisingTheory;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Gradient descent on the in-process backend against the random-matrix-theory trajectory. */
class SphericalGradientDescentTest {

  private static SphericalGradientDescent.Run run(SpikedMatrix inst, double mu0, double mv0, double eta, int steps) {
    DenoisingProblem p = new DenoisingProblem(new LocalEngine(inst.blocks()), 1, inst.u(), inst.v());
    return new SphericalGradientDescent(new SphericalGradientDescent.Options(eta, steps, 0))
        .solve(p, inst.initialX(mu0), inst.initialY(mv0));
  }

  /** Max over iterates of |simulated − predicted| for {u, v, μ}. */
  static double[] maxDeviation(SphericalGradientDescent.Run r, RankOneDenoisingTheory th, double mu0, double mv0) {
    double[] dev = new double[3];
    for (int k = 0; k < r.size(); k++) {
      RankOneDenoisingTheory.Point p = th.predict(r.t()[k], mu0, mv0);
      dev[0] = Math.max(dev[0], Math.abs(r.overlapU()[k] - p.overlapU()));
      dev[1] = Math.max(dev[1], Math.abs(r.overlapV()[k] - p.overlapV()));
      dev[2] = Math.max(dev[2], Math.abs(r.mu()[k] - p.mu()));
    }
    return dev;
  }

  @Test
  void issueSettingFollowsTheTheoryUpToTimeFour() {
    SpikedMatrix inst = new SpikedMatrix(2000, 4000, 1.5, 4L, 0);
    SphericalGradientDescent.Run r = run(inst, 0.3, 0.2, 0.05, 80);
    assertEquals(81, r.size());
    assertEquals(81, r.result().passes(), "one pass per step (+ the final evaluation)");
    assertEquals(4.0, r.t()[80], 1e-12);
    RankOneDenoisingTheory th = RankOneDenoisingTheory.of(0.5, 1.5);
    double[] dev = maxDeviation(r, th, 0.3, 0.2);
    System.out.printf("max deviation up to t=4 (eta=0.05): u %.4f, v %.4f, mu %.4f%n", dev[0], dev[1], dev[2]);
    assertTrue(dev[0] <= 0.03, "overlap u deviates by " + dev[0]);
    assertTrue(dev[1] <= 0.03, "overlap v deviates by " + dev[1]);
  }
}
