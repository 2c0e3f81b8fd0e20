package io.lowrank.run;

import io.lowrank.solve.Result;
import io.lowrank.solve.Status;
import io.lowrank.solve.Trace;
import io.lowrank.engine.SparkEngine;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
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
    Map<String, Object> s = new LinkedHashMap<>(summary);
    s.put("phases", phases(result, timings));
    summary = Collections.unmodifiableMap(s);
  }

  /** Passes the solver's iterations took (the trace's rows, the start's evaluation included). */
  public long solvePasses() {
    return result.trace().records().stream().mapToLong(Trace.Record::passes).sum();
  }

  /**
   * Seconds and passes per phase: load (reading or generating and caching the data), start (set-up passes and the
   * start), solve (the trace's rows), total.
   */
  private static Map<String, Object> phases(Result result, Timings t) {
    long solve = result.trace().records().stream().mapToLong(Trace.Record::passes).sum();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("load", Map.of("seconds", t.load()));
    m.put("start", phase(t.start(), result.passes() - solve));
    m.put("solve", phase(t.solve(), solve));
    m.put("total", phase(t.total(), result.passes()));
    return m;
  }

  private static Map<String, Object> phase(double seconds, long passes) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("seconds", seconds);
    m.put("passes", passes);
    return m;
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

  /**
   * The same run with the Spark master that loaded its data, where its passes ran ({@code engine}: spark or
   * in-process) and why ({@code engine_choice}) in the summary.
   */
  RunResult ranOn(String engine, String why, String master) {
    Map<String, Object> s = new LinkedHashMap<>();
    for (Map.Entry<String, Object> e : summary.entrySet()) {
      s.put(e.getKey(), e.getKey().equals("master") ? master : e.getValue());
      if (e.getKey().equals("master")) {
        s.put("engine", engine);
        s.put("engine_choice", why);
      }
    }
    s.putIfAbsent("engine", engine);
    s.putIfAbsent("engine_choice", why);
    return new RunResult(solver, estimate, rows, columns, result, s, timings);
  }

  public Trace trace() {
    return result.trace();
  }

  /**
   * The same run with the seconds of loading its data, and {@code input} (what it was) and {@code truth} (which truth
   * the distances are to: a path, "generated", "given", or null) after the solver in the summary; also the fraction
   * of the engine's partitions Spark kept cached, with a warning when passes had to recompute some.
   */
  RunResult loadedFrom(String input, String truth, double loadSeconds, SparkEngine engine) {
    return loadedFrom(input, truth, loadSeconds, engine.cachedPartitions(), engine.partitions());
  }

  /** As {@link #loadedFrom(String, String, double, SparkEngine)} with the cache state counted before. */
  RunResult loadedFrom(String input, String truth, double loadSeconds, int cached, int partitions) {
    Map<String, Object> s = new LinkedHashMap<>();
    for (Map.Entry<String, Object> e : summary.entrySet()) {
      // After the solver (and the operator, for sensing), where summaries have always had the input.
      if (!s.containsKey("input") && !e.getKey().equals("solver") && !e.getKey().equals("operator")) {
        s.put("input", input);
        s.put("truth", truth);
      }
      s.put(e.getKey(), e.getValue());
    }
    s.put("cached_fraction", (double) cached / partitions);
    if (cached < partitions) {
      warn(s, "only " + cached + " of " + partitions + " partitions of the data stayed in Spark's storage "
          + "memory: every pass recomputed the rest (give the JVM more memory, e.g. JAVA_OPTS=-Xmx8g, or Spark's "
          + "executors more)");
    }
    return new RunResult(solver, estimate, rows, columns, result, s,
        new Timings(loadSeconds, timings.start(), timings.solve()));
  }

  /** The same run with the summary field {@code key} = {@code value} right after the field {@code after}. */
  RunResult withFieldAfter(String after, String key, Object value) {
    Map<String, Object> s = new LinkedHashMap<>();
    for (Map.Entry<String, Object> e : summary.entrySet()) {
      if (!e.getKey().equals(key)) {
        s.put(e.getKey(), e.getValue());
      }
      if (e.getKey().equals(after)) {
        s.put(key, value);
      }
    }
    return new RunResult(solver, estimate, rows, columns, result, s, timings);
  }

  /** Adds {@code warning} to the summary's "warnings" list. */
  @SuppressWarnings("unchecked")
  static void warn(Map<String, Object> summary, String warning) {
    ((List<String>) summary.computeIfAbsent("warnings", k -> new ArrayList<String>())).add(warning);
  }

  /** The run's warnings (empty when none). */
  @SuppressWarnings("unchecked")
  public List<String> warnings() {
    return (List<String>) summary.getOrDefault("warnings", List.of());
  }

  /** What a summary says of the truth a run measured its distances to. */
  static String describe(Truth truth, Input input) {
    if (input instanceof Input.Generated) {
      return "generated";
    }
    if (truth instanceof Truth.File f) {
      return f.path();
    }
    return truth instanceof Truth.Values ? "given" : null;
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
