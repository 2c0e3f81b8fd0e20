package io.lowrank.experiment.sweep;

import io.lowrank.data.GaussianSensing;
import io.lowrank.data.LowRankTruth;
import io.lowrank.data.PackedSymmetric;
import io.lowrank.data.RankOneSensing;
import io.lowrank.data.Seeds;
import io.lowrank.engine.LocalEngine;
import io.lowrank.model.sensing.GeneratedGaussianOperator;
import io.lowrank.model.sensing.PackedGaussianOperator;
import io.lowrank.model.sensing.RankOneOperator;
import io.lowrank.model.sensing.SensingOperator;
import io.lowrank.run.ConfigValues;
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
 */
final class SensingFamily implements SweepFamily {
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

  @Override
  public void check(ConfigValues cell) {
    SensingSettings.of(cell).requireGeneratable();
  }

  private static long m(SensingSettings s) {
    return s.m() == 0 ? 10L * s.d() * s.rstar() : s.m();
  }

  @Override
  public long size(ConfigValues cell) {
    SensingSettings s = SensingSettings.of(cell);
    long width = s.operator().equals("gaussian") ? PackedSymmetric.length(s.d()) : s.d();
    return m(s) * (width + 1);
  }

  @Override
  public long trialSeed(ConfigValues cell, long sweepSeed, int trial) {
    SensingSettings s = SensingSettings.of(cell);
    return Seeds.derive(sweepSeed, s.d(), s.rstar(), m(s), trial);
  }

  @Override
  public List<Map<String, Object>> runInProcess(List<ConfigValues> cells, long seed) {
    SensingSettings s = SensingSettings.of(cells.get(0)).withSeed(seed);
    long m = m(s);
    LowRankTruth truth = LowRankTruth.generate(s.d(), s.rstar(), s.kappa(), seed);
    // The generated instance of SensingRun.run(spark, s), on the in-process engine.
    SensingOperator op;
    io.lowrank.data.BlockSource source;
    switch (s.operator()) {
      case "rank-one" -> {
        op = new RankOneOperator(s.d(), m);
        source = new RankOneSensing(truth, m, seed, s.noise(), s.outlierModel(), GaussianSensing.defaultBlockRows(s.d()));
      }
      case "generated" -> {
        GaussianSensing inst = GaussianSensing.onTheFly(truth, m, seed, s.noise(), s.outlierModel(),
            GaussianSensing.defaultBlockRows(s.d()));
        op = new GeneratedGaussianOperator(inst);
        source = inst;
      }
      default -> {
        op = new PackedGaussianOperator(s.d(), m);
        source = GaussianSensing.stored(truth, m, seed, s.noise(), s.outlierModel(),
            GaussianSensing.defaultBlockRows(s.d()));
      }
    }
    try (LocalEngine engine = new LocalEngine(source.blocks())) {
      return List.of(metrics(SensingRun.solve(engine, op, truth, s, "the generated instance"), s.tol()));
    }
  }

  @Override
  public Map<String, Object> runDistributed(SparkSession spark, ConfigValues cell, long seed) {
    SensingSettings s = SensingSettings.of(cell).withSeed(seed);
    return metrics(SensingRun.run(spark, s), s.tol());
  }

  private static Map<String, Object> metrics(RunResult r, double tol) {
    Map<String, Object> m = new LinkedHashMap<>();
    Object err = r.summary().get("relative_error");
    double error = err instanceof Number x ? x.doubleValue() : Double.NaN;
    m.put("status", r.status().name());
    m.put("iterations", r.iterations());
    m.put("relative_error", error);
    m.put("success", error <= tol);
    m.put("iterations_to_1e-3", firstAtMost(r.trace(), 1e-3));
    m.put("iterations_to_1e-5", firstAtMost(r.trace(), 1e-5));
    m.put("iterations_to_1e-8", firstAtMost(r.trace(), 1e-8));
    m.put("final_loss", r.trace().last().loss());
    m.put("passes", (int) r.result().passes());
    m.put("seconds", r.result().seconds());
    return m;
  }

  private static Integer firstAtMost(Trace t, double level) {
    for (Trace.Record rec : t.records()) {
      if (rec.distance() <= level) {
        return rec.iteration();
      }
    }
    return null;
  }
}
