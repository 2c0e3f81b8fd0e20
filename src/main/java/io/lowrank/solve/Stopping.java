package io.lowrank.solve;

import io.lowrank.linalg.Linalg;
import java.io.Serializable;

/**
 * When a solver loop stops and why: an iteration budget and a test run by {@link IterationLoop} after each trace
 * row. Implementations are small validated values, one per problem family: {@link StoppingRule} (phase retrieval:
 * distance or step, with the frozen-sign stall rule), {@link RelativeErrorOrStep} (matrix sensing),
 * {@link ErrorOrVanishingStep} (sub-gradient methods with a decaying step) and {@link GradientOrHorizon} (rank-one
 * denoising). All of them declare divergence with the one shared
 * {@link #diverged} test.
 */
public interface Stopping extends Serializable {
  /** A loss above this factor times max(start loss, loss scale) is divergence. */
  double DIVERGENCE_FACTOR = 1e8;

  /** The iteration budget: MAX_ITER when it runs out (0 allowed only where the start alone is a run). */
  int maxIterations();

  /** The status after the row in {@code p}, or null to go on. */
  Status check(Progress p);

  /** Whether row 0 (the start) is checked too; by default only iterations are. */
  default boolean checksStart() {
    return false;
  }

  /**
   * What a rule sees after a row.
   *
   * @param record the row (loss, gradient norm, μ or λ, relative step, distance to the truth)
   * @param iterate the new iterate (checked for non-finite values)
   * @param startLoss the loss at row 0
   * @param lossScale the scale the loss is judged against (mean y, f(0)); +∞ for no blow-up bound
   * @param truthKnown whether the distance column measures the distance to a known truth
   * @param frozen whether the solver's discrete state stopped changing (e.g. BWGD's sign pattern); true for
   *     solvers without one
   */
  record Progress(Trace.Record record, double[] iterate, double startLoss, double lossScale, boolean truthKnown,
      boolean frozen) {}

  /**
   * The shared divergence test: a non-finite loss or iterate, or a loss above {@link #DIVERGENCE_FACTOR} ×
   * max(start loss, loss scale).
   */
  static boolean diverged(Progress p) {
    double loss = p.record().loss();
    return !Double.isFinite(loss) || !Linalg.isFinite(p.iterate())
        || loss > DIVERGENCE_FACTOR * Math.max(p.startLoss(), p.lossScale());
  }

  /** ‖next − x‖ / ‖x‖. */
  static double relativeStep(double[] x, double[] next) {
    return Linalg.norm(Linalg.minus(next, x)) / Math.max(Linalg.norm(x), Double.MIN_NORMAL);
  }

  /** Validates a tolerance (&gt; 0) and an iteration budget (≥ 1) with messages naming the settings. */
  private static void requireToleranceAndBudget(double tol, int maxIterations) {
    if (!(tol > 0)) {
      throw new IllegalArgumentException("tol must be > 0, got " + tol);
    }
    if (maxIterations < 1) {
      throw new IllegalArgumentException("max-iter must be >= 1, got " + maxIterations);
    }
  }

  /**
   * Matrix sensing's rule (ScaledGD family, rank-r BWGD). With the truth known: CONVERGED when the distance (relative
   * error ‖XX^T − M*‖_F/‖M*‖_F, or the Procrustes distance) ≤ tol, STALLED when the relative step falls to
   * stallStep first. Without it: CONVERGED when the relative step ≤ tol or the loss is exactly 0 (an exact fit,
   * where PrecGD's λ_t = c√f would vanish).
   *
   * @param tol tolerance on the distance (truth known) or the relative step
   * @param maxIterations iteration budget
   * @param stallStep relative step at which a run that knows the truth is STALLED (0: no stall test; noisy runs
   *     converge to the noisy minimiser, and the budget ends them)
   */
  record RelativeErrorOrStep(double tol, int maxIterations, double stallStep) implements Stopping {
    public RelativeErrorOrStep {
      requireToleranceAndBudget(tol, maxIterations);
      if (!(stallStep >= 0) || Double.isInfinite(stallStep)) {
        throw new IllegalArgumentException("the stall step must be finite and >= 0, got " + stallStep);
      }
    }

    /** Without a stall test. */
    public RelativeErrorOrStep(double tol, int maxIterations) {
      this(tol, maxIterations, 0);
    }

    @Override
    public Status check(Progress p) {
      if (diverged(p)) {
        return Status.DIVERGED;
      }
      Trace.Record r = p.record();
      if (p.truthKnown()) {
        if (r.distance() <= tol) {
          return Status.CONVERGED;
        }
        return stallStep > 0 && r.stepNorm() <= stallStep ? Status.STALLED : null;
      }
      return r.stepNorm() <= tol || r.loss() == 0 ? Status.CONVERGED : null;
    }
  }

  /**
   * The rule of a method whose step decays by schedule (SubGM, η_t = η_0 ρ^t), where a vanishing step alone proves
   * nothing. With the truth known: CONVERGED when the distance ≤ tol; STALLED when the relative step has fallen below
   * stallRatio × the distance (the steps died out before reaching the truth: ρ or η_0 too small), so that a frozen
   * iterate is not run to the end of the budget. Converging, a sub-gradient method on a sharp loss keeps its
   * relative step of the order of its error (the steps are what shrinks the error), far above stallRatio × error.
   * (The distance is capped at 1 in that test: a run-away iterate's steps are small next to its distance.) Without
   * the truth: CONVERGED when the relative step ≤ tol or the loss is exactly 0 — which, with a decaying
   * step, also happens once η_t is tiny: the summary reports the final η_t to judge by.
   *
   * @param tol tolerance on the distance (truth known) or the relative step
   * @param maxIterations iteration budget
   * @param stallRatio relative step / distance below which a run that knows the truth is STALLED (in (0, 1))
   */
  record ErrorOrVanishingStep(double tol, int maxIterations, double stallRatio) implements Stopping {
    public ErrorOrVanishingStep {
      requireToleranceAndBudget(tol, maxIterations);
      if (!(stallRatio > 0 && stallRatio < 1)) {
        throw new IllegalArgumentException("the stall ratio must be in (0, 1), got " + stallRatio);
      }
    }

    @Override
    public Status check(Progress p) {
      if (diverged(p)) {
        return Status.DIVERGED;
      }
      Trace.Record r = p.record();
      if (p.truthKnown()) {
        if (r.distance() <= tol) {
          return Status.CONVERGED;
        }
        // min(·, 1): an iterate running away (distance ≥ 1) with a bounded sub-gradient takes steps that are small
        // next to its distance but not small; it is left to the divergence test.
        return r.stepNorm() < stallRatio * Math.min(r.distance(), 1.0) ? Status.STALLED : null;
      }
      return r.stepNorm() <= tol || r.loss() == 0 ? Status.CONVERGED : null;
    }
  }

  /**
   * Rank-one denoising's rule: CONVERGED when the Riemannian gradient norm ≤ tol·|μ| (μ = x^T Y y, the trace's mu
   * column), or a fixed horizon of {@code steps} steps (tol = 0). Checked at the start too; DIVERGED on a non-finite
   * μ or gradient.
   *
   * @param tol relative gradient tolerance (≥ 0; 0 = run all steps)
   * @param steps number of steps K ≥ 0 (the final time is Kη)
   */
  record GradientOrHorizon(double tol, int steps) implements Stopping {
    public GradientOrHorizon {
      if (steps < 0) {
        throw new IllegalArgumentException("steps must be >= 0, got " + steps);
      }
      if (!(tol >= 0)) {
        throw new IllegalArgumentException("tol must be >= 0, got " + tol);
      }
    }

    @Override
    public int maxIterations() {
      return steps;
    }

    @Override
    public boolean checksStart() {
      return true;
    }

    @Override
    public Status check(Progress p) {
      Trace.Record r = p.record();
      if (diverged(p) || !Double.isFinite(r.gradientNorm())) {
        return Status.DIVERGED;
      }
      return tol > 0 && r.gradientNorm() <= tol * Math.abs(r.mu()) ? Status.CONVERGED : null;
    }
  }
}
