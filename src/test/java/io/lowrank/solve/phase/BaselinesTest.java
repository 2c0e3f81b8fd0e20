package io.lowrank.solve.phase;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lowrank.data.Block;
import io.lowrank.data.GaussianPhaseRetrieval;
import io.lowrank.engine.LocalEngine;
import io.lowrank.solve.Result;
import io.lowrank.solve.Status;
import io.lowrank.solve.StoppingRule;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The Wirtinger-flow family: gradients against finite differences, convergence on an easy instance. */
class BaselinesTest {
  private final GaussianPhaseRetrieval easy = new GaussianPhaseRetrieval(400, 50, 41L, 0.0);

  /** f_I(x) = (1/4n) Σ ((a_i^T x)² − y_i)², written out. */
  private static double intensityLoss(GaussianPhaseRetrieval instance, double[] x) {
    double sum = 0;
    for (Block b : instance.blocks()) {
      for (int i = 0; i < b.rows; i++) {
        double z = 0;
        for (int j = 0; j < b.d; j++) {
          z += b.a(i, j) * x[j];
        }
        sum += (z * z - b.y[i]) * (z * z - b.y[i]);
      }
    }
    return 0.25 * sum / instance.n();
  }

  @Test
  void intensityGradientMatchesFiniteDifferences() {
    GaussianPhaseRetrieval small = new GaussianPhaseRetrieval(60, 5, 42L, 0.0, 16);
    PhaseRetrievalProblem p = PhaseRetrievalProblem.setUp(new LocalEngine(small.blocks()), null);
    SplittableRandom rng = new SplittableRandom(1);
    double[] x = new double[5];
    for (int j = 0; j < 5; j++) {
      x[j] = rng.nextGaussian();
    }
    double[] g = p.intensityGradient(p.intensity(x));
    double h = 1e-6;
    for (int j = 0; j < 5; j++) {
      double[] up = x.clone();
      double[] down = x.clone();
      up[j] += h;
      down[j] -= h;
      double fd = (intensityLoss(small, up) - intensityLoss(small, down)) / (2 * h);
      assertEquals(fd, g[j], 1e-6 * Math.max(1, Math.abs(fd)), "coordinate " + j);
    }
  }

  private Result solve(PhaseRetrievalSolver solver) {
    PhaseRetrievalProblem p = PhaseRetrievalProblem.setUp(new LocalEngine(easy.blocks()), easy.truth());
    double[] x0 = SpectralInitializer.defaults(4L).initialize(p);
    Result r = solver.solve(p, x0);
    assertTrue(p.distance(r.estimate()) < 1e-8,
        solver.name() + " ended at distance " + p.distance(r.estimate()) + " (" + r.status() + ")");
    return r;
  }

  @Test
  void wirtingerFlowConvergesAtRatio8() {
    Result r = solve(WirtingerFlow.defaults(new StoppingRule(1e-10, 3000, 1e-12)));
    assertEquals(Status.CONVERGED, r.status());
  }

  @Test
  void amplitudeFlowConvergesAtRatio8() {
    Result r = solve(new AmplitudeFlow(new StoppingRule(1e-10, 3000, 1e-12), 0.8));
    assertEquals(Status.CONVERGED, r.status());
  }
}
