package io.lowrank.solve.phase;

import io.lowrank.linalg.Linalg;
import io.lowrank.model.AmplitudeKernel;
import io.lowrank.solve.Result;
import io.lowrank.solve.Status;
import io.lowrank.solve.StoppingRule;
import io.lowrank.solve.Trace;
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
    long start = System.nanoTime();
    Trace trace = new Trace();
    double[] x = x0.clone();
    p.label(name() + " iter 0");
    long t0 = System.nanoTime();
    AmplitudeKernel.Stats stats = p.amplitude(x, 0, 0);
    trace.add(p.record(0, x, stats, eta, Double.NaN, 1, t0));
    double loss0 = trace.last().loss();
    Status status = Status.MAX_ITER;
    for (int t = 1; t <= stopping.maxIterations(); t++) {
      long tStart = System.nanoTime();
      p.label(name() + " iter " + t);
      double[] next = x.clone();
      Linalg.axpy(-eta, p.gradient(x, stats), next);
      double step = StoppingRule.relativeStep(x, next);
      long previousSigns = stats.signFingerprint;
      x = next;
      stats = p.amplitude(x, 0, 0);
      Trace.Record r = p.record(t, x, stats, eta, step, 1, tStart);
      trace.add(r);
      Status verdict = stopping.check(r, x, loss0, p.meanY(), stats.signFingerprint == previousSigns);
      if (verdict != null) {
        status = verdict;
        break;
      }
    }
    return new Result(x, status, trace, p.passes(), (System.nanoTime() - start) / 1e9);
  }
}
