package io.lowrank.run;

import io.lowrank.data.GaussianPhaseRetrieval;
import io.lowrank.engine.Engine;
import io.lowrank.engine.SparkEngine;
import io.lowrank.io.TruthFile;
import io.lowrank.linalg.Linalg;
import io.lowrank.solve.Result;
import io.lowrank.solve.phase.PhaseRetrievalProblem;
import io.lowrank.solve.phase.PhaseRetrievalSolver;
import io.lowrank.solve.phase.SmoothingNewton;
import io.lowrank.solve.phase.SpectralInitializer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.SparkSession;

/**
 * A phase-retrieval run: data → engine → problem (the Ŝ set-up pass) → spectral start → solver → result. From
 * spark-shell or Java:
 * <pre>
 *   RunResult r = PhaseRetrievalRun.run(spark, Input.path("y.parquet"), null, PhaseRetrievalSettings.defaults());
 * </pre>
 */
public final class PhaseRetrievalRun {
  private PhaseRetrievalRun() {}

  /**
   * Loads {@code input} on Spark, solves, and releases the cached data.
   *
   * @param truth x* when known, else null (a generated {@link GaussianPhaseRetrieval} brings its own)
   */
  public static RunResult run(SparkSession spark, Input input, double[] truth, PhaseRetrievalSettings settings) {
    return run(spark, input, Truth.of(truth), settings);
  }

  /** As {@link #run(SparkSession, Input, double[], PhaseRetrievalSettings)}, the truth possibly a file. */
  public static RunResult run(SparkSession spark, Input input, Truth truth, PhaseRetrievalSettings settings) {
    return run(spark, input, truth, settings, Progress.quiet());
  }

  /** As {@link #run(SparkSession, Input, Truth, PhaseRetrievalSettings)}, telling {@code progress} as it goes. */
  public static RunResult run(SparkSession spark, Input input, Truth truth, PhaseRetrievalSettings settings,
      Progress progress) {
    if (input instanceof Input.Generated && !(truth instanceof Truth.None)) {
      throw new IllegalArgumentException("a truth is for measurements read from files or a DataFrame; a generated "
          + "instance has its own: drop the truth");
    }
    long t0 = System.nanoTime();
    try (SparkEngine engine = SparkData.open(spark, input, SparkData.Layout.MEASUREMENTS, settings.partitions(), 0,
        settings.solver(), progress)) {
      double[] x = truthOf(input, truth, engine.dimension(), spark);
      EngineChoice.Decision where = settings.engine().decide(engine, settings.solver(), Runtime.getRuntime().maxMemory());
      if (!where.local()) {
        double load = RunResult.since(t0);
        return solve(engine, x, settings, progress).loadedFrom(input.describe(), RunResult.describe(truth, input), load,
            engine).ranOn("spark", where.reason(), engine.master());
      }
      int cached = engine.cachedPartitions();
      int partitions = engine.partitions();
      progress.phase("copying the cached blocks to the driver (" + where.reason() + ")");
      try (Engine local = EngineChoice.inProcess(engine)) {
        engine.close(); // the in-process copy replaces the cached one before the solve, not after it
        double load = RunResult.since(t0);
        return solve(local, x, settings, progress).loadedFrom(input.describe(), RunResult.describe(truth, input), load,
            cached, partitions).ranOn("in-process", where.reason(), engine.master());
      }
    }
  }

  private static double[] truthOf(Input input, Truth truth, int d, SparkSession spark) {
    if (input instanceof Input.Generated g && g.source() instanceof GaussianPhaseRetrieval instance) {
      return instance.truth();
    }
    if (truth instanceof Truth.File f) {
      return TruthFile.read(f.path(), d, spark.sparkContext().hadoopConfiguration());
    }
    if (truth instanceof Truth.Values v) {
      if (v.values().length != d) {
        throw new IllegalArgumentException("the truth has " + v.values().length + " values, expected d = " + d);
      }
      return v.values();
    }
    return null;
  }

  /** Solves over an engine the caller owns (in-process trials, benchmarks, a Spark engine already loaded). */
  public static RunResult solve(Engine engine, double[] truth, PhaseRetrievalSettings settings) {
    return solve(engine, truth, settings, Progress.quiet());
  }

  /** As {@link #solve(Engine, double[], PhaseRetrievalSettings)}, telling {@code progress} as it goes. */
  public static RunResult solve(Engine engine, double[] truth, PhaseRetrievalSettings settings, Progress progress) {
    String name = settings.solver();
    PhaseRetrievalSolver solver = settings.solver(engine);
    long t0 = System.nanoTime();
    progress.phase("set-up pass");
    PhaseRetrievalProblem problem = PhaseRetrievalProblem.setUp(engine, truth);
    problem.listen(progress);
    problem.label(name + " spectral init");
    progress.phase("spectral start");
    double[] x0 = settings.start().initialize(problem);
    double start = RunResult.since(t0);
    Result result;
    try {
      progress.phase("solving with " + name);
      result = solver.solve(problem, x0);
    } finally {
      if (solver instanceof AutoCloseable closeable) {
        closeQuietly(closeable);
      }
    }
    Map<String, Object> summary = new LinkedHashMap<>();
    summary.put("solver", name);
    summary.putAll(RunResult.resultFields(result));
    summary.put("n", engine.rows());
    summary.put("d", engine.dimension());
    summary.put("partitions", engine.partitions());
    summary.put("master", engine.master());
    if (solver instanceof SmoothingNewton sn) {
      summary.put("schedule", sn.options().schedule().id());
      summary.put("hessian", sn.options().hessian().name().toLowerCase().replace('_', '-'));
    }
    summary.put("initial_distance_to_truth", truth == null ? null : problem.distance(x0));
    if (engine.rows() < 2L * engine.dimension() - 1) {
      RunResult.warn(summary, "n = " + engine.rows() + " < 2d - 1 = " + (2L * engine.dimension() - 1) + ": real "
          + "phase retrieval needs at least 2d - 1 measurements for x to be determined (up to sign), so the estimate "
          + "may fit the data and still not be x*");
    }
    summary.put("blas", Linalg.blasName());
    return new RunResult(name, result.estimate(), engine.dimension(), 1, result, summary,
        new RunResult.Timings(0, start, result.seconds()));
  }

  /**
   * Every solver from one start (a comparison: trials, benchmarks): the problem is set up once, {@code start} runs
   * once, and each result's trace measures the distance to {@code truth}.
   */
  public static List<Result> compare(Engine engine, double[] truth, SpectralInitializer start,
      List<PhaseRetrievalSolver> solvers) {
    PhaseRetrievalProblem problem = PhaseRetrievalProblem.setUp(engine, truth);
    double[] x0 = start.initialize(problem);
    List<Result> results = new ArrayList<>();
    for (PhaseRetrievalSolver solver : solvers) {
      results.add(solver.solve(problem, x0));
    }
    return results;
  }

  private static void closeQuietly(AutoCloseable c) {
    try {
      c.close();
    } catch (Exception e) {
      throw new IllegalStateException("cannot release the solver's resources: " + e.getMessage(), e);
    }
  }
}
