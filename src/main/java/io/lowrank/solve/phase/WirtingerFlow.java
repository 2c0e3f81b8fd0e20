package io.lowrank.solve.phase;

import io.lowrank.linalg.Linalg;
import io.lowrank.model.IntensityKernel;
import io.lowrank.solve.IterationLoop;
import io.lowrank.solve.Result;
import io.lowrank.solve.Stopping;
import io.lowrank.solve.StoppingRule;
import java.io.Serializable;

/**
 * Wirtinger flow (Candès, Li and Soltanolkotabi 2015) on the intensity loss f_I(x) = (1/4n) Σ ((a_i^T x)² − y_i)²:
 * x ← x − (η_t / ‖x_0‖²) ∇f_I(x) with the ramp η_t = min(1 − e^{−t/t_0}, η_max). One pass per iteration. The trace's
 * loss is the amplitude loss, as for every phase-retrieval solver, so traces compare directly.
 *
 * @param stopping tolerance, iteration budget, stall rule
 * @param etaMax η_max: 0.2 by default. The paper's 0.4 is for complex signals; for real Gaussian a_i the Hessian
 *     of f_I at x* is (1/n) Σ 2 (a_i^T x*)² a_i a_i^T, whose top eigenvalue is about 6‖x*‖², so η/‖x_0‖² must stay
 *     below about 1/3 for the iteration to be stable (0.4 oscillates).
 * @param t0 t_0 of the ramp (330 in the paper)
 */
public record WirtingerFlow(StoppingRule stopping, double etaMax, double t0) implements PhaseRetrievalSolver, Serializable {
  public WirtingerFlow {
    if (!(etaMax > 0)) {
      throw new IllegalArgumentException("wirtinger.eta-max must be > 0, got " + etaMax);
    }
    if (!(t0 > 0)) {
      throw new IllegalArgumentException("wirtinger.t0 must be > 0, got " + t0);
    }
  }

  /** The paper's ramp (t_0 = 330) with η_max = 0.2, stable for real signals. */
  public static WirtingerFlow defaults(StoppingRule stopping) {
    return new WirtingerFlow(stopping, 0.2, 330);
  }

  @Override
  public String name() {
    return "wirtinger-flow";
  }

  @Override
  public Result solve(PhaseRetrievalProblem p, double[] x0) {
    double scale = Linalg.dot(x0, x0);
    if (!(scale > 0)) {
      throw new IllegalArgumentException("Wirtinger flow needs a non-zero start x_0");
    }
    IterationLoop loop = new IterationLoop(name(), p::label, p::passes, stopping, p.listener());
    loop.start(p.meanY(), p.hasTruth());
    double[] x = x0.clone();
    IntensityKernel.Stats stats = p.intensity(x);
    loop.record(row(p, x, stats, Double.NaN, Double.NaN), x);
    while (loop.next()) {
      double eta = Math.min(1 - Math.exp(-loop.iteration() / t0), etaMax);
      double[] next = x.clone();
      Linalg.axpy(-eta / scale, p.intensityGradient(stats), next); // x − (η_t/‖x_0‖²) ∇f_I(x)
      double step = Stopping.relativeStep(x, next);
      x = next;
      stats = p.intensity(x);
      loop.record(row(p, x, stats, eta, step), x);
    }
    return loop.result(x);
  }

  /** The row at x from its intensity pass: the amplitude loss (as for every phase-retrieval solver) and ‖∇f_I‖. */
  private static IterationLoop.Row row(PhaseRetrievalProblem p, double[] x, IntensityKernel.Stats s, double eta,
      double step) {
    return new IterationLoop.Row(0.5 * s.sumSquaredAmplitudeResiduals / s.rows, Linalg.norm(p.intensityGradient(s)),
        eta, step, p.distance(x));
  }
}
