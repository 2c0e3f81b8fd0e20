package io.lowrank.experiment.sweep;

import io.lowrank.data.PackedSymmetric;
import io.lowrank.data.Seeds;
import io.lowrank.engine.LocalEngine;
import io.lowrank.run.ConfigValues;
import io.lowrank.run.FactoredSensingRun;
import io.lowrank.run.FactoredSensingSettings;
import io.lowrank.run.RunResult;
import io.lowrank.run.SensingRun;
import io.lowrank.run.SensingSettings;
import io.lowrank.solve.Trace;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.SparkSession;

/**
 * Matrix sensing on generated instances: every key of the {@code sensing} section (d, rstar, kappa, m, noise, r,
 * solver, operator, loss, outliers, ...) but its old {@code trials} grid. The instance seed derives from (sweep
 * seed, d, r*, m, trial): cells differing in κ, solver, rank or loss see the same random draws. A trial succeeds
 * when the relative error ‖XXᵀ − M*‖_F/‖M*‖_F is at most {@code tol}.
 *
 * <p>The instance and the run are the run layer's: {@link SensingRun#generate} and {@link SensingRun#solve} in a task,
 * {@link SensingRun#run} distributed; the factored operators (completion, asymmetric) go to {@link
 * FactoredSensingRun} the same way. {@link RobustFamily} is this family with its own success threshold and metrics
 * (a subclass names them: {@link #metrics()} and {@link #success}).
 */
class SensingFamily implements SweepFamily {
  private static final long serialVersionUID = 1L;

  @Override
  public String name() {
    return "sensing";
  }

  @Override
  public String section() {
    return SensingSettings.SECTION;
  }

  @Override
  public Map<String, String> outsideKeys() {
    return Map.of("partitions", "partitions");
  }

  @Override
  public List<String> hiddenSubsections() {
    return List.of("trials");
  }

  @Override
  public boolean keepsTraces() {
    return true;
  }

  @Override
  public LinkedHashMap<String, Type> metrics() {
    LinkedHashMap<String, Type> m = new LinkedHashMap<>();
    m.put("status", Type.STRING);
    m.put("iterations", Type.INT);
    m.put("relative_error", Type.DOUBLE);
    m.put("success", Type.BOOLEAN);
    m.put("iterations_to_1e-3", Type.INT);
    m.put("iterations_to_1e-5", Type.INT);
    m.put("iterations_to_1e-8", Type.INT);
    m.put("final_loss", Type.DOUBLE);
    m.put("passes", Type.INT);
    m.put("seconds", Type.DOUBLE);
    return m;
  }

  /** Whether the cell's operator is a factored one (completion, asymmetric: {@link FactoredSensingRun}). */
  private static boolean factored(SensingSettings s) {
    return FactoredSensingSettings.factored(s.operator());
  }

  @Override
  public void check(ConfigValues cell) {
    SensingSettings s = SensingSettings.of(cell);
    if (factored(s)) {
      FactoredSensingSettings f = FactoredSensingSettings.of(s);
      s.searchRank(Math.min(f.d1(), f.d2()), s.rstar(), "the generated instance");
      if (s.operator().equals("completion")) {
        f.completionSampling(); // m within the matrix's entries
      }
    } else {
      s.requireGeneratable();
    }
  }

  /** The measurements of the cell's instance (the factored runs' m, or completion's expected entries). */
  private static long measurements(SensingSettings s) {
    return factored(s) ? FactoredSensingSettings.of(s).m() : s.m();
  }

  @Override
  public long size(ConfigValues cell) {
    SensingSettings s = SensingSettings.of(cell);
    long width = switch (s.operator()) {
      case "gaussian" -> PackedSymmetric.length(s.d());
      case "completion" -> 3; // (i, j, w) per entry
      case "asymmetric" -> FactoredSensingSettings.of(s).generatedOperator() ? s.d()
          : (long) FactoredSensingSettings.of(s).d1() * FactoredSensingSettings.of(s).d2();
      default -> s.d();
    };
    return measurements(s) * (width + 1);
  }

  @Override
  public long trialSeed(ConfigValues cell, long sweepSeed, int trial) {
    SensingSettings s = SensingSettings.of(cell);
    return Seeds.derive(sweepSeed, s.d(), s.rstar(), measurements(s), trial);
  }

  @Override
  public List<Map<String, Object>> runInProcess(List<ConfigValues> cells, long seed) {
    SensingSettings s = SensingSettings.of(cells.get(0)).withSeed(seed);
    String data = "the generated instance";
    RunResult r;
    if (factored(s)) {
      FactoredSensingRun.Generated g = FactoredSensingRun.generate(s);
      try (LocalEngine engine = new LocalEngine(g.source().blocks())) {
        r = FactoredSensingRun.solve(engine, g.operator(), g.truth(), s, data);
      }
    } else {
      SensingRun.Generated g = SensingRun.generate(s);
      try (LocalEngine engine = new LocalEngine(g.source().blocks())) {
        r = SensingRun.solve(engine, g.operator(), g.truth(), s, data);
      }
    }
    return List.of(metrics(r, cells.get(0)));
  }

  @Override
  public Map<String, Object> runDistributed(SparkSession spark, ConfigValues cell, long seed) {
    SensingSettings s = SensingSettings.of(cell).withSeed(seed);
    return metrics(factored(s) ? FactoredSensingRun.run(spark, s) : SensingRun.run(spark, s), cell);
  }

  /** The final relative error ‖XXᵀ − M*‖_F/‖M*‖_F of a run (NaN without one). */
  private static double relativeError(RunResult r) {
    Object err = r.summary().get("relative_error");
    return err instanceof Number x ? x.doubleValue() : Double.NaN;
  }

  /** The relative error a successful trial reaches: the solvers' tol here. */
  double success(ConfigValues cell) {
    return SensingSettings.of(cell).tol();
  }

  /** A trial's metrics: those of {@link #metrics()}, success against {@link #success}. */
  private Map<String, Object> metrics(RunResult r, ConfigValues cell) {
    double error = relativeError(r);
    double bar = success(cell);
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("status", r.status().name());
    m.put("iterations", r.iterations());
    m.put("relative_error", error);
    m.put("success", error <= bar);
    m.put("iterations_to_success", error <= bar ? firstAtMost(r.trace(), bar) : null);
    m.put("iterations_to_1e-3", firstAtMost(r.trace(), 1e-3));
    m.put("iterations_to_1e-5", firstAtMost(r.trace(), 1e-5));
    m.put("iterations_to_1e-8", firstAtMost(r.trace(), 1e-8));
    m.put("final_loss", r.trace().last().loss());
    m.put("passes", (int) r.result().passes());
    m.put("seconds", r.result().seconds());
    m.keySet().retainAll(metrics().keySet());
    m.put(TRACE, r.trace());
    return m;
  }

  /** The first iteration whose distance (the relative error) is at most {@code level}, or null. */
  private static Integer firstAtMost(Trace t, double level) {
    for (Trace.Record rec : t.records()) {
      if (rec.distance() <= level) {
        return rec.iteration();
      }
    }
    return null;
  }
}
