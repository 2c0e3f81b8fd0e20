package io.lowrank.solve.escape;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.lowrank.data.PerturbedCompletion;
import io.lowrank.engine.LocalEngine;
import io.lowrank.model.factor.EntryOperator;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The sum convention h = ½‖A(X X^T) − b‖² against FactorProblem's mean f: h and ∇h from the definition (explicit
 * sum over the n² ordered pairs) and by central differences, and ‖X X^T − M*‖_F.
 */
class EscapeProblemTest {
  @Test
  void sumLossGradientAndDistance() {
    int n = 6;
    int r = 2;
    PerturbedCompletion pmc = new PerturbedCompletion(n, 0.15, 1, 5);
    Random rnd = new Random(3);
    double[] x = new double[n * r];
    for (int i = 0; i < x.length; i++) {
      x[i] = rnd.nextGaussian();
    }
    try (LocalEngine engine = new LocalEngine(pmc.blocks())) {
      EscapeProblem p = new EscapeProblem(engine, EntryOperator.symmetric(n), pmc.truth(), 1);
      assertEquals(n * n, p.m());
      EscapeProblem.Point at = p.evaluate(x, r);
      assertEquals(h(pmc, x, n, r), at.loss(), 1e-12 * at.loss());
      double eps = 1e-6;
      for (int k = 0; k < x.length; k++) {
        double[] up = x.clone();
        double[] down = x.clone();
        up[k] += eps;
        down[k] -= eps;
        double fd = (h(pmc, up, n, r) - h(pmc, down, n, r)) / (2 * eps);
        // Central differences: O(eps²)·h''' plus rounding h·1e-16/eps ≈ 1e-9.
        assertEquals(fd, at.gradient()[k], 1e-6 * (1 + Math.abs(fd)), "dh/dX entry " + k);
      }
      double[] z = pmc.truth();
      double d2 = 0;
      for (int a = 0; a < n; a++) {
        for (int b = 0; b < n; b++) {
          double v = x[a] * x[b] + x[a + n] * x[b + n] - z[a] * z[b];
          d2 += v * v;
        }
      }
      assertEquals(Math.sqrt(d2), p.distance(x, r), 1e-12 * Math.sqrt(d2));
    }
  }

  /** ½ Σ_{i,j} (mask_ij ((X X^T)_ij − M*_ij))². */
  private static double h(PerturbedCompletion pmc, double[] x, int n, int r) {
    double[] z = pmc.truth();
    double s = 0;
    for (int a = 0; a < n; a++) {
      for (int b = 0; b < n; b++) {
        double xx = 0;
        for (int k = 0; k < r; k++) {
          xx += x[a + k * n] * x[b + k * n];
        }
        double res = pmc.mask(a, b) * (xx - z[a] * z[b]);
        s += res * res;
      }
    }
    return 0.5 * s;
  }
}
