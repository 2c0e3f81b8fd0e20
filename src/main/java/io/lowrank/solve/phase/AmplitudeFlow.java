package io.lowrank.solve.phase;

import io.lowrank.linalg.Linalg;
import io.lowrank.model.AmplitudeKernel;
import io.lowrank.solve.IterationLoop;
import io.lowrank.solve.Result;
import io.lowrank.solve.Stopping;
import io.lowrank.solve.StoppingRule;
import java.io.Serializable;

/**
 * Amplitude flow / reshaped Wirtinger flow (Zhang and Liang 2016; Wang, Giannakis and Eldar 2017 without
 * truncation): gradient descent on the amplitude loss, x ← x − η (Ŝx − b(x)) with b(x) = (1/n) Σ √y_i sign(a_i^T x) a_i.
 * The same pass as BWGD; BWGD is the step preconditioned by Ŝ^{-1} with η = 1. The trace's μ column holds η.
 *
 * @param stopping tolerance, iteration budget, stall rule (a frozen sign pattern counts as stalled)
 * @param eta step η (0.8 in reshaped WF)
 */
public record AmplitudeFlow(StoppingRule stopping, double eta) implements PhaseRetrievalSolver, Serializable {
  public AmplitudeFlow {
    if (!(eta > 0)) {
      throw new IllegalArgumentException("amplitude-flow.eta must be > 0, got " + eta);
    }
  }

  @Override
  public String name() {
    return "amplitude-flow";
  }

  @Override
  public Result solve(PhaseRetrievalProblem p, double[] x0) {
    IterationLoop loop = new IterationLoop(name(), p::label, p::passes, stopping, p.listener());
    loop.start(p.meanY(), p.hasTruth());
    double[] x = x0.clone();
    AmplitudeKernel.Stats stats = p.amplitude(x, 0, 0);
    loop.record(p.row(x, stats, eta, Double.NaN), x);
    while (loop.next()) {
      double[] next = x.clone();
      Linalg.axpy(-eta, p.gradient(x, stats), next); // x − η (Ŝx − b(x))
      double step = Stopping.relativeStep(x, next);
      long previousSigns = stats.signFingerprint;
      x = next;
      stats = p.amplitude(x, 0, 0);
      loop.record(p.row(x, stats, eta, step), x, stats.signFingerprint == previousSigns);
    }
    return loop.result(x);
  }
}
