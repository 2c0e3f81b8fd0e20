package io.lowrank.solve.escape;

import io.lowrank.linalg.Linalg;
import io.lowrank.solve.IterationLoop;
import io.lowrank.solve.Result;
import io.lowrank.solve.Status;
import io.lowrank.solve.Trace;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Gradient descent with escapes, as the SOD paper runs it:
 * <pre>
 *   X ← X_0
 *   repeat
 *     gradient descent X ← X − s ∇h(X) until h ≤ loss-tol (solved), ‖∇h‖_F ≤ τ, h stops dropping over a window, or
 *       the phase's step budget (one pass per step)
 *     if solved, or R escapes made, or the total step budget spent: stop
 *     escape at the stall (SOD, its line search, a random perturbation or a restart); stop if it did not move
 * </pre>
 * The trace numbers gradient steps globally across phases; every escape is an {@link EscapeEvent}.
 */
public final class EscapeSolver {
  private final EscapeProblem problem;
  private final DescentOptions descent;
  private final EscapeOptions escape;
  private final Method method;
  private final int maxEscapes;

  /**
   * @param maxEscapes R ≥ 0
   */
  public EscapeSolver(EscapeProblem problem, DescentOptions descent, EscapeOptions escape, Method method,
      int maxEscapes) {
    if (maxEscapes < 0) {
      throw new IllegalArgumentException("escape.max-escapes must be >= 0, got " + maxEscapes);
    }
    this.problem = problem;
    this.descent = descent;
    this.escape = escape;
    this.method = method;
    this.maxEscapes = maxEscapes;
  }

  /**
   * A run.
   *
   * @param estimate the final X (n×r)
   * @param status CONVERGED (h ≤ loss-tol), STALLED, MAX_ITER (total budget) or DIVERGED
   * @param trace one row per gradient step, numbered globally (loss h, ‖∇h‖_F, distance ‖XX^T − M*‖_F)
   * @param phaseStarts the global step at which each descent phase began (at the start and after each move)
   * @param phaseSeconds the wall time of each of those phases (its gradient passes; a phase continued after its step
   *     budget or after a stall without negative curvature counts as one)
   * @param events the escapes
   * @param passes passes of the whole run
   * @param seconds its wall time
   * @param descentSeconds the part spent in gradient descent
   */
  public record Outcome(double[] estimate, int rank, Status status, Trace trace, List<Long> phaseStarts,
      List<Double> phaseSeconds, List<EscapeEvent> events, long passes, double seconds, double descentSeconds) {
    /** Gradient steps taken (all phases). */
    public long steps() {
      return trace.last().iteration();
    }

    /** Escape attempts (events of a method other than none). */
    public long escapes() {
      return moves(events);
    }

    /** ‖XX^T − M*‖_F at the end. */
    public double distance() {
      return trace.last().distance();
    }
  }

  /**
   * @param x0 the start (n×r)
   * @param initScale the scale of a restart's Gaussian entries
   * @param rng the random draws (Lanczos start, δ samples, perturbations, restarts)
   */
  public Outcome solve(double[] x0, int r, double initScale, SplittableRandom rng) {
    return solve(x0, r, initScale, rng, false);
  }

  /**
   * @param escapeAtStart escape at x0 itself before any descent (x0 must be a stall: ‖∇h‖_F ≤ escape.max-gradient)
   */
  public Outcome solve(double[] x0, int r, double initScale, SplittableRandom rng, boolean escapeAtStart) {
    int n = problem.n();
    if (r < 1 || r > n) {
      throw new IllegalArgumentException("the rank r must be in [1, n = " + n + "], got " + r);
    }
    if (x0.length != n * r) {
      throw new IllegalArgumentException("the start must be " + n + "x" + r + " (" + n * r + " values), got "
          + x0.length);
    }
    long t0 = System.nanoTime();
    long passes0 = problem.passes();
    Trace trace = new Trace();
    List<Long> phaseStarts = new ArrayList<>();
    List<Double> phaseSeconds = new ArrayList<>();
    List<EscapeEvent> events = new ArrayList<>();
    SodEscape sod = new SodEscape(problem, escape);
    double[] x = x0.clone();
    Status status;
    double descentSeconds = 0;
    boolean first = true;
    boolean escaped = false;
    boolean secondOrder = false;
    while (true) {
      long used = trace.size() == 0 ? 0 : trace.last().iteration();
      long left = descent.totalSteps() - used;
      int budget = first && escapeAtStart ? 0
          : (int) Math.min(method == Method.NONE ? left : Math.min(left, descent.maxSteps()), Integer.MAX_VALUE);
      if (first || escaped) {
        phaseStarts.add(used);
        phaseSeconds.add(0.0);
      }
      // After a stall without negative curvature the gradient is still below τ: the phase that continues the descent
      // must not stop at its first row on the gradient test (it would analyse the same point again, forever).
      Result phase = descend(x, r, Math.max(budget, 0), used, trace, first || escaped,
          secondOrder ? 0 : descent.gradientTol());
      secondOrder = false;
      descentSeconds += phase.seconds();
      phaseSeconds.set(phaseSeconds.size() - 1, phaseSeconds.get(phaseSeconds.size() - 1) + phase.seconds());
      x = phase.estimate();
      status = phase.status();
      if (escaped) {
        EscapeEvent last = events.remove(events.size() - 1);
        events.add(last.withLossAfter(phase.trace().records().get(0).loss()));
      }
      boolean atStart = first && escapeAtStart;
      first = false;
      escaped = false;
      long spent = trace.last().iteration();
      if (status == Status.CONVERGED || status == Status.DIVERGED || method == Method.NONE
          || moves(events) >= maxEscapes || spent >= descent.totalSteps()) {
        if (status != Status.CONVERGED && status != Status.DIVERGED && spent >= descent.totalSteps()) {
          status = Status.MAX_ITER;
        } else if (status == Status.MAX_ITER) {
          status = Status.STALLED;
        }
        break;
      }
      if (!atStart && !(trace.last().gradientNorm() <= escape.maxGradient())) {
        // The phase's budget ended before a stall (a slow saddle region): keep descending, no escape yet. Only an
        // escape asked for at the start itself refuses a non-stall (SodEscape.analyze says how large ∇h is).
        continue;
      }
      long start = System.nanoTime();
      long before = problem.passes();
      int index = events.size();
      problem.label("escape " + index);
      // Every method looks at the stall first (G, λ_n, σ_r, δ, c): a stall without negative curvature is a
      // second-order point, nothing to escape from, whatever the method.
      SodEscape.Stall st = sod.analyze(x, r, rng);
      if (!(st.lambda() < -escape.minCurvature())) {
        // G ⪰ 0 up to min-curvature: not a spurious minimum, only an unfinished descent toward a second-order point
        // (for these problems the global minimum). Recorded, not counted as an escape; descent goes on.
        events.add(sod.none(x, r, st, index, spent, before, start));
        secondOrder = true;
        continue;
      }
      SodEscape.Move move = switch (method) {
        case SOD -> sod.sod(x, r, st, index, spent, before, start);
        case LINE_SEARCH -> sod.lineSearch(x, r, st, index, spent, before, start);
        case RANDOM -> sod.randomPerturbation(x, r, st, index, spent, before, start, rng);
        case RESTART -> sod.restart(x, r, st, index, spent, before, start, initScale, rng);
        default -> throw new IllegalStateException("no escape for " + method);
      };
      events.add(move.event());
      if (!move.event().accepted()) {
        status = Status.STALLED;
        break;
      }
      x = move.next();
      escaped = true;
    }
    return new Outcome(x, r, status, trace, phaseStarts, phaseSeconds, events, problem.passes() - passes0,
        (System.nanoTime() - t0) / 1e9, descentSeconds);
  }

  /** Escape attempts made (the stalls without negative curvature, which move nothing, are not counted). */
  private static long moves(List<EscapeEvent> events) {
    return events.stream().filter(e -> e.method() != Method.NONE).count();
  }

  /**
   * One descent phase of at most {@code budget} steps from x, its rows appended to {@code trace} from step offset,
   * stalled at ‖∇h‖_F ≤ gradientTol (0 = off).
   */
  private Result descend(double[] x0, int r, int budget, long offset, Trace trace, boolean newPoint,
      double gradientTol) {
    StallStopping rule = new StallStopping(gradientTol, descent.lossTol(), budget);
    IterationLoop loop = new IterationLoop("escape-gd", problem::label, problem::passes, rule);
    loop.start(Double.POSITIVE_INFINITY, problem.hasTruth());
    double[] x = x0.clone();
    EscapeProblem.Point p = problem.evaluate(x, r);
    int w = descent.window();
    double[] history = new double[w + 1];
    history[0] = p.loss();
    Trace phase = new Trace();
    record(loop, phase, trace, offset, p, Double.NaN, x, r, newPoint ? trace.size() > 0 : null);
    while (loop.next()) {
      double[] next = x.clone();
      Linalg.axpy(-descent.step(), p.gradient(), next);
      double stepNorm = Linalg.norm(Linalg.minus(next, x)) / Math.max(Linalg.norm(x), Double.MIN_NORMAL);
      x = next;
      p = problem.evaluate(x, r);
      record(loop, phase, trace, offset, p, stepNorm, x, r, false);
      int t = loop.iteration();
      if (w > 0) {
        history[t % (w + 1)] = p.loss();
        if (t >= w) {
          double old = history[(t - w) % (w + 1)];
          if (old - p.loss() <= descent.windowTol() * old && p.loss() > descent.lossTol()) {
            loop.stop(Status.STALLED);
          }
        }
      }
    }
    Result res = loop.result(x);
    return new Result(x, res.status(), phase, res.passes(), res.seconds());
  }

  /**
   * Records a row in the phase's loop and, renumbered globally, in the run's trace: {@code continuing} true for the
   * row 0 of a phase after an escape (the point it moved to, at the stall's step number), null for the row 0 of a
   * phase continuing an unstalled one (already in the trace), false otherwise.
   */
  private void record(IterationLoop loop, Trace phase, Trace trace, long offset, EscapeProblem.Point p,
      double stepNorm, double[] x, int r, Boolean continuing) {
    double distance = problem.distance(x, r);
    loop.record(new IterationLoop.Row(p.loss(), p.gradientNorm(), descent.step(), stepNorm, distance), x);
    Trace.Record rec = new Trace.Record(loop.iteration(), p.loss(), p.gradientNorm(), descent.step(), stepNorm,
        distance, 1, 0);
    phase.add(rec);
    if (continuing == null) {
      return; // a phase continuing the last one: its start is the trace's last row already
    }
    if (continuing) {
      // The escape's new point: same global step number as the stall it left (it took no gradient step).
      trace.add(new Trace.Record((int) offset, p.loss(), p.gradientNorm(), Double.NaN, Double.NaN, distance, 1, 0));
    } else {
      trace.add(new Trace.Record((int) (offset + loop.iteration()), p.loss(), p.gradientNorm(), descent.step(),
          stepNorm, distance, 1, 0));
    }
  }
}
