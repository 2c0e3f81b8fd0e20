package io.lowrank.run;

import io.lowrank.data.Block;
import io.lowrank.solve.sensing.SensingProblem;
import java.util.List;

/**
 * Everything a matrix-sensing run is set by: the keys of the {@code sensing} section of {@code reference.conf}
 * (solver, operator, the generated instance's d, r*, κ, m and noise, the search rank r, tol, max-iter, η, λ, α,
 * PrecGD's c), the seed and the partition count. Immutable, checked when built:
 * <pre>
 *   SensingSettings s = SensingSettings.defaults().withSolver("precgd").withRank(6);
 * </pre>
 */
public final class SensingSettings extends FamilySettings<SensingSettings> {
  /** The config section of the family. */
  public static final String SECTION = "sensing";
  /** Every solver name. */
  public static final List<String> SOLVERS = List.of("scaledgd-lambda", "scaledgd", "precgd", "gd", "bwgd");
  /** Every operator name. */
  public static final List<String> OPERATORS = List.of("gaussian", "generated", "rank-one");

  private SensingSettings(ConfigValues values) {
    super(SECTION, values);
    String solver = solver();
    if (solver.equals("bwgd") && !operator().equals("rank-one")) {
      throw new IllegalArgumentException("solver bwgd works on rank-one measurements: use --operator rank-one");
    }
    if (rstar() > d()) {
      throw new IllegalArgumentException("sensing.rstar must be <= sensing.d = " + d() + ", got " + rstar());
    }
    if (!(kappa() >= 1)) {
      throw new IllegalArgumentException("sensing.kappa must be >= 1, got " + kappa());
    }
    if (values().longValue(key("m")) < 0) {
      throw new IllegalArgumentException("sensing.m must be >= 0 (0 = 10 d r*), got " + values().longValue(key("m")));
    }
    rank();
    noise();
    tol();
    maxIter();
    eta();
    if (!lambda().equals("auto")) {
      double value;
      try {
        value = Double.parseDouble(lambda());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("sensing.lambda must be a number >= 0 or auto, got '" + lambda() + "'");
      }
      if (!(value >= 0) || Double.isInfinite(value)) {
        throw new IllegalArgumentException("sensing.lambda must be finite and >= 0, got " + lambda());
      }
    }
    lambdaFactor();
    alpha();
    precgdC();
    blockRows();
    seed();
    partitions();
  }

  /** The defaults of {@code reference.conf}. */
  public static SensingSettings defaults() {
    return of(ConfigValues.reference());
  }

  /** The settings a configuration holds (its {@code sensing} section, {@code seed}, {@code partitions}). */
  public static SensingSettings of(ConfigValues values) {
    return new SensingSettings(values);
  }

  @Override
  protected SensingSettings over(ConfigValues values) {
    return new SensingSettings(values);
  }

  /** scaledgd-lambda, scaledgd, precgd, gd or bwgd (rank-one operator). */
  public SensingSettings withSolver(String solver) {
    return with("solver", solver);
  }

  /** The search rank r (0 = 2 r*). */
  public SensingSettings withRank(int r) {
    return with("r", r);
  }

  /** Stop when ‖XXᵀ − M*‖_F/‖M*‖_F ≤ tol (truth known), else when the relative step ≤ tol. */
  public SensingSettings withTol(double tol) {
    return with("tol", tol);
  }

  public SensingSettings withMaxIter(int maxIter) {
    return with("max-iter", maxIter);
  }

  public String solver() {
    return values().oneOf(key("solver"), SOLVERS.toArray(new String[0]));
  }

  public String operator() {
    return values().oneOf(key("operator"), OPERATORS.toArray(new String[0]));
  }

  /** Dimension of the generated instance. */
  public int d() {
    return values().positiveInt(key("d"));
  }

  /** True rank r* of the generated instance. */
  public int rstar() {
    return values().positiveInt(key("rstar"));
  }

  /** κ = σ_1/σ_r* of the generated instance. */
  public double kappa() {
    return values().finiteDouble(key("kappa"));
  }

  /** Measurements of the generated instance (the key's 0 resolved to 10 d r*). */
  public long m() {
    long m = values().longValue(key("m"));
    return m == 0 ? 10L * d() * rstar() : m;
  }

  public double noise() {
    return values().nonNegativeDouble(key("noise"));
  }

  /** The search rank as set: 0 = 2 r* (see {@link #searchRank}). */
  public int rank() {
    return values().nonNegativeInt(key("r"));
  }

  public double tol() {
    return values().positiveDouble(key("tol"));
  }

  public int maxIter() {
    return values().positiveInt(key("max-iter"));
  }

  /** Step η. */
  public double eta() {
    return values().positiveDouble(key("eta"));
  }

  /** ScaledGD(λ)'s λ: a number, or "auto" (λ-factor · the σ_min estimated by the set-up pass). */
  public String lambda() {
    return values().string(key("lambda")).trim();
  }

  public double lambdaFactor() {
    return values().positiveDouble(key("lambda-factor"));
  }

  /** Scale α of the small random start. */
  public double alpha() {
    return values().positiveDouble(key("alpha"));
  }

  /** PrecGD's c in λ_t = c·√f(X_t). */
  public double precgdC() {
    return values().positiveDouble(key("precgd-c"));
  }

  /** Rows per block of a generated instance (0 = about 4 MB). */
  public int blockRows() {
    return values().nonNegativeInt(key("block-rows"));
  }

  /**
   * The search rank for data of dimension {@code dim} and true rank {@code trueRank}: sensing.r, or 2 r* capped at
   * d when it is 0; {@code data} names the data in the error.
   */
  public int searchRank(int dim, int trueRank, String data) {
    int r = rank() == 0 ? Math.min(dim, 2 * trueRank) : rank();
    if (r > dim) {
      throw new IllegalArgumentException("sensing.r (the search rank) must be in [1, d = " + dim + "] for " + data
          + ", got " + r);
    }
    return r;
  }

  /** Checks the generated instance's shape (m against r*, the search rank against d). */
  public void requireGeneratable() {
    SensingProblem.requireEnoughMeasurements(m(), d(), rstar());
    searchRank(d(), rstar(), "the generated instance");
  }

  /** Rows per block for measurements of {@code width} values(). */
  int blockRowsFor(int width) {
    return blockRows() > 0 ? blockRows() : Block.rowsFor(width, 4L << 20);
  }
}
