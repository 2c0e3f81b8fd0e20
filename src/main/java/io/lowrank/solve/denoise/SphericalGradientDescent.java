package io.lowrank.solve.denoise;

import io.lowrank.linalg.Linalg;
import io.lowrank.solve.IterationLoop;
import io.lowrank.solve.Result;
import io.lowrank.solve.Stopping;
import java.util.Arrays;

/**
 * Gradient descent on the spheres for rank-one denoising (maximising x^T Y y, ‖x‖ = ‖y‖ = 1):
 * <pre>
 *   μ = x^T Y y,   x ← normalise(x + η(Y y − μ x)),   y ← normalise(y + η(Y^T x − μ y)),
 * </pre>
 * both updated from the same (x, y); time t = kη. One pass per step: the pass at (x_k, y_k) evaluates iterate k
 * (μ_k, gradient norm, trace row k) and provides the step to k + 1, so a run of K steps takes K + 1 passes (the
 * last evaluates the final iterate). Trace columns: loss = −μ (the cost −x^T Y y), gradient_norm =
 * ‖(Y y − μx, Y^T x − μy)‖, mu = μ, step_norm = ‖(x_k, y_k) − (x_{k−1}, y_{k−1})‖/√2, distance = NaN.
 *
 * <p>Status: CONVERGED when the gradient norm ≤ tol·|μ| (tol = 0: never, i.e. a fixed horizon), MAX_ITER after
 * the given steps, DIVERGED on a non-finite iterate.
 */
public final class SphericalGradientDescent {
  /**
   * @param eta step η &gt; 0
   * @param steps number of steps K ≥ 0 (final time Kη)
   * @param tol stop when ‖gradient‖ ≤ tol·|μ| (0 = run all steps)
   */
  public record Options(double eta, int steps, double tol) {
    public Options {
      if (!(eta > 0) || Double.isInfinite(eta)) {
        throw new IllegalArgumentException("eta must be a finite number > 0, got " + eta);
      }
      new Stopping.GradientOrHorizon(tol, steps); // validates them
    }

    /** ‖gradient‖ ≤ tol·|μ|, or the horizon of K steps. */
    public Stopping.GradientOrHorizon stopping() {
      return new Stopping.GradientOrHorizon(tol, steps);
    }
  }

  /**
   * A run: the final (x, y), the generic {@link Result} (estimate = x), and per iterate k the time kη, the
   * overlaps ⟨x_k,u⟩, ⟨y_k,v⟩ (NaN when the spikes are unknown) and μ_k.
   */
  public record Run(double[] x, double[] y, Result result, double[] t, double[] overlapU, double[] overlapV,
      double[] mu) {
    /** Number of iterates recorded (steps taken + 1). */
    public int size() {
      return t.length;
    }
  }

  private final Options options;

  public SphericalGradientDescent(Options options) {
    this.options = options;
  }

  public Options options() {
    return options;
  }

  /** The name in traces and Spark job descriptions ("denoise-gd iter k"). */
  public String name() {
    return "denoise-gd";
  }

  /** Runs from unit vectors (x₀, y₀). */
  public Run solve(DenoisingProblem problem, double[] x0, double[] y0) {
    if (x0.length != problem.n() || y0.length != problem.m()) {
      throw new IllegalArgumentException("x0 and y0 have lengths " + x0.length + " and " + y0.length
          + ", expected N = " + problem.n() + " and M = " + problem.m());
    }
    // This run's passes only: a problem may serve several runs (a sweep over starts).
    long passes0 = problem.passes();
    IterationLoop loop = new IterationLoop(name(), problem::label, () -> problem.passes() - passes0,
        options.stopping(), problem.listener());
    double eta = options.eta;
    Trajectory trajectory = new Trajectory(options.steps + 1);

    loop.start(Double.POSITIVE_INFINITY, false); // −μ is bounded by ‖Y‖: only non-finite values diverge
    double[] x = normalised(x0);
    double[] y = normalised(y0);
    Gradient g = gradient(problem, x, y);
    trajectory.add(loop.iteration() * eta, problem.overlapU(x), problem.overlapV(y), g.mu);
    loop.record(g.row(Double.NaN), x);
    while (loop.next()) {
      // x ← normalise(x + η(Y y − μx)), y ← normalise(y + η(Y^T x − μy)), both from the same (x, y).
      double[] xNext = x.clone();
      Linalg.axpy(eta, g.x, xNext);
      double[] yNext = y.clone();
      Linalg.axpy(eta, g.y, yNext);
      xNext = normalised(xNext);
      yNext = normalised(yNext);
      double stepNorm =
          Math.hypot(Linalg.norm(Linalg.minus(xNext, x)), Linalg.norm(Linalg.minus(yNext, y))) / Math.sqrt(2);
      x = xNext;
      y = yNext;
      g = gradient(problem, x, y);
      trajectory.add(loop.iteration() * eta, problem.overlapU(x), problem.overlapV(y), g.mu);
      loop.record(g.row(stepNorm), x);
    }
    Result result = loop.result(x);
    return new Run(x, y, result, trajectory.t(), trajectory.overlapU(), trajectory.overlapV(), trajectory.mu());
  }

  /** μ = x^T Y y and the Riemannian gradient (Y y − μx, Y^T x − μy) from one pass at (x, y). */
  private record Gradient(double mu, double[] x, double[] y) {
    /** The trace row: loss −μ, the gradient norm, μ, the step; no distance. */
    IterationLoop.Row row(double stepNorm) {
      return new IterationLoop.Row(-mu, Math.hypot(Linalg.norm(x), Linalg.norm(y)), mu, stepNorm, Double.NaN);
    }
  }

  private static Gradient gradient(DenoisingProblem problem, double[] x, double[] y) {
    DenoisingProblem.Products pr = problem.products(x, y);
    double mu = pr.xYy();
    double[] gx = pr.yy();
    Linalg.axpy(-mu, x, gx);
    double[] gy = pr.ytx();
    Linalg.axpy(-mu, y, gy);
    return new Gradient(mu, gx, gy);
  }

  /** Per iterate k: the time kη, the overlaps ⟨x_k,u⟩, ⟨y_k,v⟩ and μ_k. */
  private static final class Trajectory {
    private final double[] t;
    private final double[] overlapU;
    private final double[] overlapV;
    private final double[] mu;
    private int size;

    Trajectory(int capacity) {
      t = new double[capacity];
      overlapU = new double[capacity];
      overlapV = new double[capacity];
      mu = new double[capacity];
    }

    void add(double time, double ou, double ov, double m) {
      t[size] = time;
      overlapU[size] = ou;
      overlapV[size] = ov;
      mu[size] = m;
      size++;
    }

    double[] t() {
      return Arrays.copyOf(t, size);
    }

    double[] overlapU() {
      return Arrays.copyOf(overlapU, size);
    }

    double[] overlapV() {
      return Arrays.copyOf(overlapV, size);
    }

    double[] mu() {
      return Arrays.copyOf(mu, size);
    }
  }

  private static double[] normalised(double[] x) {
    double norm = Linalg.norm(x);
    if (!(norm > 0) || !Double.isFinite(norm)) {
      throw new IllegalArgumentException("cannot normalise a vector of norm " + norm);
    }
    return Linalg.scaled(1 / norm, x);
  }
}
