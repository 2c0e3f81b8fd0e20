package io.lowrank.run;

import io.lowrank.baseline.MllibLbfgs;
import io.lowrank.engine.Engine;
import io.lowrank.engine.SparkEngine;
import io.lowrank.solve.phase.PhaseRetrievalSolver;
import io.lowrank.solve.phase.SpectralInitializer;

/**
 * Everything a phase-retrieval run is set by: the keys of the {@code phase-retrieval} section of
 * {@code reference.conf} (solver, schedule, hessian, tol, max-iter, smoothing, spectral, cg, stall, and each
 * baseline's step), the seed and the partition count. Immutable; every value is checked when the settings are
 * built, so a bad one fails before any data is read. From code:
 * <pre>
 *   PhaseRetrievalSettings s = PhaseRetrievalSettings.defaults().withSolver("bwgd").withTol(1e-12);
 * </pre>
 */
public final class PhaseRetrievalSettings {
  /** The config section of the family. */
  public static final String SECTION = "phase-retrieval";

  private final ConfigValues values;

  private PhaseRetrievalSettings(ConfigValues values) {
    this.values = values;
    solver();
    start();
    PhaseRetrievalSolvers.create(solver(), values, tol(), false);
    values.nonNegativeInt("partitions");
  }

  /** The defaults of {@code reference.conf}. */
  public static PhaseRetrievalSettings defaults() {
    return of(ConfigValues.reference());
  }

  /** The settings a configuration holds (its {@code phase-retrieval} section, {@code seed}, {@code partitions}). */
  public static PhaseRetrievalSettings of(ConfigValues values) {
    return new PhaseRetrievalSettings(values);
  }

  /**
   * A copy with one key of the section set, e.g. {@code with("smoothing.c", 0.5)}; the top-level {@code seed} and
   * {@code partitions} are set the same way.
   */
  public PhaseRetrievalSettings with(String key, Object value) {
    String full = key.equals("seed") || key.equals("partitions") ? key : SECTION + "." + key;
    return new PhaseRetrievalSettings(values.with(full, value));
  }

  /** smoothing-newton, bwgd, wirtinger-flow, amplitude-flow or mllib-lbfgs. */
  public PhaseRetrievalSettings withSolver(String solver) {
    return with("solver", solver);
  }

  /** loss, quantile or fixed (smoothing Newton). */
  public PhaseRetrievalSettings withSchedule(String schedule) {
    return with("schedule", schedule);
  }

  /** gauss-newton or full (smoothing Newton). */
  public PhaseRetrievalSettings withHessian(String hessian) {
    return with("hessian", hessian);
  }

  /** Stop when dist(x, x*) ≤ tol (truth known) or the relative step ≤ tol. */
  public PhaseRetrievalSettings withTol(double tol) {
    return with("tol", tol);
  }

  public PhaseRetrievalSettings withMaxIter(int maxIter) {
    return with("max-iter", maxIter);
  }

  /** Seed of the spectral start's random draws. */
  public PhaseRetrievalSettings withSeed(long seed) {
    return with("seed", seed);
  }

  /** Partitions of the measurements on Spark (0 = as read). */
  public PhaseRetrievalSettings withPartitions(int partitions) {
    return with("partitions", partitions);
  }

  public String solver() {
    return values.oneOf(SECTION + ".solver", PhaseRetrievalSolvers.NAMES.toArray(new String[0]));
  }

  public String schedule() {
    return values.string(SECTION + ".schedule");
  }

  public String hessian() {
    return values.string(SECTION + ".hessian");
  }

  public double tol() {
    return values.positiveDouble(SECTION + ".tol");
  }

  public int maxIter() {
    return values.positiveInt(SECTION + ".max-iter");
  }

  public long seed() {
    return values.longValue("seed");
  }

  public int partitions() {
    return values.nonNegativeInt("partitions");
  }

  /** The configuration these settings read. */
  public ConfigValues values() {
    return values;
  }

  /** The spectral start of the {@code spectral} keys and the seed. */
  public SpectralInitializer start() {
    return new SpectralInitializer(values.nonNegativeDouble(SECTION + ".spectral.truncation"),
        values.positiveInt(SECTION + ".spectral.max-steps"), values.positiveDouble(SECTION + ".spectral.tol"), seed());
  }

  /** The solver of these settings for {@code engine} (MLlib L-BFGS needs a {@link SparkEngine}; close it after). */
  public PhaseRetrievalSolver solver(Engine engine) {
    return PhaseRetrievalSolvers.create(solver(), values, tol(), false, engine);
  }

  /**
   * The solver {@code name} of a comparison (trials, bench) stopping at {@code tol}: the solvers share these
   * settings, so {@code schedule} and {@code hessian} apply to smoothing-newton only. Null for mllib-lbfgs (see
   * {@link #mllib}).
   */
  public PhaseRetrievalSolver comparisonSolver(String name, double tol) {
    return PhaseRetrievalSolvers.create(name, values, tol, true);
  }

  /** MLlib's L-BFGS over the Spark engine's blocks, stopping at {@code tol} (close it to release its cache). */
  public MllibLbfgs mllib(SparkEngine engine, double tol) {
    return PhaseRetrievalSolvers.mllib(values, engine, tol);
  }

  @Override
  public String toString() {
    return SECTION + " " + values.config().getConfig(SECTION).root().render(
        com.typesafe.config.ConfigRenderOptions.concise());
  }
}
