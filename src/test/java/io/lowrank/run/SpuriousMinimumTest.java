package io.lowrank.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lowrank.data.PerturbedCompletion;
import io.lowrank.engine.LocalEngine;
import io.lowrank.linalg.SymmetricEigen;
import io.lowrank.model.factor.EntryOperator;
import io.lowrank.solve.Status;
import io.lowrank.solve.escape.DescentOptions;
import io.lowrank.solve.escape.EscapeEvent;
import io.lowrank.solve.escape.EscapeOptions;
import io.lowrank.solve.escape.EscapeProblem;
import io.lowrank.solve.escape.EscapeSolver;
import io.lowrank.solve.escape.Method;
import io.lowrank.solve.escape.SodEscape;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The signed start of perturbed completion (the truth with random signs, {@link EscapeRun#signedStart}) leads gradient
 * descent to a genuine spurious local minimum when ε²·k &lt; 1 (k even indices): checked on the dense matrices with
 * LAPACK — ∇h = 0 to the tolerance, the Hessian of h positive definite (so a strict local minimum), h &gt; 0 and
 * λ_min(G) &lt; 0 — and one SOD escape from there reaches the truth.
 */
class SpuriousMinimumTest {
  private static final int N = 40;
  private static final double EPSILON = 0.1; // k = 20 even indices: ε²k = 0.2 < 1
  private static final double STEP = 1.5 / (N + 8); // the largest curvature of h here is ≈ n

  @Test
  void theSignedStartStallsAtAStrictSpuriousMinimumAndOneEscapeReachesTheTruth() {
    PerturbedCompletion pmc = new PerturbedCompletion(N, EPSILON, 1, 97);
    try (LocalEngine engine = new LocalEngine(pmc.blocks(), 2)) {
      EscapeProblem problem = new EscapeProblem(engine, EntryOperator.symmetric(N), pmc.truth(), 1);
      double[] x0 = EscapeRun.signedStart(pmc.truth(), N, 1, 1, 0.01, 5);
      EscapeOptions options = EscapeOptions.defaults().withDeltaSamples(200);
      // Gradient descent alone, to a tight gradient tolerance: the stationary point itself.
      EscapeSolver.Outcome gd = new EscapeSolver(problem, new DescentOptions(STEP, 100_000, 1e-9, 0, 0, 1e-14,
          100_000), options, Method.NONE, 0).solve(x0, 1, 0.01, new SplittableRandom(1));
      assertEquals(Status.STALLED, gd.status());
      double[] x = gd.estimate();
      assertTrue(gd.trace().last().loss() > 1, "h at the stall " + gd.trace().last().loss());
      assertTrue(gd.distance() > 1, "distance at the stall " + gd.distance());

      // Dense W = mask², E = x x^T − M*, G = W∘E; the Hessian of h = ½ Σ W_ij E_ij² at x (r = 1) is
      // H = 2 W∘E + 2 W∘(x x^T) + 2 diag(W (x∘x)), checked here against central differences of ∇h.
      double[] z = pmc.truth();
      double[] g = new double[N * N];
      double[] h = new double[N * N];
      for (int i = 0; i < N; i++) {
        double diag = 0;
        for (int j = 0; j < N; j++) {
          double w = pmc.mask(i, j) * pmc.mask(i, j);
          double e = x[i] * x[j] - z[i] * z[j];
          g[i + j * N] = w * e;
          h[i + j * N] = 2 * w * e + 2 * w * x[i] * x[j];
          diag += 2 * w * x[j] * x[j];
        }
        h[i + i * N] += diag;
      }
      double[] v = new SplittableRandom(3).doubles(N, -1, 1).toArray();
      double tau = 1e-5;
      double[] plus = problem.evaluate(shifted(x, v, tau), 1).gradient();
      double[] minus = problem.evaluate(shifted(x, v, -tau), 1).gradient();
      for (int i = 0; i < N; i++) {
        double hv = 0;
        for (int j = 0; j < N; j++) {
          hv += h[i + j * N] * v[j];
        }
        // Central differences: error O(τ²‖∇³h‖) ≈ 1e-10 · O(n), far below 1e-6.
        assertEquals(hv, (plus[i] - minus[i]) / (2 * tau), 1e-6 * Math.max(1, Math.abs(hv)));
      }
      double hessianMin = SymmetricEigen.of(h, N).value(0);
      double lambdaMin = SymmetricEigen.of(g, N).value(0);
      assertTrue(hessianMin > 0.1, "a strict local minimum: lambda_min(Hessian) = " + hessianMin);
      assertTrue(lambdaMin < -0.1, "spurious: lambda_min(G) = " + lambdaMin);

      // The escape's Lanczos finds the same λ_min(G) (the G v products through passes).
      SodEscape.Stall st = new SodEscape(problem, options).analyze(x, 1, new SplittableRandom(11));
      assertEquals(lambdaMin, st.lambda(), 1e-8 * Math.abs(lambdaMin));

      // One escape from the stall, then descent to the truth. Stalls by the window test (h dropped by less than 1e-8·h
      // over 50 steps): it tells a limit h* > 0 from the geometric approach to 0, which a loose gradient tolerance
      // does not (1e-2 stops this descent at ‖XX^T − M*‖_F = 0.017, where λ_min(G) = −1.03e-3 is of the order of the
      // residual and passes for negative curvature).
      DescentOptions descent = new DescentOptions(STEP, 20_000, 0, 50, 1e-8, 1e-14, 100_000);
      EscapeSolver.Outcome o = new EscapeSolver(problem, descent, options, Method.SOD, 5)
          .solve(x, 1, 0.01, new SplittableRandom(2), true);
      assertEquals(Status.CONVERGED, o.status());
      assertTrue(o.distance() < 1e-3, "distance " + o.distance());
      assertEquals(1, o.escapes());
      EscapeEvent e = o.events().get(0);
      assertTrue(e.accepted());
      assertEquals(1 + e.lanczosSteps() + 3, e.passes(), "passes of one escape: G, Lanczos, delta, c, lifted grid");
      EscapeEvent.Stages s = e.stages();
      for (double t : new double[] {s.gradient(), s.lanczos(), s.delta(), s.c(), s.lifted(), s.collapse()}) {
        assertTrue(t >= 0 && t <= e.seconds(), "stage seconds " + s + " of " + e.seconds());
      }
      assertEquals(o.phaseStarts().size(), o.phaseSeconds().size());
    }
  }

  private static double[] shifted(double[] x, double[] v, double t) {
    double[] y = x.clone();
    for (int i = 0; i < y.length; i++) {
      y[i] += t * v[i];
    }
    return y;
  }
}
