package io.lowrank.run;

import io.lowrank.solve.Result;
import io.lowrank.solve.Status;
import io.lowrank.solve.Trace;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a run returns: the estimate (column-major, {@code rows × columns}: x* is d × 1, a factor X is d × r), the
 * solver's {@link Result} (status, trace, passes, seconds), the fields of its summary in the order summary.json
 * lists them, and the wall time of each phase.
 *
 * @param solver the solver's name
 * @param estimate the final iterate, column-major
 * @param rows rows of the estimate
 * @param columns columns of the estimate
 * @param result status, trace, passes and solve seconds
 * @param summary the run's summary fields (unmodifiable)
 * @param timings seconds per phase
 */
public record RunResult(String solver, double[] estimate, int rows, int columns, Result result,
    Map<String, Object> summary, Timings timings) {
  public RunResult {
    summary = Collections.unmodifiableMap(new LinkedHashMap<>(summary));
  }

  /**
   * Wall seconds of a run's phases.
   *
   * @param load reading (or generating) and caching the data; 0 when the caller brought the engine
   * @param start set-up passes and the start (e.g. the spectral initialisation)
   * @param solve the solver's iterations
   */
  public record Timings(double load, double start, double solve) {
    public double total() {
      return load + start + solve;
    }
  }

  public Status status() {
    return result.status();
  }

  public int iterations() {
    return result.iterations();
  }

  public Trace trace() {
    return result.trace();
  }

  /** The same run with the seconds of loading its data and {@code input} (what it was) second in the summary. */
  RunResult loadedFrom(String input, double loadSeconds) {
    Map<String, Object> s = new LinkedHashMap<>();
    for (Map.Entry<String, Object> e : summary.entrySet()) {
      // "input" after the solver (and the operator, for sensing), where summaries have always had it.
      if (!s.containsKey("input") && !e.getKey().equals("solver") && !e.getKey().equals("operator")) {
        s.put("input", input);
      }
      s.put(e.getKey(), e.getValue());
    }
    return new RunResult(solver, estimate, rows, columns, result, s,
        new Timings(loadSeconds, timings.start(), timings.solve()));
  }

  /**
   * The usual summary fields of a solve, in order: status, iterations, passes, seconds, final_loss,
   * final_gradient_norm, distance_to_truth (null when the truth is unknown).
   */
  public static Map<String, Object> resultFields(Result result) {
    Map<String, Object> m = new LinkedHashMap<>();
    Trace.Record last = result.trace().last();
    m.put("status", result.status().name());
    m.put("iterations", result.iterations());
    m.put("passes", result.passes());
    m.put("seconds", result.seconds());
    m.put("final_loss", last.loss());
    m.put("final_gradient_norm", last.gradientNorm());
    m.put("distance_to_truth", last.distance());
    return m;
  }

  static double since(long nanos) {
    return (System.nanoTime() - nanos) / 1e9;
  }
}
