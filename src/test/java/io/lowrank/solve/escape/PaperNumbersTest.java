package io.lowrank.solve.escape;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lowrank.data.EscapeToy;
import io.lowrank.data.PerturbedCompletion;
import io.lowrank.engine.LocalEngine;
import io.lowrank.model.factor.DenseOperator;
import io.lowrank.model.factor.EntryOperator;
import io.lowrank.solve.Status;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The SOD paper's printed numbers (arXiv 2602.05887 and its notebooks, as issue 14 lists them): the toy's λ_n, σ_r,
 * δ and EFS, and the perturbed-completion n = 3 run end to end. Tolerances are the printed digits' half-units.
 */
class PaperNumbersTest {
  static final double[] X0 = {-0.0031972367326162537, -0.011497211087352351, 0.004471373514569678};

  @Test
  void perturbedCompletionThreeReproducesThePaper() {
    PerturbedCompletion pmc = new PerturbedCompletion(3, 0.3, 1, 0);
    try (LocalEngine engine = new LocalEngine(pmc.blocks())) {
      EscapeProblem problem = new EscapeProblem(engine, EntryOperator.symmetric(3), pmc.truth(), 1);
      EscapeSolver solver = new EscapeSolver(problem, DescentOptions.paper(), EscapeOptions.paper(), Method.SOD, 1);
      EscapeSolver.Outcome o = solver.solve(X0, 1, 0.01, new SplittableRandom(7));
      EscapeEvent e = o.events().get(0);
      assertEquals(6000, e.step());
      System.out.println(e.csv());
      assertEquals(-0.3303, e.lambda(), 5e-5);
      assertEquals(1.2921, e.sigma(), 5e-5);
      assertTrue(e.delta() > 0.8 && e.delta() <= 0.91 + 1e-12, "sampled delta_2 " + e.delta());
      assertEquals(1.48870, e.lifted0(), 5e-6);
      assertEquals(1.48838, e.liftedRho(), 5e-6);
      assertEquals(1.33327, e.liftedT(), 5e-6);
      assertEquals("gamma", e.term());
      assertTrue(e.accepted());
      assertEquals(Status.CONVERGED, o.status(), "status");
      assertTrue(o.distance() < 1e-3, "distance " + o.distance());
    }
  }

  @Test
  void toyCertificate() {
    try (LocalEngine engine = new LocalEngine(new EscapeToy().blocks())) {
      EscapeProblem problem = new EscapeProblem(engine, DenseOperator.symmetric(2), EscapeToy.truth(), 1);
      SodEscape sod = new SodEscape(problem, EscapeOptions.paper());
      SodEscape.Stall st = sod.analyze(EscapeToy.spuriousPoint(), 1, new SplittableRandom(3));
      assertEquals(-0.75, st.lambda(), 1e-12);
      assertEquals(Math.sqrt(0.5), st.sigma(), 1e-12);
      System.out.println("toy delta " + st.delta() + " efs " + st.efs() + " daa " + st.daa());
    }
  }
}
