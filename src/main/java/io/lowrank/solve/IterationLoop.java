package io.lowrank.solve;

import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * The bookkeeping every solver loop shares, so that the loop itself reads like the paper's pseudocode (step,
 * evaluate, record):
 * <pre>
 *   IterationLoop loop = new IterationLoop(name, problem::label, problem::passes, stopping, problem.listener());
 *   loop.start(lossScale, truthKnown);           // iteration 0: the start x_0
 *   ... evaluate x_0 ...
 *   loop.record(row, x);
 *   while (loop.next()) {                        // iterations 1, 2, ... until the rule stops or the budget ends
 *     ... step, evaluate ...
 *     loop.record(row, x);
 *   }
 *   return loop.result(x);
 * </pre>
 * Per iteration t it labels the passes {@code "<name> iter <t>"} for the Spark UI, times the iteration (wall ms),
 * counts its passes on the problem's counter, appends the {@link Trace.Record} and asks the {@link Stopping} rule; at
 * the end it builds the {@link Result} (estimate, status, trace, passes, seconds), the status saying why it stopped.
 * Like Photon ML's optimisers the loop, not the solver, owns the stop and its reason.
 */
public final class IterationLoop {
  /**
   * A solver's measurements at an iterate; the loop adds the iteration, passes and wall ms of the trace row.
   *
   * @param loss objective at the iterate
   * @param gradientNorm norm of the (smoothed) gradient at the iterate, NaN when not measured
   * @param mu μ, λ or η of the step that led here; NaN when none
   * @param stepNorm ‖x_t − x_{t−1}‖ / ‖x_{t−1}‖; NaN at row 0
   * @param distance distance to the truth when known, else NaN
   */
  public record Row(double loss, double gradientNorm, double mu, double stepNorm, double distance) {}

  /**
   * Hears every trace row as it is recorded (the run layer's progress lines); solve itself prints nothing. A problem
   * carries the listener its run gave it ({@code problem.listener()}), and its solvers hand it to their loop.
   */
  public interface Listener {
    /** Hears nothing (the default of a problem nobody listens to). */
    Listener NONE = (solver, record) -> { };

    /** Called after {@code solver}'s row {@code record} was appended. */
    void iteration(String solver, Trace.Record record);
  }

  private final String name;
  private final Consumer<String> label;
  private final LongSupplier passes;
  private final Stopping stopping;
  private final Listener listener;
  private final long solveStart = System.nanoTime();
  private final Trace trace = new Trace();
  private int iteration = -1;
  private long iterationStart;
  private long passesAtIterationStart;
  private double lossScale;
  private boolean truthKnown;
  private double startLoss = Double.NaN;
  private Status status; // null while running

  /**
   * Starts the solve's clock (set-up the solver runs before {@link #start} counts in the seconds).
   *
   * @param name the solver's name in the Spark UI labels, e.g. "bwgd"
   * @param label names the passes that follow (the problem's {@code label})
   * @param passes the pass counter the trace's passes column and the result's pass count read
   * @param stopping the budget and the stopping test
   */
  public IterationLoop(String name, Consumer<String> label, LongSupplier passes, Stopping stopping) {
    this(name, label, passes, stopping, Listener.NONE);
  }

  /** As {@link #IterationLoop(String, Consumer, LongSupplier, Stopping)}, each row also told to {@code listener}. */
  public IterationLoop(String name, Consumer<String> label, LongSupplier passes, Stopping stopping,
      Listener listener) {
    this.name = name;
    this.label = label;
    this.passes = passes;
    this.stopping = stopping;
    this.listener = listener;
  }

  /**
   * Begins iteration 0, the evaluation of the start.
   *
   * @param lossScale the scale the divergence test judges the loss against with the start's loss (+∞: only
   *     non-finite values diverge)
   * @param truthKnown whether the rows' distance is to a known truth
   */
  public void start(double lossScale, boolean truthKnown) {
    if (iteration != -1) {
      throw new IllegalStateException("the loop has started already");
    }
    this.lossScale = lossScale;
    this.truthKnown = truthKnown;
    begin(0);
  }

  /**
   * Begins the next iteration t (labels, timer, pass mark), or returns false when the rule has stopped the loop
   * or the budget of {@link Stopping#maxIterations()} iterations is spent.
   */
  public boolean next() {
    if (status != null) {
      return false;
    }
    if (iteration < 0 || trace.size() != iteration + 1) {
      throw new IllegalStateException("record iteration " + iteration + " before the next one");
    }
    if (iteration >= stopping.maxIterations()) {
      return false;
    }
    begin(iteration + 1);
    return true;
  }

  private void begin(int t) {
    iteration = t;
    label.accept(name + " iter " + t);
    iterationStart = System.nanoTime();
    passesAtIterationStart = passes.getAsLong();
  }

  /** {@link #record(Row, double[], boolean)} for a solver without a discrete state. */
  public void record(Row row, double[] iterate) {
    record(row, iterate, true);
  }

  /**
   * Appends the current iteration's trace row (with its passes and wall ms) and asks the stopping rule (at row 0
   * only when {@link Stopping#checksStart()}).
   *
   * @param iterate the new iterate (for the non-finite test)
   * @param frozen whether the solver's discrete state stopped changing in this iteration (BWGD's sign pattern)
   */
  public void record(Row row, double[] iterate, boolean frozen) {
    if (iteration < 0 || trace.size() != iteration) {
      throw new IllegalStateException("iteration " + iteration + " is recorded already or has not begun");
    }
    Trace.Record r = new Trace.Record(iteration, row.loss(), row.gradientNorm(), row.mu(), row.stepNorm(),
        row.distance(), passes.getAsLong() - passesAtIterationStart, (System.nanoTime() - iterationStart) / 1_000_000);
    trace.add(r);
    listener.iteration(name, r);
    if (iteration == 0) {
      startLoss = r.loss();
      if (!stopping.checksStart()) {
        return;
      }
    }
    status = stopping.check(new Stopping.Progress(r, iterate, startLoss, lossScale, truthKnown, frozen));
  }

  /** Ends the loop without a row for the current iteration (e.g. a step that cannot be taken: DIVERGED). */
  public void stop(Status why) {
    status = why;
  }

  /** The current iteration (0 = the start). */
  public int iteration() {
    return iteration;
  }

  /** The result: the estimate, why the loop stopped (MAX_ITER when the budget ran out), the trace, the pass count. */
  public Result result(double[] estimate) {
    return new Result(estimate, status == null ? Status.MAX_ITER : status, trace, passes.getAsLong(),
        (System.nanoTime() - solveStart) / 1e9);
  }
}
