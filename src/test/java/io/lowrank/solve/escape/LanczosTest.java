package io.lowrank.solve.escape;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lowrank.data.PerturbedCompletion;
import io.lowrank.engine.LocalEngine;
import io.lowrank.linalg.Linalg;
import io.lowrank.linalg.SymmetricEigen;
import io.lowrank.model.factor.EntryOperator;
import java.util.Random;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** λ_n and u_n by Lanczos (one product per step) against LAPACK's dsyev on the dense matrix. */
class LanczosTest {
  private static void assertSameEigenpair(SymmetricEigen want, Lanczos.Eigenpair got, double tol) {
    assertEquals(want.value(0), got.value(), tol * Math.max(1, Math.abs(want.value(0))));
    double overlap = Math.abs(Linalg.dot(want.vector(0), got.vector()));
    // Eigenvectors are defined up to sign; a simple smallest eigenvalue (the gap is checked) makes u_n unique.
    assertTrue(want.value(1) - want.value(0) > 1e-6, "simple smallest eigenvalue");
    assertEquals(1, overlap, 1e-8);
  }

  @Test
  void randomSymmetricMatrix() {
    int n = 40;
    Random rnd = new Random(5);
    double[] a = new double[n * n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j <= i; j++) {
        double v = rnd.nextGaussian();
        a[i + j * n] = v;
        a[j + i * n] = v;
      }
    }
    Lanczos.Eigenpair got = Lanczos.smallest(v -> Linalg.times(a, n, v), n, n, 1e-12, new SplittableRandom(1));
    assertSameEigenpair(SymmetricEigen.of(a, n), got, 1e-10);
    assertTrue(got.steps() <= n);
  }

  @Test
  void gOfPerturbedCompletionThroughPasses() {
    int n = 9;
    PerturbedCompletion pmc = new PerturbedCompletion(n, 0.3, 1, 10);
    Random rnd = new Random(2);
    double[] x = new double[n * 2];
    for (int i = 0; i < x.length; i++) {
      x[i] = rnd.nextGaussian();
    }
    try (LocalEngine engine = new LocalEngine(pmc.blocks())) {
      EscapeProblem problem = new EscapeProblem(engine, EntryOperator.symmetric(n), pmc.truth(), 1);
      long before = engine.passes();
      Lanczos.Eigenpair got = Lanczos.smallest(v -> problem.gTimes(x, 2, v, 1), n, n, 1e-12, new SplittableRandom(4));
      assertEquals(got.steps(), engine.passes() - before, "one pass per product");
      // G = Σ r_ij A_ij: G_ab = mask_ab² (X X^T − Z Z^T)_ab (both ordered pairs contribute half each).
      double[] z = pmc.truth();
      double[] g = new double[n * n];
      for (int a = 0; a < n; a++) {
        for (int b = 0; b < n; b++) {
          double xx = x[a] * x[b] + x[a + n] * x[b + n];
          double w = pmc.mask(a, b);
          g[a + b * n] = w * w * (xx - z[a] * z[b]);
        }
      }
      assertSameEigenpair(SymmetricEigen.of(g, n), got, 1e-10);
    }
  }
}
