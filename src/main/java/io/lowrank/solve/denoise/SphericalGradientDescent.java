package io.lowrank.solve.denoise;

import io.lowrank.linalg.Linalg;
import io.lowrank.solve.Result;
import io.lowrank.solve.Status;
import io.lowrank.solve.Trace;

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
      if (steps < 0) {
        throw new IllegalArgumentException("steps must be >= 0, got " + steps);
      }
      if (!(tol >= 0)) {
        throw new IllegalArgumentException("tol must be >= 0, got " + tol);
      }
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

  /** Runs from unit vectors (x₀, y₀). */
  public Run solve(DenoisingProblem problem, double[] x0, double[] y0) {
    if (x0.length != problem.n() || y0.length != problem.m()) {
      throw new IllegalArgumentException("x0 and y0 have lengths " + x0.length + " and " + y0.length
          + ", expected N = " + problem.n() + " and M = " + problem.m());
    }
    long start = System.nanoTime();
    long passes0 = problem.passes();
    double eta = options.eta;
    int k = options.steps;
    double[] x = normalised(x0);
    double[] y = normalised(y0);
    double[] t = new double[k + 1];
    double[] ou = new double[k + 1];
    double[] ov = new double[k + 1];
    double[] mus = new double[k + 1];
    Trace trace = new Trace();
    Status status = Status.MAX_ITER;
    double[] xPrev = null;
    double[] yPrev = null;
    int last = 0;
    for (int step = 0; ; step++) {
      long it0 = System.nanoTime();
      long p0 = problem.passes();
      problem.label("denoise-gd iter " + step);
      DenoisingProblem.Products pr = problem.products(x, y);
      double mu = pr.xYy();
      double[] gx = pr.yy();
      Linalg.axpy(-mu, x, gx);
      double[] gy = pr.ytx();
      Linalg.axpy(-mu, y, gy);
      double gradNorm = Math.hypot(Linalg.norm(gx), Linalg.norm(gy));
      double stepNorm = xPrev == null ? Double.NaN
          : Math.hypot(Linalg.norm(Linalg.minus(x, xPrev)), Linalg.norm(Linalg.minus(y, yPrev))) / Math.sqrt(2);
      t[step] = step * eta;
      ou[step] = problem.overlapU(x);
      ov[step] = problem.overlapV(y);
      mus[step] = mu;
      last = step;
      trace.add(new Trace.Record(step, -mu, gradNorm, mu, stepNorm, Double.NaN, problem.passes() - p0,
          (System.nanoTime() - it0) / 1_000_000));
      if (!Double.isFinite(mu) || !Double.isFinite(gradNorm)) {
        status = Status.DIVERGED;
        break;
      }
      if (options.tol > 0 && gradNorm <= options.tol * Math.abs(mu)) {
        status = Status.CONVERGED;
        break;
      }
      if (step == k) {
        break;
      }
      xPrev = x;
      yPrev = y;
      // Both from the same (x, y).
      double[] xn = x.clone();
      Linalg.axpy(eta, gx, xn);
      double[] yn = y.clone();
      Linalg.axpy(eta, gy, yn);
      x = normalised(xn);
      y = normalised(yn);
    }
    int size = last + 1;
    Result result = new Result(x, status, trace, problem.passes() - passes0, (System.nanoTime() - start) / 1e9);
    return new Run(x, y, result, java.util.Arrays.copyOf(t, size), java.util.Arrays.copyOf(ou, size),
        java.util.Arrays.copyOf(ov, size), java.util.Arrays.copyOf(mus, size));
  }

  private static double[] normalised(double[] x) {
    double norm = Linalg.norm(x);
    if (!(norm > 0) || !Double.isFinite(norm)) {
      throw new IllegalArgumentException("cannot normalise a vector of norm " + norm);
    }
    return Linalg.scaled(1 / norm, x);
  }
}
