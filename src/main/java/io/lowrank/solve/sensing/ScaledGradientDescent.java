package io.lowrank.solve.sensing;

import io.lowrank.linalg.Linalg;
import io.lowrank.solve.IterationLoop;
import io.lowrank.solve.Result;
import io.lowrank.solve.Status;
import io.lowrank.solve.Stopping;

/**
 * Factored gradient methods for f(X) = (1/4) Σ (⟨A_i, XX^T⟩ − y_i)², one sensing pass per iteration (the pass at
 * X_t gives f(X_t) and G, the step is formed on the driver from ∇f = G X_t and an r×r solve):
 * <ul>
 *   <li>{@link Method#SCALED_FIXED_LAMBDA} ScaledGD(λ): X ← X − η ∇f(X) (X^T X + λI)^{-1}, λ fixed, or adapted along
 *   the run from an estimate of σ_min(M*) ({@link AdaptiveDamping}) when σ_min is not known;</li>
 *   <li>{@link Method#SCALED} ScaledGD: the same with λ = 0 (needs X^T X invertible: exact rank, spectral start);</li>
 *   <li>{@link Method#PRECONDITIONED} PrecGD: λ_t = c·√f(X_t);</li>
 *   <li>{@link Method#GRADIENT} GD on the factor: X ← X − (η/σ_1) ∇f(X).</li>
 * </ul>
 * The trace's mu column holds the λ (λ_t) of the step that led to the row (the step η/σ_1 for GD).
 */
public final class ScaledGradientDescent implements SensingSolver {
  /** Which preconditioner the step uses. */
  public enum Method {
    SCALED_FIXED_LAMBDA("scaledgd-lambda"),
    SCALED("scaledgd"),
    PRECONDITIONED("precgd"),
    GRADIENT("gd");

    private final String id;

    Method(String id) {
      this.id = id;
    }

    /** The CLI name. */
    public String id() {
      return id;
    }

    /** The method of a CLI name. */
    public static Method of(String id) {
      for (Method m : values()) {
        if (m.id.equals(id)) {
          return m;
        }
      }
      throw new IllegalArgumentException("unknown sensing solver '" + id + "'");
    }
  }

  /**
   * @param method the update rule
   * @param eta step size η (&gt; 0; default 0.5)
   * @param lambda λ of ScaledGD(λ) (≥ 0; ignored otherwise)
   * @param c PrecGD's c in λ_t = c√f (&gt; 0)
   * @param sigma1 σ_1(M*) or its estimate, scales GD's step η/σ_1 (&gt; 0; ignored otherwise)
   * @param tol stop when ‖XX^T − M*‖_F/‖M*‖_F ≤ tol (truth known), or the relative step ≤ tol
   * @param maxIterations iteration budget
   * @param adaptiveFactor &gt; 0: ScaledGD(λ) takes λ_t = adaptiveFactor·σ̂_t of {@link AdaptiveDamping} and ignores
   *     {@code lambda}; 0: the fixed {@code lambda}
   */
  public record Options(Method method, double eta, double lambda, double c, double sigma1, double tol,
      int maxIterations, double adaptiveFactor) {
    /** ScaledGD(λ) with a fixed λ (or another method). */
    public Options(Method method, double eta, double lambda, double c, double sigma1, double tol, int maxIterations) {
      this(method, eta, lambda, c, sigma1, tol, maxIterations, 0);
    }

    public Options {
      if (method == null) {
        throw new IllegalArgumentException("solver must be one of scaledgd-lambda, scaledgd, precgd, gd");
      }
      if (!(eta > 0) || Double.isInfinite(eta)) {
        throw new IllegalArgumentException("eta must be finite and > 0, got " + eta);
      }
      if (!(lambda >= 0) || Double.isInfinite(lambda)) {
        throw new IllegalArgumentException("lambda must be finite and >= 0, got " + lambda);
      }
      if (!(c > 0) || Double.isInfinite(c)) {
        throw new IllegalArgumentException("precgd.c must be finite and > 0, got " + c);
      }
      if (method == Method.GRADIENT && (!(sigma1 > 0) || Double.isInfinite(sigma1))) {
        throw new IllegalArgumentException("gd needs sigma1 > 0 (σ_1(M*) or its estimate), got " + sigma1);
      }
      if (!(adaptiveFactor >= 0) || Double.isInfinite(adaptiveFactor)) {
        throw new IllegalArgumentException("lambda-factor must be finite and >= 0, got " + adaptiveFactor);
      }
      new Stopping.RelativeErrorOrStep(tol, maxIterations); // validates them
    }

    public String name() {
      return method.id();
    }

    /** Relative error ≤ tol (truth known), else relative step ≤ tol or f = 0; no stall test. */
    public Stopping.RelativeErrorOrStep stopping() {
      return new Stopping.RelativeErrorOrStep(tol, maxIterations);
    }
  }

  private final Options options;

  public ScaledGradientDescent(Options options) {
    this.options = options;
  }

  @Override
  public String name() {
    return options.name();
  }

  public Options options() {
    return options;
  }

  /** Iterates from X_0 (d×r, column-major) until the stopping rule fires or the budget ends. */
  @Override
  public Result solve(SensingProblem p, double[] x0, int r) {
    SubGradientMethod.requireL2(p, options.name());
    p.requireShape(x0, r);
    int d = p.d();
    IterationLoop loop = new IterationLoop(options.name(), p::label, p::passes, options.stopping(), p.listener());
    loop.start(p.lossAtZero(), p.hasTruth());
    double[] x = x0.clone();
    SensingProblem.Evaluation e = p.evaluate(x, r);
    AdaptiveDamping adaptive = options.adaptiveFactor() > 0 ? new AdaptiveDamping(options.adaptiveFactor()) : null;
    loop.record(row(p, e, x, r, Double.NaN, Double.NaN), x);

    while (loop.next()) {
      double damping = switch (options.method()) {
        case SCALED_FIXED_LAMBDA -> adaptive != null ? adaptive.next(e.step(), d, e.loss()) : options.lambda();
        case SCALED -> 0.0;
        case PRECONDITIONED -> options.c() * Math.sqrt(e.loss());
        case GRADIENT -> options.eta() / options.sigma1();
      };
      double[] direction = p.direction(e, x, r);
      double[] step = options.method() == Method.GRADIENT
          ? Linalg.scaled(damping, direction)
          : Preconditioned.step(options.eta(), direction, x, d, r, damping);
      if (step == null) {
        // X^T X + λI is not positive definite (λ = 0 with a rank-deficient X): the method breaks down.
        loop.stop(Status.DIVERGED);
        break;
      }
      double stepNorm = Linalg.norm(step) / Math.max(Linalg.norm(x), Double.MIN_NORMAL);
      x = Linalg.minus(x, step);
      e = p.evaluate(x, r);
      loop.record(row(p, e, x, r, damping, stepNorm), x);
    }
    return loop.result(x);
  }

  /** The trace row at X from its pass: f(X), ‖∇f(X)‖, the λ (or GD step) used, the relative step and error. */
  private static IterationLoop.Row row(SensingProblem p, SensingProblem.Evaluation e, double[] x, int r,
      double damping, double stepNorm) {
    return new IterationLoop.Row(e.loss(), Linalg.norm(p.gradient(e, x, r)), damping, stepNorm,
        p.relativeError(x, r));
  }
}
