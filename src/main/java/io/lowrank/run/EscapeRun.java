package io.lowrank.run;

import io.lowrank.data.Block;
import io.lowrank.data.BlockSource;
import io.lowrank.data.EscapeToy;
import io.lowrank.data.GaussianSensing;
import io.lowrank.data.LowRankTruth;
import io.lowrank.data.PerturbedCompletion;
import io.lowrank.data.Seeds;
import io.lowrank.engine.Engine;
import io.lowrank.engine.LocalEngine;
import io.lowrank.engine.SparkEngine;
import io.lowrank.io.EntryReader;
import io.lowrank.io.FactorFile;
import io.lowrank.io.Format;
import io.lowrank.io.Measurements;
import io.lowrank.io.OperatorFile;
import io.lowrank.io.OperatorRows;
import io.lowrank.linalg.Linalg;
import io.lowrank.model.factor.DenseOperator;
import io.lowrank.model.factor.EntryOperator;
import io.lowrank.model.factor.FactorOperator;
import io.lowrank.solve.Result;
import io.lowrank.solve.escape.EscapeEvent;
import io.lowrank.solve.escape.EscapeProblem;
import io.lowrank.solve.escape.EscapeSolver;
import io.lowrank.solve.escape.Method;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;

/**
 * An escape run: the instance of the settings (perturbed completion generated on the executors, or the toy) → engine
 * → gradient descent until it stalls → escapes (SOD, its line search, a random perturbation, a restart) → gradient
 * descent again, up to R times. On Spark or in one JVM (the same kernels and numbers).
 */
public final class EscapeRun {
  private static final StorageLevel LEVEL = StorageLevel.MEMORY_ONLY();

  private EscapeRun() {}

  /**
   * A run and what the escape adds to it.
   *
   * @param result the run (estimate X, trace of every gradient step, summary with the escapes)
   * @param outcome the solver's outcome (events, phase starts)
   */
  public record Outcome(RunResult result, EscapeSolver.Outcome outcome) {}

  /**
   * An instance: blocks (null when read from a file: the engine holds them), operator and truth factor (null when
   * unknown, truthRank 0).
   */
  record Instance(BlockSource source, FactorOperator operator, double[] truth, int truthRank, String name) {
    int n() {
      return operator.rows();
    }
  }

  /** The generated instance the settings describe. */
  static Instance instance(EscapeSettings s) {
    switch (s.instance()) {
      case "toy" -> {
        return new Instance(new EscapeToy(), DenseOperator.symmetric(2), EscapeToy.truth(), 1, "toy");
      }
      case "gaussian" -> {
        // The instance `generate --kind sensing` writes for the same n = d, r*, κ, m and seed (there at unit scale).
        LowRankTruth truth = LowRankTruth.generate(s.n(), s.truthRank(), s.kappa(), s.seed());
        int rows = s.blockRows() > 0 ? s.blockRows() : GaussianSensing.defaultBlockRows(s.n());
        GaussianSensing g = GaussianSensing.stored(truth, s.m(), s.seed(), 0.0, rows);
        return new Instance(OperatorRows.normalised(g, s.n()), DenseOperator.symmetric(s.n()), truth.factor(),
            truth.rank(), "gaussian");
      }
      default -> {
        PerturbedCompletion pmc = new PerturbedCompletion(s.n(), s.epsilon(), s.truthRank(), s.blockRows());
        return new Instance(pmc, EntryOperator.symmetric(s.n()), pmc.truth(), s.truthRank(), "pmc");
      }
    }
  }

  /**
   * Runs on Spark: the generated instance of the settings (on the executors), or the settings' input file (then
   * {@code truthPath}, or null, is the truth X*).
   */
  public static Outcome run(SparkSession spark, EscapeSettings s, String truthPath) {
    if (s.input().isPresent()) {
      return runFile(spark, s, truthPath);
    }
    if (truthPath != null) {
      throw new IllegalArgumentException("--truth " + truthPath + " is the truth of an --input file; the generated "
          + s.instance() + " instance has its own");
    }
    return run(spark, s);
  }

  /** Generates the instance on Spark's executors and runs. */
  public static Outcome run(SparkSession spark, EscapeSettings s) {
    Instance inst = instance(s);
    double[] x0 = start(s, spark.sparkContext().hadoopConfiguration(), inst);
    long t0 = System.nanoTime();
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    try (SparkEngine engine = SparkEngine.generated(jsc, inst.source(), s.partitions(), "escape",
        StorageLevel.MEMORY_ONLY())) {
      double load = RunResult.since(t0);
      Outcome o = solve(engine, inst, s, x0);
      RunResult r = o.result().loadedFrom("generated", "generated", load, engine);
      return new Outcome(r, o.outcome());
    }
  }

  /**
   * Reads the input file and runs: an operator file (header y,a_0,...,a_{n²−1}: square A_i, used times 1/√m so that
   * E‖A(M)‖² = ‖M‖_F² as for the generated Gaussian instance and the sensing family's symmetric model) or completion
   * entries (i, j, y[, w], used as given: ⟨A_e, XX^T⟩ = w (XX^T)_ij; each ordered pair one measurement, so (i, j) and
   * (j, i) may both be listed, as perturbed completion lists all n² ordered pairs), with the truth file when given (n
   * rows; for entries it fixes n, and an index outside [0, n) is an error naming its row).
   */
  static Outcome runFile(SparkSession spark, EscapeSettings s, String truthPath) {
    String path = s.input().orElseThrow();
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    long t0 = System.nanoTime();
    Format format = Format.of(path, s.format(), conf);
    String[] names = OperatorFile.columns(spark, path, format);
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    Measurements data;
    FactorOperator op;
    LowRankTruth truth;
    String kind;
    JavaRDD<Block> blocks;
    jsc.setJobGroup("escape", "escape: read " + path, false);
    try {
      if (OperatorFile.isOperatorHeader(names)) {
        OperatorFile.Loaded raw = OperatorFile.read(spark, path, format, null, LEVEL);
        data = raw.measurements();
        int n = raw.shape().d1();
        truth = truthFile(truthPath, n, conf, data);
        // A_i/√m and y_i/√m (unitScale divides by its c): the normalised operator.
        double root = Math.sqrt(data.rows());
        blocks = data.blocks().map(b -> OperatorFile.unitScale(b, root));
        op = DenseOperator.symmetric(n);
        kind = "operator file";
      } else {
        truth = truthPath == null ? null : FactorFile.read(truthPath, conf);
        int n = truth == null ? 0 : truth.d();
        // Read as ordered pairs: (i, j) and (j, i) are two measurements of the symmetric model (perturbed completion
        // lists all n² ordered pairs); only an ordered pair listed twice is a duplicate.
        EntryReader.Entries entries = EntryReader.read(spark, path, format, n, n, false, LEVEL);
        data = entries.measurements();
        blocks = data.blocks();
        op = EntryOperator.symmetric(Math.max(entries.d1(), entries.d2()));
        kind = "entries";
      }
    } finally {
      jsc.clearJobGroup();
    }
    if (s.partitions() > 0) {
      blocks = blocks.repartition(s.partitions());
    }
    try (SparkEngine engine = new SparkEngine(jsc, blocks, "escape", LEVEL)) {
      data.unpersist();
      double load = RunResult.since(t0);
      Instance inst = new Instance(null, op, truth == null ? null : truth.factor(), truth == null ? 0 : truth.rank(),
          kind);
      double[] x0 = start(s, conf, inst);
      Outcome o = solve(engine, inst, s, x0);
      Map<String, Object> summary = new LinkedHashMap<>(o.result().summary());
      summary.put("input", path);
      RunResult r = new RunResult(o.result().solver(), o.result().estimate(), o.result().rows(),
          o.result().columns(), o.result().result(), summary, o.result().timings())
          .loadedFrom(path, truthPath == null ? null : "given", load, engine);
      return new Outcome(r, o.outcome());
    }
  }

  /** The truth factor of an operator file of n×n A_i (its rows checked against n), or null; frees data on error. */
  private static LowRankTruth truthFile(String truthPath, int n, Configuration conf, Measurements data) {
    if (truthPath == null) {
      return null;
    }
    try {
      return FactorFile.read(truthPath, n, conf);
    } catch (IllegalArgumentException e) {
      data.unpersist();
      throw e;
    }
  }

  /** Runs in this JVM (threads folding blocks in parallel), the start as the settings give it. */
  public static Outcome runInProcess(EscapeSettings s, int threads) {
    Instance inst = instance(s);
    double[] x0 = start(s, new Configuration(), inst);
    try (LocalEngine engine = new LocalEngine(inst.source().blocks(), threads)) {
      return solve(engine, inst, s, x0);
    }
  }

  /**
   * The start: the x0 file, the toy's spurious point, init·N(0, 1) entries from the seed, or (escape.start = signed)
   * S·[Z, 0] + init·N(0, 1) with S = diag(±1) random signs and Z the truth's factor (its first r columns, zero columns
   * when r &gt; r*).
   */
  static double[] start(EscapeSettings s, Configuration conf, Instance inst) {
    int n = inst.n();
    int r = s.rank(n, inst.truthRank());
    if (s.x0().isPresent()) {
      // a start may be rank deficient (a stall of a rank-r* run, or a zero column): no truth's rank check
      var f = FactorFile.values(s.x0().get(), n, conf, "start file (escape.x0)");
      if (f.cols() != r) {
        throw new IllegalArgumentException("escape.x0 " + s.x0().get() + " has " + f.cols() + " columns, expected r = "
            + r);
      }
      return f.values();
    }
    if (inst.name().equals("toy") && r == 1) {
      return EscapeToy.spuriousPoint();
    }
    if (s.start().equals("signed")) {
      if (inst.truth() == null) {
        throw new IllegalArgumentException("escape.start = signed flips the signs of the truth's rows: it needs the "
            + "truth (--truth FILE with --input), or use escape.start = gaussian");
      }
      return signedStart(inst.truth(), n, inst.truthRank(), r, s.init(), s.seed());
    }
    return gaussianStart(n, r, s.init(), s.seed());
  }

  /** init·N(0, 1) entries (n×r) from the seed. */
  public static double[] gaussianStart(int n, int r, double init, long seed) {
    SplittableRandom rng = Seeds.stream(seed, -11);
    double[] x = new double[n * r];
    for (int i = 0; i < x.length; i++) {
      x[i] = init * rng.nextGaussian();
    }
    return x;
  }

  /**
   * The signed start S·[Z, 0] + init·N(0, 1) (n×r): Z the truth's factor (n×r*; its first r columns, zero columns when
   * r &gt; r*), S = diag(±1) a random sign per row from the seed. For perturbed completion this lies next to a spurious
   * local minimum when ε²·(number of even indices) &lt; 1 (docs/escape.md, §9).
   */
  public static double[] signedStart(double[] truth, int n, int truthRank, int r, double init, long seed) {
    double[] x = gaussianStart(n, r, init, seed);
    SplittableRandom signs = Seeds.stream(seed, -13);
    for (int i = 0; i < n; i++) {
      double sign = signs.nextBoolean() ? 1 : -1;
      for (int k = 0; k < Math.min(r, truthRank); k++) {
        x[i + k * n] += sign * truth[i + k * n];
      }
    }
    return x;
  }

  static Outcome solve(Engine engine, Instance inst, EscapeSettings s, double[] x0) {
    EscapeProblem problem = new EscapeProblem(engine, inst.operator(), inst.truth(), inst.truthRank());
    Method method = s.method();
    EscapeSolver solver = new EscapeSolver(problem, s.descent(), s.options(), method, s.maxEscapes());
    int r = s.rank(inst.n(), inst.truthRank());
    EscapeSolver.Outcome o = solver.solve(x0, r, s.init(), Seeds.stream(s.seed(), -12), s.escapeAtStart());
    Map<String, Object> summary = new LinkedHashMap<>();
    summary.put("solver", "escape-" + method.id());
    summary.put("instance", inst.name());
    summary.put("n", problem.n());
    summary.put("m", problem.m());
    if (inst.name().equals("pmc")) {
      summary.put("epsilon", s.epsilon());
    }
    if (inst.name().equals("gaussian")) {
      summary.put("kappa", s.kappa());
    }
    summary.put("rstar", inst.truthRank());
    summary.put("r", r);
    summary.put("method", method.id());
    summary.put("gated", s.gated());
    summary.put("status", o.status().name());
    summary.put("success", o.distance() < s.success());
    summary.put("final_loss", o.trace().last().loss());
    summary.put("final_gradient_norm", o.trace().last().gradientNorm());
    summary.put("distance_to_truth", o.distance());
    summary.put("gd_steps", o.steps());
    summary.put("escapes", o.escapes());
    summary.put("stalls_without_negative_curvature", o.events().size() - o.escapes());
    summary.put("accepted_escapes", o.events().stream().filter(EscapeEvent::accepted).count());
    summary.put("passes", o.passes());
    summary.put("seconds", o.seconds());
    summary.put("descent_seconds", o.descentSeconds());
    summary.put("escape_seconds", o.events().stream().mapToDouble(EscapeEvent::seconds).sum());
    summary.put("descents", descents(o));
    summary.put("events", events(o.events()));
    summary.put("partitions", engine.partitions());
    summary.put("master", engine.master());
    summary.put("blas", Linalg.blasName());
    Result result = new Result(o.estimate(), o.status(), o.trace(), o.passes(), o.seconds());
    RunResult run = new RunResult("escape-" + method.id(), o.estimate(), problem.n(), r, result, summary,
        new RunResult.Timings(0, 0, o.seconds()));
    return new Outcome(run, o);
  }

  /** The events as summary.json lists them. */
  static List<Map<String, Object>> events(List<EscapeEvent> events) {
    List<Map<String, Object>> list = new ArrayList<>();
    for (EscapeEvent e : events) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("escape", e.index());
      m.put("method", e.method().id());
      m.put("step", e.step());
      m.put("loss", e.loss());
      m.put("gradient_norm", e.gradientNorm());
      m.put("distance", e.distance());
      m.put("lambda_n", e.lambda());
      m.put("lanczos_steps", e.lanczosSteps());
      m.put("sigma_r", e.sigma());
      m.put("delta", e.delta());
      m.put("daa", e.daa());
      m.put("efs", e.efs());
      m.put("sign", e.sign());
      m.put("T", e.liftedSteps());
      m.put("beta_T", e.beta());
      m.put("log_abs_gamma_T", e.logAbsGamma());
      m.put("lifted_0", e.lifted0());
      m.put("lifted_rho", e.liftedRho());
      m.put("lifted_T", e.liftedT());
      m.put("term", e.term());
      m.put("accepted", e.accepted());
      m.put("jump_norm", e.jumpNorm());
      m.put("loss_after", e.lossAfter());
      m.put("passes", e.passes());
      m.put("seconds", e.seconds());
      m.put("stage_seconds", e.stages().byName());
      list.add(m);
    }
    return list;
  }

  /** The descent phases (from the start, then after each move): first step, gradient steps and wall time. */
  static List<Map<String, Object>> descents(EscapeSolver.Outcome o) {
    List<Map<String, Object>> list = new ArrayList<>();
    List<Long> starts = o.phaseStarts();
    for (int k = 0; k < starts.size(); k++) {
      long end = k + 1 < starts.size() ? starts.get(k + 1) : o.steps();
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("first_step", starts.get(k));
      m.put("steps", end - starts.get(k));
      m.put("seconds", o.phaseSeconds().get(k));
      list.add(m);
    }
    return list;
  }
}
