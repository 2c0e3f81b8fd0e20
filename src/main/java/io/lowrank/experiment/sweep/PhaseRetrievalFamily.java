package io.lowrank.experiment.sweep;

import io.lowrank.data.GaussianPhaseRetrieval;
import io.lowrank.engine.LocalEngine;
import io.lowrank.data.Seeds;
import io.lowrank.run.ConfigValues;
import io.lowrank.run.Input;
import io.lowrank.run.PhaseRetrievalRun;
import io.lowrank.run.PhaseRetrievalSettings;
import io.lowrank.run.Truth;
import io.lowrank.solve.Result;
import io.lowrank.solve.Trace;
import io.lowrank.solve.phase.PhaseRetrievalSolver;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.SparkSession;

/**
 * Phase retrieval on generated Gaussian instances (n measurements in dimension d, additive noise): the keys of the
 * {@code phase-retrieval} section, plus {@code d}, {@code n}, {@code noise} (the {@code generate} keys) and
 * {@code success} (a trial succeeds when dist(x, x*)/‖x*‖ &lt; success). The solvers of one trial share its instance
 * and its spectral start, as in {@code lowrank trials}; the instance seed is the one {@code trials} uses,
 * (sweep seed, d, n, trial).
 */
final class PhaseRetrievalFamily implements SweepFamily {
  private static final long serialVersionUID = 1L;
  private static final String SCHEDULE = PhaseRetrievalSettings.defaults().schedule();
  private static final String HESSIAN = PhaseRetrievalSettings.defaults().hessian();

  /**
   * The settings of a cell as in a comparison ({@code trials}, {@code bench}): the solvers of a sweep share its
   * settings, so {@code schedule} and {@code hessian} apply to smoothing Newton only (bwgd is μ = 0 with the
   * Gauss-Newton step whatever they say) and are reset for the other solvers.
   */
  static PhaseRetrievalSettings settings(ConfigValues cell) {
    String solver = cell.string(PhaseRetrievalSettings.SECTION + ".solver");
    ConfigValues c = solver.equals("smoothing-newton") ? cell
        : cell.with(PhaseRetrievalSettings.SECTION + ".schedule", SCHEDULE)
            .with(PhaseRetrievalSettings.SECTION + ".hessian", HESSIAN);
    return PhaseRetrievalSettings.of(c);
  }

  @Override
  public String name() {
    return "phase-retrieval";
  }

  @Override
  public String section() {
    return PhaseRetrievalSettings.SECTION;
  }

  @Override
  public Map<String, String> outsideKeys() {
    return Map.of("d", "generate.d", "n", "generate.n", "noise", "generate.noise", "success", "trials.success",
        "partitions", "partitions");
  }

  @Override
  public LinkedHashMap<String, Type> metrics() {
    LinkedHashMap<String, Type> m = new LinkedHashMap<>();
    m.put("status", Type.STRING);
    m.put("iterations", Type.INT);
    m.put("distance", Type.DOUBLE);
    m.put("success", Type.BOOLEAN);
    m.put("iterations_to_success", Type.INT);
    m.put("final_loss", Type.DOUBLE);
    m.put("passes", Type.INT);
    m.put("seconds", Type.DOUBLE);
    return m;
  }

  @Override
  public void check(ConfigValues cell) {
    PhaseRetrievalSettings s = settings(cell);
    int d = cell.positiveInt("generate.d");
    long n = cell.longValue("generate.n");
    if (n < 1) {
      throw new IllegalArgumentException("n (generate.n) must be >= 1, got " + n);
    }
    cell.nonNegativeDouble("generate.noise");
    cell.positiveDouble("trials.success");
    if (s.solver().equals("mllib-lbfgs")) {
      throw new IllegalArgumentException("solver mllib-lbfgs runs on the whole cluster, not in a sweep cell; compare "
          + "it with `lowrank bench`");
    }
    if (d < 1) {
      throw new IllegalArgumentException("d must be >= 1");
    }
  }

  @Override
  public long size(ConfigValues cell) {
    return cell.longValue("generate.n") * (cell.positiveInt("generate.d") + 1L);
  }

  @Override
  public long trialSeed(ConfigValues cell, long sweepSeed, int trial) {
    // = PhaseRetrievalTrials.instanceSeed: the instances of `lowrank trials`
    return Seeds.derive(sweepSeed, cell.positiveInt("generate.d"), cell.longValue("generate.n"), trial);
  }

  /** The keys of solvers no cell runs (e.g. the smoothing schedule in a sweep of bwgd alone) and of the baseline. */
  @Override
  public List<String> unusedKeys(List<ConfigValues> cells) {
    List<String> solvers = cells.stream().map(c -> c.string(PhaseRetrievalSettings.SECTION + ".solver")).toList();
    List<String> unused = new ArrayList<>(List.of("lbfgs."));
    if (!solvers.contains("smoothing-newton")) {
      unused.addAll(List.of("schedule", "hessian", "smoothing.", "cg."));
    }
    if (!solvers.contains("wirtinger-flow")) {
      unused.add("wirtinger.");
    }
    if (!solvers.contains("amplitude-flow")) {
      unused.add("amplitude-flow.");
    }
    return unused;
  }

  @Override
  public boolean keepsTraces() {
    return true;
  }

  @Override
  public List<String> sharedInstanceKeys() {
    return List.of("solver");
  }

  @Override
  public List<Map<String, Object>> runInProcess(List<ConfigValues> cells, long seed) {
    ConfigValues first = cells.get(0);
    PhaseRetrievalSettings settings = settings(first).withSeed(seed);
    GaussianPhaseRetrieval instance = instance(first, seed);
    List<PhaseRetrievalSolver> solvers = new ArrayList<>();
    for (ConfigValues c : cells) {
      PhaseRetrievalSettings s = settings(c);
      solvers.add(s.comparisonSolver(s.solver(), s.tol()));
    }
    List<Map<String, Object>> out = new ArrayList<>();
    try (LocalEngine engine = new LocalEngine(instance.blocks())) {
      List<Result> results = PhaseRetrievalRun.compare(engine, instance.truth(), settings.start(), solvers);
      for (int k = 0; k < cells.size(); k++) {
        out.add(metrics(results.get(k), cells.get(k).positiveDouble("trials.success")));
      }
    }
    return out;
  }

  @Override
  public Map<String, Object> runDistributed(SparkSession spark, ConfigValues cell, long seed) {
    PhaseRetrievalSettings s = settings(cell).withSeed(seed);
    Result r = PhaseRetrievalRun.run(spark, Input.generated(instance(cell, seed)), Truth.none(), s).result();
    return metrics(r, cell.positiveDouble("trials.success"));
  }

  private static GaussianPhaseRetrieval instance(ConfigValues cell, long seed) {
    return new GaussianPhaseRetrieval(cell.longValue("generate.n"), cell.positiveInt("generate.d"), seed,
        cell.nonNegativeDouble("generate.noise"));
  }

  /**
   * A trial's metrics: the distance is the final iterate's; a successful trial's iterations_to_success is the first
   * iteration within {@code success} of the truth (what {@code trials} tabulates).
   */
  static Map<String, Object> metrics(Result r, double success) {
    Map<String, Object> m = new LinkedHashMap<>();
    double distance = r.trace().last().distance();
    boolean ok = distance < success;
    m.put("status", r.status().name());
    m.put("iterations", r.iterations());
    m.put("distance", distance);
    m.put("success", ok);
    m.put("iterations_to_success", ok ? firstBelow(r.trace(), success) : null);
    m.put("final_loss", r.trace().last().loss());
    m.put("passes", (int) r.passes());
    m.put("seconds", r.seconds());
    m.put(TRACE, r.trace());
    return m;
  }

  static Integer firstBelow(Trace trace, double level) {
    for (Trace.Record rec : trace.records()) {
      if (rec.distance() < level) {
        return rec.iteration();
      }
    }
    return null;
  }
}
