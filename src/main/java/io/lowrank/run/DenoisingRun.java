package io.lowrank.run;

import io.lowrank.data.Seeds;
import io.lowrank.data.SpikedMatrix;
import io.lowrank.engine.SparkEngine;
import io.lowrank.io.TruthFile;
import io.lowrank.linalg.Linalg;
import io.lowrank.solve.denoise.DenoisingProblem;
import io.lowrank.solve.denoise.SphericalGradientDescent;
import io.lowrank.theory.RankOneDenoisingTheory;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.sql.SparkSession;

/**
 * A rank-one denoising run: a spiked matrix Y (generated, or matrix rows from files) → engine → gradient descent on
 * the spheres from the set overlaps → the path of overlaps and μ, against the random-matrix-theory trajectory when
 * the spikes are known.
 */
public final class DenoisingRun {
  private DenoisingRun() {}

  /**
   * A run and what denoising adds to it.
   *
   * @param result the run (estimate = x, summary with the overlaps and the theory's fields)
   * @param path per step: time, overlaps, μ, and the final (x, y)
   * @param theory the prediction at θ and c = N/M, or null when the spikes are unknown
   */
  public record Outcome(RunResult result, SphericalGradientDescent.Run path, RankOneDenoisingTheory theory) {}

  /** Generates the spiked matrix of the settings on Spark and runs from overlaps (mu0, mv0). */
  public static Outcome run(SparkSession spark, DenoisingSettings s) {
    return run(spark, s, Progress.quiet());
  }

  /** As {@link #run(SparkSession, DenoisingSettings)}, telling {@code progress} as it goes. */
  public static Outcome run(SparkSession spark, DenoisingSettings s, Progress progress) {
    SpikedMatrix inst = s.instance(s.theta());
    long t0 = System.nanoTime();
    try (SparkEngine engine = SparkData.open(spark, Input.generated(inst), SparkData.Layout.MATRIX_ROWS,
        s.partitions(), 0, "denoise-gd", progress)) {
      double load = RunResult.since(t0);
      DenoisingProblem problem = new DenoisingProblem(engine, 1, inst.u(), inst.v());
      return solve(problem, inst.initialX(s.mu0()), inst.initialY(s.mv0()),
          RankOneDenoisingTheory.of((double) s.n() / s.m(), s.theta()), s, "generated", "generated", load, engine,
          progress);
    }
  }

  /**
   * Runs on the matrix rows of {@code input}. With the spikes (both or neither, unit vectors) the starts, overlaps
   * and theory are those of a generated matrix of the same seed; without them the starts are seeded random unit
   * vectors and the overlap and theory fields stay empty.
   */
  public static Outcome run(SparkSession spark, Input input, Truth u, Truth v, DenoisingSettings s) {
    return run(spark, input, u, v, s, Progress.quiet());
  }

  /** As {@link #run(SparkSession, Input, Truth, Truth, DenoisingSettings)}, telling {@code progress} as it goes. */
  public static Outcome run(SparkSession spark, Input input, Truth u, Truth v, DenoisingSettings s,
      Progress progress) {
    if ((u instanceof Truth.None) != (v instanceof Truth.None)) {
      throw new IllegalArgumentException("denoise.truth-u and denoise.truth-v go together: give both spikes or "
          + "neither (only " + (u instanceof Truth.None ? "truth-v" : "truth-u") + " is set)");
    }
    long t0 = System.nanoTime();
    try (SparkEngine engine = SparkData.open(spark, input, SparkData.Layout.MATRIX_ROWS, s.partitions(),
        s.blockRows(), "denoise-gd", progress)) {
      double load = RunResult.since(t0);
      double scale = s.sigma() > 0 ? DenoisingProblem.rawScale(s.sigma(), engine.dimension()) : 1;
      int rows = (int) engine.rows();
      int columns = engine.dimension();
      if (u instanceof Truth.None) {
        return solve(new DenoisingProblem(engine, scale, null, null), Seeds.unitVector(rows, Seeds.stream(s.seed(), -3)),
            Seeds.unitVector(columns, Seeds.stream(s.seed(), -4)), null, s, input.describe(), null, load, engine,
            progress);
      }
      double[] spikeU = unitSpike(u, rows, spark);
      double[] spikeV = unitSpike(v, columns, spark);
      return solve(new DenoisingProblem(engine, scale, spikeU, spikeV), SpikedMatrix.startX(spikeU, s.mu0(), s.seed()),
          SpikedMatrix.startY(spikeV, s.mv0(), s.seed()), RankOneDenoisingTheory.of((double) rows / columns, s.theta()),
          s, input.describe(), describe(u) + ", " + describe(v), load, engine, progress);
    }
  }

  /** {@code spikes}: what the summary says of the spikes (a generated matrix's, files, or null). */
  private static Outcome solve(DenoisingProblem problem, double[] x0, double[] y0, RankOneDenoisingTheory th,
      DenoisingSettings s, String input, String spikes, double load, SparkEngine engine, Progress progress) {
    SphericalGradientDescent gd = s.solver();
    problem.listen(progress);
    progress.phase("solving with denoise-gd");
    SphericalGradientDescent.Run run = gd.solve(problem, x0, y0);
    int last = run.size() - 1;
    Map<String, Object> summary = new LinkedHashMap<>();
    summary.put("solver", "denoise-gd");
    summary.putAll(RunResult.resultFields(run.result()));
    summary.put("N", problem.n());
    summary.put("M", problem.m());
    summary.put("eta", gd.options().eta());
    summary.put("final_t", run.t()[last]);
    summary.put("final_mu", run.mu()[last]);
    summary.put("final_overlap_u", run.overlapU()[last]);
    summary.put("final_overlap_v", run.overlapV()[last]);
    summary.put("partitions", engine.partitions());
    summary.put("master", engine.master());
    summary.put("blas", Linalg.blasName());
    if (th != null) {
      summary.putAll(theoryFields(th, s.mu0(), s.mv0()));
      double[] dev = maxDeviation(run, th, s.mu0(), s.mv0());
      summary.put("max_deviation_u", dev[0]);
      summary.put("max_deviation_v", dev[1]);
      summary.put("max_deviation_mu", dev[2]);
    }
    RunResult result = new RunResult("denoise-gd", run.x(), run.x().length, 1, run.result(), summary,
        new RunResult.Timings(0, 0, run.result().seconds())).loadedFrom(input, spikes, load, engine);
    return new Outcome(result, run, th);
  }

  /** The summary fields of the theory at initial overlaps (mu0, mv0). */
  public static Map<String, Object> theoryFields(RankOneDenoisingTheory th, double mu0, double mv0) {
    Map<String, Object> m = new LinkedHashMap<>();
    double[] lim = th.limit(mu0, mv0);
    m.put("c", th.c());
    m.put("theta", th.theta());
    m.put("threshold", th.threshold());
    m.put("above_threshold", th.above());
    m.put("alpha_u", th.alphaU());
    m.put("alpha_v", th.alphaV());
    m.put("critical_ratio", th.criticalRatio());
    m.put("limit_overlap_u", lim[0]);
    m.put("limit_overlap_v", lim[1]);
    m.put("limit_mu", lim[2]);
    return m;
  }

  /** max_k |simulated − predicted| of ⟨x,u⟩, ⟨y,v⟩ and μ along the path. */
  public static double[] maxDeviation(SphericalGradientDescent.Run run, RankOneDenoisingTheory th, double mu0,
      double mv0) {
    double[] dev = new double[3];
    for (int k = 0; k < run.size(); k++) {
      RankOneDenoisingTheory.Point q = th.predict(run.t()[k], mu0, mv0);
      dev[0] = Math.max(dev[0], Math.abs(run.overlapU()[k] - q.overlapU()));
      dev[1] = Math.max(dev[1], Math.abs(run.overlapV()[k] - q.overlapV()));
      dev[2] = Math.max(dev[2], Math.abs(run.mu()[k] - q.mu()));
    }
    return dev;
  }

  private static String describe(Truth spike) {
    return spike instanceof Truth.File f ? f.path() : "given";
  }

  private static double[] unitSpike(Truth truth, int length, SparkSession spark) {
    String name;
    double[] spike;
    if (truth instanceof Truth.File f) {
      name = "spike file " + f.path();
      spike = TruthFile.read(f.path(), length, spark.sparkContext().hadoopConfiguration());
    } else {
      name = "spike";
      spike = ((Truth.Values) truth).values();
      if (spike.length != length) {
        throw new IllegalArgumentException("a spike has " + spike.length + " values, expected " + length);
      }
    }
    double norm = Linalg.norm(spike);
    // Files written by `generate --kind spiked` hold unit vectors to the last bit; 1e-9 leaves room for rounding
    // by other writers.
    if (!(Math.abs(norm - 1) <= 1e-9)) {
      throw new IllegalArgumentException(name + ": a spike must be a unit vector, its norm is " + norm);
    }
    return spike;
  }
}
