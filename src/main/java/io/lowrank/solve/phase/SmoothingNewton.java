package io.lowrank.solve.phase;

import io.lowrank.linalg.Linalg;
import io.lowrank.model.AmplitudeKernel;
import io.lowrank.solve.IterationLoop;
import io.lowrank.solve.Result;
import io.lowrank.solve.Stopping;
import io.lowrank.solve.StoppingRule;
import java.io.Serializable;

/**
 * The smoothing Newton method for the amplitude loss f(x) = (1/2n) Σ (|a_i^T x| − √y_i)², with |z| smoothed to
 * φ_μ(z) = √(z² + μ²) and μ shrinking along a {@link SmoothingSchedule}. With μ ≡ 0 it is BWGD:
 * x⁺ = Ŝ^{-1} (1/n) Σ √y_i sign(a_i^T x) a_i.
 *
 * <p>Per iteration: the step from the last pass (Gauss-Newton: x⁺ = Ŝ^{-1} b_μ(x), no pass; full Hessian:
 * Ŝ-preconditioned CG on H p = ∇f_μ, one pass per Hessian-vector product), then one amplitude pass at x⁺ that
 * gives the loss, b_μ(x⁺) for the next step and the residuals that set the next μ.
 */
public final class SmoothingNewton implements PhaseRetrievalSolver, Serializable {
  private static final long serialVersionUID = 1L;
  /** Which Newton system the step solves. */
  public enum Hessian {
    /** H ≈ Ŝ: the step costs no pass. */
    GAUSS_NEWTON,
    /** H = Ŝ − (1/n) Σ √y_i μ²/φ_μ³ a_i a_i^T, matrix-free in CG; Gauss-Newton step where H is not positive definite. */
    FULL
  }

  /**
   * @param name the solver's name in traces and job descriptions
   * @param schedule how μ shrinks ({@link SmoothingSchedule.None} gives BWGD)
   * @param hessian Gauss-Newton or full-Hessian step
   * @param tol stop when dist(x, x*) ≤ tol (truth known) or the relative step ≤ tol
   * @param maxIterations iteration budget
   * @param cgMaxIterations CG iterations per full-Hessian step
   * @param cgTol relative residual at which CG stops
   * @param stallLossTol a frozen point whose loss is above stallLossTol·mean(y) is STALLED, not CONVERGED
   * @param sketchK &gt; 0: quantile schedules build the histogram of |r_i| in each pass
   */
  public record Options(String name, SmoothingSchedule schedule, Hessian hessian, double tol, int maxIterations,
      int cgMaxIterations, double cgTol, double stallLossTol, int sketchK) implements Serializable {
    public Options {
      new StoppingRule(tol, maxIterations, stallLossTol); // validates them
      if (cgMaxIterations < 1) {
        throw new IllegalArgumentException("cg.max-iter must be >= 1, got " + cgMaxIterations);
      }
      if (!(cgTol > 0)) {
        throw new IllegalArgumentException("cg.tol must be > 0, got " + cgTol);
      }
      if (schedule instanceof SmoothingSchedule.None && hessian == Hessian.FULL) {
        throw new IllegalArgumentException("the full Hessian needs smoothing (μ > 0); BWGD uses the Gauss-Newton step");
      }
    }

    public StoppingRule stopping() {
      return new StoppingRule(tol, maxIterations, stallLossTol);
    }

    /** BWGD with the defaults. */
    public static Options bwgd(double tol, int maxIterations) {
      return new Options("bwgd", new SmoothingSchedule.None(), Hessian.GAUSS_NEWTON, tol, maxIterations, 20, 1e-10, 1e-12, 200);
    }

    /** Smoothing Newton with a schedule and the default CG and stall settings. */
    public static Options smoothing(SmoothingSchedule schedule, Hessian hessian, double tol, int maxIterations) {
      return new Options("smoothing-newton", schedule, hessian, tol, maxIterations, 20, 1e-10, 1e-12, 200);
    }
  }

  private final Options options;

  public SmoothingNewton(Options options) {
    this.options = options;
  }

  @Override
  public String name() {
    return options.name();
  }

  public Options options() {
    return options;
  }

  /** Iterates from x0 until the stopping rule fires or the budget ends. */
  @Override
  public Result solve(PhaseRetrievalProblem p, double[] x0) {
    SmoothingSchedule schedule = options.schedule();
    int sketchK = schedule.needsQuantile() ? options.sketchK() : 0;
    IterationLoop loop = new IterationLoop(options.name(), p::label, p::passes, options.stopping(), p.listener());

    loop.start(p.meanY(), p.hasTruth());
    double[] x = x0.clone();
    boolean switching = schedule.switching();
    double mu;
    AmplitudeKernel.Stats stats;
    boolean lagFromStart = false;
    if (switching) {
      // The pass at x_0 is unsmoothed; only a start far from x* pays a second pass at x_0 with μ_0, so that its
      // first step is smoothed. Otherwise the first step is BWGD's and these residuals set μ for the pass at x_1.
      mu = 0;
      stats = p.amplitude(x, 0, sketchK);
      if (schedule.smoothFirstStep(stats, p.meanY())) {
        mu = schedule.initial(stats);
        stats = p.amplitude(x, mu, sketchK, true);
      } else {
        lagFromStart = true;
      }
    } else {
      // Adaptive schedules measure the residuals at x_0 first: one more pass in row 0.
      mu = schedule.adaptive() ? schedule.initial(p.amplitude(x, 0, sketchK)) : schedule.initial(null);
      stats = p.amplitude(x, mu, sketchK);
    }
    loop.record(p.row(x, stats, mu, Double.NaN), x);

    boolean first = true;
    int fired = 0; // consecutive smoothed passes at which the switch fired
    boolean quadratic = false; // fired twice in a row: BWGD's quadratic phase, where the run stays
    boolean bet = false; // the pass at x returned b_0 only, betting that the switch fires there
    boolean measured = true; // stats are the pass at x (false: x's row was certified from the pass before)
    while (loop.next()) {
      if (!measured) {
        stats = passAt(p, x, mu, sketchK, switching, bet);
        measured = true;
      }
      double stepMu = quadratic ? 0.0 : schedule.stepMu(mu, stats);
      if (bet && stepMu > 0) {
        // Lost bet: the step is smoothed after all, and b_μ at x costs one more pass.
        stats = p.amplitude(x, mu, sketchK);
      }
      fired = switching && mu > 0 && stepMu == 0 ? fired + 1 : 0;
      quadratic = quadratic || fired >= 2;
      double[] next = step(p, x, stepMu, stepMu == mu ? p.b(stats) : p.bSign(stats), stats);
      double stepNorm = Stopping.relativeStep(x, next);
      long previousSigns = stats.signFingerprint;
      x = next;
      // Residuals of the previous pass: the one-pass lag. Once the switch fired at two passes in a row, the later
      // passes are unsmoothed (one column, BWGD's pass): the residuals collapse quadratically from there on, so the
      // smoothed b would not be used. (Sticky after one firing lost 2 of 30 successes at n/d = 3, d = 100.)
      mu = quadratic ? 0.0 : first && lagFromStart ? schedule.initial(stats) : schedule.next(mu, stats);
      first = false;
      bet = switching && !quadratic && stepMu == 0;
      // The pass at x_t bounds the loss at x_{t+1}. When the bound certifies an exact fit (noiseless data, the sign
      // pattern found), x_{t+1}'s row comes from it, and its pass runs only if the loop goes on: a stop there costs
      // no pass for a zero loss the bound already proves.
      double bound = p.lossBound(x, stats);
      if (bound <= options.stallLossTol() * p.meanY()) {
        measured = false;
        loop.record(new IterationLoop.Row(Math.max(0, bound), p.gradientNormWithSigns(x, stats), mu, stepNorm,
            p.distance(x)), x, false);
        continue;
      }
      stats = passAt(p, x, mu, sketchK, switching, bet);
      loop.record(p.row(x, stats, mu, stepNorm), x, stats.signFingerprint == previousSigns);
    }
    return loop.result(x);
  }

  /**
   * The pass at x_t. A switching schedule needs b_μ and b_0 there, one of which its step will use; both cost a
   * two-column pass (dgemm packs the block: ≈ 1.45× a gemv pass). After an unsmoothed step the residuals usually keep
   * collapsing and the switch fires again, so the pass bets on it and returns b_0 alone; a lost bet costs one more
   * pass for b_μ. The iterates are the same either way.
   */
  private static AmplitudeKernel.Stats passAt(PhaseRetrievalProblem p, double[] x, double mu, int sketchK,
      boolean switching, boolean bet) {
    return bet ? p.amplitude(x, 0, sketchK) : p.amplitude(x, mu, sketchK, switching);
  }

  /** The step from x with smoothing μ, b = b_μ(x) from the pass at x. */
  private double[] step(PhaseRetrievalProblem p, double[] x, double mu, double[] b, AmplitudeKernel.Stats stats) {
    double[] gaussNewton = p.solveSHat(b);
    if (options.hessian() == Hessian.GAUSS_NEWTON || mu == 0) {
      return gaussNewton;
    }
    double[] newtonStep = newtonStep(p, x, mu, p.gradient(x, stats));
    return newtonStep == null ? gaussNewton : Linalg.minus(x, newtonStep);
  }

  /**
   * Solves H s = g by CG preconditioned with Ŝ, started from the Gauss-Newton step Ŝ^{-1} g. Returns null
   * when H shows non-positive curvature along a CG direction (the caller then takes the Gauss-Newton step).
   */
  private double[] newtonStep(PhaseRetrievalProblem p, double[] x, double mu, double[] g) {
    double gNorm = Linalg.norm(g);
    double[] s = p.solveSHat(g);
    double[] hs = p.hessianTimes(x, mu, s);
    if (!(Linalg.dot(s, hs) > 0)) {
      return null;
    }
    double[] r = Linalg.minus(g, hs);
    double[] z = p.solveSHat(r);
    double[] dir = z.clone();
    double rz = Linalg.dot(r, z);
    for (int k = 0; k < options.cgMaxIterations() && Linalg.norm(r) > options.cgTol() * gNorm; k++) {
      double[] hd = p.hessianTimes(x, mu, dir);
      double curvature = Linalg.dot(dir, hd);
      if (!(curvature > 0)) {
        return null;
      }
      double alpha = rz / curvature;
      Linalg.axpy(alpha, dir, s);
      Linalg.axpy(-alpha, hd, r);
      z = p.solveSHat(r);
      double rzNext = Linalg.dot(r, z);
      double beta = rzNext / rz;
      rz = rzNext;
      for (int j = 0; j < dir.length; j++) {
        dir[j] = z[j] + beta * dir[j];
      }
    }
    return s;
  }
}
