package io.lowrank.run;

import io.lowrank.data.BlockSource;
import io.lowrank.data.EscapeToy;
import io.lowrank.data.PerturbedCompletion;
import io.lowrank.data.Seeds;
import io.lowrank.engine.Engine;
import io.lowrank.engine.LocalEngine;
import io.lowrank.engine.SparkEngine;
import io.lowrank.io.FactorFile;
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
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;

/**
 * An escape run: the instance of the settings (perturbed completion generated on the executors, or the toy) → engine
 * → gradient descent until it stalls → escapes (SOD, its line search, a random perturbation, a restart) → gradient
 * descent again, up to R times. On Spark or in one JVM (the same kernels and numbers).
 */
public final class EscapeRun {
  private EscapeRun() {}

  /**
   * A run and what the escape adds to it.
   *
   * @param result the run (estimate X, trace of every gradient step, summary with the escapes)
   * @param outcome the solver's outcome (events, phase starts)
   */
  public record Outcome(RunResult result, EscapeSolver.Outcome outcome) {}

  /** The instance the settings describe: blocks, operator and truth factor. */
  record Instance(BlockSource source, FactorOperator operator, double[] truth, int truthRank, String name) {}

  static Instance instance(EscapeSettings s) {
    if (s.instance().equals("toy")) {
      return new Instance(new EscapeToy(), DenseOperator.symmetric(2), EscapeToy.truth(), 1, "toy");
    }
    PerturbedCompletion pmc = new PerturbedCompletion(s.n(), s.epsilon(), s.truthRank(), s.blockRows());
    return new Instance(pmc, EntryOperator.symmetric(s.n()), pmc.truth(), s.truthRank(), "pmc");
  }

  /** Generates the instance on Spark's executors and runs. */
  public static Outcome run(SparkSession spark, EscapeSettings s) {
    Instance inst = instance(s);
    double[] x0 = start(s, spark.sparkContext().hadoopConfiguration());
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

  /** Runs in this JVM (threads folding blocks in parallel), the start as the settings give it. */
  public static Outcome runInProcess(EscapeSettings s, int threads) {
    Instance inst = instance(s);
    double[] x0 = start(s, new Configuration());
    try (LocalEngine engine = new LocalEngine(inst.source().blocks(), threads)) {
      return solve(engine, inst, s, x0);
    }
  }

  /** The start: the x0 file, the toy's spurious point, or init·N(0, 1) entries from the seed. */
  static double[] start(EscapeSettings s, Configuration conf) {
    int n = s.n();
    int r = s.rank();
    if (s.x0().isPresent()) {
      var f = FactorFile.read(s.x0().get(), n, conf);
      if (f.rank() != r) {
        throw new IllegalArgumentException("escape.x0 " + s.x0().get() + " has " + f.rank() + " columns, expected r = "
            + r);
      }
      return f.factor();
    }
    if (s.instance().equals("toy") && r == 1) {
      return EscapeToy.spuriousPoint();
    }
    SplittableRandom rng = Seeds.stream(s.seed(), -11);
    double[] x = new double[n * r];
    for (int i = 0; i < x.length; i++) {
      x[i] = s.init() * rng.nextGaussian();
    }
    return x;
  }

  static Outcome solve(Engine engine, Instance inst, EscapeSettings s, double[] x0) {
    EscapeProblem problem = new EscapeProblem(engine, inst.operator(), inst.truth(), inst.truthRank());
    Method method = s.method();
    EscapeSolver solver = new EscapeSolver(problem, s.descent(), s.options(), method, s.maxEscapes());
    EscapeSolver.Outcome o = solver.solve(x0, s.rank(), s.init(), Seeds.stream(s.seed(), -12), s.escapeAtStart());
    Map<String, Object> summary = new LinkedHashMap<>();
    summary.put("solver", "escape-" + method.id());
    summary.put("instance", inst.name());
    summary.put("n", problem.n());
    summary.put("m", problem.m());
    if (inst.name().equals("pmc")) {
      summary.put("epsilon", s.epsilon());
    }
    summary.put("rstar", inst.truthRank());
    summary.put("r", s.rank());
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
    summary.put("events", events(o.events()));
    summary.put("partitions", engine.partitions());
    summary.put("master", engine.master());
    summary.put("blas", Linalg.blasName());
    Result result = new Result(o.estimate(), o.status(), o.trace(), o.passes(), o.seconds());
    RunResult run = new RunResult("escape-" + method.id(), o.estimate(), problem.n(), s.rank(), result, summary,
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
      list.add(m);
    }
    return list;
  }
}
