package io.lowrank.experiment.sweep;

import io.lowrank.data.Seeds;
import io.lowrank.data.SpikedMatrix;
import io.lowrank.engine.LocalEngine;
import io.lowrank.run.ConfigValues;
import io.lowrank.run.DenoisingRun;
import io.lowrank.run.DenoisingSettings;
import io.lowrank.solve.denoise.DenoisingProblem;
import io.lowrank.solve.denoise.SphericalGradientDescent;
import io.lowrank.theory.RankOneDenoisingTheory;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.SparkSession;

/**
 * Rank-one matrix denoising on generated spiked matrices: the keys of the {@code denoise} section (N, M, theta,
 * mu0, mv0, eta, steps, ...; not its old {@code sweep-*} keys). Each trial reports the final overlaps and μ with the
 * random-matrix theory's prediction at the same time and its limit. The instance seed derives from (sweep seed, N,
 * M, trial): cells differing in θ or the starts share the noise W and the spikes.
 */
final class DenoiseFamily implements SweepFamily {
  private static final long serialVersionUID = 1L;

  @Override
  public String name() {
    return "denoise";
  }

  @Override
  public String section() {
    return DenoisingSettings.SECTION;
  }

  @Override
  public Map<String, String> outsideKeys() {
    return Map.of("partitions", "partitions");
  }

  @Override
  public List<String> hiddenSubsections() {
    return List.of("sweep", "sweep-theta-from", "sweep-theta-to", "sweep-ratio-from", "sweep-ratio-to",
        "sweep-points", "theory-only", "c", "sigma", "truth-u", "truth-v");
  }

  @Override
  public LinkedHashMap<String, Type> metrics() {
    LinkedHashMap<String, Type> m = new LinkedHashMap<>();
    m.put("status", Type.STRING);
    m.put("iterations", Type.INT);
    m.put("overlap_u", Type.DOUBLE);
    m.put("overlap_v", Type.DOUBLE);
    m.put("final_mu", Type.DOUBLE);
    m.put("theory_u", Type.DOUBLE);
    m.put("theory_v", Type.DOUBLE);
    m.put("limit_u", Type.DOUBLE);
    m.put("limit_v", Type.DOUBLE);
    m.put("seconds", Type.DOUBLE);
    return m;
  }

  @Override
  public void check(ConfigValues cell) {
    DenoisingSettings.of(cell);
  }

  @Override
  public long size(ConfigValues cell) {
    DenoisingSettings s = DenoisingSettings.of(cell);
    return (long) s.n() * s.m();
  }

  @Override
  public long trialSeed(ConfigValues cell, long sweepSeed, int trial) {
    DenoisingSettings s = DenoisingSettings.of(cell);
    return Seeds.derive(sweepSeed, s.n(), s.m(), trial);
  }

  @Override
  public List<Map<String, Object>> runInProcess(List<ConfigValues> cells, long seed) {
    DenoisingSettings s = DenoisingSettings.of(cells.get(0)).withSeed(seed);
    SpikedMatrix inst = s.instance(s.theta());
    try (LocalEngine engine = new LocalEngine(inst.blocks())) {
      DenoisingProblem problem = new DenoisingProblem(engine, 1, inst.u(), inst.v());
      SphericalGradientDescent.Run run = s.solver().solve(problem, inst.initialX(s.mu0()), inst.initialY(s.mv0()));
      return List.of(metrics(run, RankOneDenoisingTheory.of((double) s.n() / s.m(), s.theta()), s));
    }
  }

  @Override
  public Map<String, Object> runDistributed(SparkSession spark, ConfigValues cell, long seed) {
    DenoisingSettings s = DenoisingSettings.of(cell).withSeed(seed);
    DenoisingRun.Outcome o = DenoisingRun.run(spark, s);
    return metrics(o.path(), o.theory(), s);
  }

  private static Map<String, Object> metrics(SphericalGradientDescent.Run run, RankOneDenoisingTheory th,
      DenoisingSettings s) {
    int last = run.size() - 1;
    RankOneDenoisingTheory.Point q = th.predict(run.t()[last], s.mu0(), s.mv0());
    double[] limit = th.limit(s.mu0(), s.mv0());
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("status", run.result().status().name());
    m.put("iterations", run.result().iterations());
    m.put("overlap_u", run.overlapU()[last]);
    m.put("overlap_v", run.overlapV()[last]);
    m.put("final_mu", run.mu()[last]);
    m.put("theory_u", q.overlapU());
    m.put("theory_v", q.overlapV());
    m.put("limit_u", limit[0]);
    m.put("limit_v", limit[1]);
    m.put("seconds", run.result().seconds());
    return m;
  }
}
