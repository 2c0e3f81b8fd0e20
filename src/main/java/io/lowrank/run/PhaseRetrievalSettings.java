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
public final class PhaseRetrievalSettings extends FamilySettings<PhaseRetrievalSettings> {
  /** The config section of the family. */
  public static final String SECTION = "phase-retrieval";

  private PhaseRetrievalSettings(ConfigValues values) {
    super(SECTION, values);
    solver();
    start();
    PhaseRetrievalSolvers.create(solver(), values(), tol(), false);
    partitions();
    EngineChoice.of(key("engine"), values().string(key("engine")), solver());
  }

  /** The defaults of {@code reference.conf}. */
  public static PhaseRetrievalSettings defaults() {
    return of(ConfigValues.reference());
  }

  /** The settings a configuration holds (its {@code phase-retrieval} section, {@code seed}, {@code partitions}). */
  public static PhaseRetrievalSettings of(ConfigValues values) {
    return new PhaseRetrievalSettings(values);
  }

  @Override
  protected PhaseRetrievalSettings over(ConfigValues values) {
    return new PhaseRetrievalSettings(values);
  }

  /** smoothing-newton, bwgd, wirtinger-flow, amplitude-flow or mllib-lbfgs. */
  public PhaseRetrievalSettings withSolver(String solver) {
    return with("solver", solver);
  }

  /** switching, loss, quantile or fixed (smoothing Newton). */
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

  /** Where the passes of a loaded run go: auto, spark or local (see {@link EngineChoice}). */
  public PhaseRetrievalSettings withEngine(String engine) {
    return with("engine", engine);
  }

  /** The engine choice of the {@code engine} key. */
  public EngineChoice engine() {
    return EngineChoice.of(key("engine"), values().string(key("engine")), solver());
  }

  public String solver() {
    return values().oneOf(key("solver"), PhaseRetrievalSolvers.NAMES.toArray(new String[0]));
  }

  public String schedule() {
    return values().string(key("schedule"));
  }

  public String hessian() {
    return values().string(key("hessian"));
  }

  public double tol() {
    return values().positiveDouble(key("tol"));
  }

  public int maxIter() {
    return values().positiveInt(key("max-iter"));
  }

  /** The spectral start of the {@code spectral} keys and the seed. */
  public SpectralInitializer start() {
    return new SpectralInitializer(
        SpectralInitializer.Preprocessing.of(key("spectral.preprocessing"), values().string(key("spectral.preprocessing"))),
        values().nonNegativeDouble(key("spectral.truncation")), values().positiveInt(key("spectral.block")),
        values().positiveInt(key("spectral.max-steps")), values().positiveDouble(key("spectral.tol")), seed());
  }

  /** The solver of these settings for {@code engine} (MLlib L-BFGS needs a {@link SparkEngine}; close it after). */
  public PhaseRetrievalSolver solver(Engine engine) {
    return PhaseRetrievalSolvers.create(solver(), values(), tol(), false, engine);
  }

  /**
   * The solver {@code name} of a comparison (trials, bench) stopping at {@code tol}: the solvers share these
   * settings, so {@code schedule} and {@code hessian} apply to smoothing-newton only. Null for mllib-lbfgs (see
   * {@link #mllib}).
   */
  public PhaseRetrievalSolver comparisonSolver(String name, double tol) {
    return PhaseRetrievalSolvers.create(name, values(), tol, true);
  }

  /** MLlib's L-BFGS over the Spark engine's blocks, stopping at {@code tol} (close it to release its cache). */
  public MllibLbfgs mllib(SparkEngine engine, double tol) {
    return PhaseRetrievalSolvers.mllib(values(), engine, tol);
  }

  @Override
  public String toString() {
    return SECTION + " " + values().config().getConfig(SECTION).root().render(
        com.typesafe.config.ConfigRenderOptions.concise());
  }
}
