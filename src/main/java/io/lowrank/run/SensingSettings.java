package io.lowrank.run;

import io.lowrank.data.Block;
import io.lowrank.data.Outliers;
import io.lowrank.model.Loss;
import io.lowrank.model.sensing.SensingOperator;
import io.lowrank.solve.sensing.SensingProblem;
import io.lowrank.solve.sensing.SubGradientMethod;
import java.util.List;

/**
 * Everything a matrix-sensing run is set by: the keys of the {@code sensing} section of {@code reference.conf}
 * (solver, operator, the generated instance's d, r*, κ, m, noise and outliers, the search rank r, tol, max-iter, η,
 * λ, α, PrecGD's c, the loss and SubGM's η_0 and ρ), the seed and the partition count. Immutable, checked when built:
 * <pre>
 *   SensingSettings s = SensingSettings.defaults().withSolver("precgd").withRank(6);
 * </pre>
 */
public final class SensingSettings extends FamilySettings<SensingSettings> {
  /** The config section of the family. */
  public static final String SECTION = "sensing";
  /** Every solver name. */
  public static final List<String> SOLVERS = List.of("scaledgd-lambda", "scaledgd", "precgd", "gd", "bwgd", "subgm",
      "scaled-subgm");
  /** Every loss name; auto is l1 for the sub-gradient methods (subgm, scaled-subgm), l2 for the others. */
  public static final List<String> LOSSES = List.of("auto", "l2", "l1", "lq", "huber");
  /** Every operator name. */
  public static final List<String> OPERATORS = List.of("gaussian", "generated", "rank-one", "completion",
      "asymmetric");

  private SensingSettings(ConfigValues values) {
    super(SECTION, values);
    String solver = solver();
    if (solver.equals("bwgd") && !operator().equals("rank-one")) {
      throw new IllegalArgumentException("solver bwgd works on rank-one measurements: use --operator rank-one");
    }
    if (solver.equals("scaled-subgm") && operator().equals("rank-one")) {
      // Its start reads the trimmed Σ y_i A_i, whose rank-one version carries a multiple of I (not debiased, not tested).
      throw new IllegalArgumentException("solver scaled-subgm works on the Gaussian operators (--operator gaussian or "
          + "generated), not rank-one: use subgm there");
    }
    if (rstar() > d() && !FactoredSensingSettings.factored(operator())) {
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
    String loss = loss();
    if (!subgradient() && !loss.equals("l2")) {
      throw new IllegalArgumentException("sensing.loss = " + loss + " needs --solver subgm or scaled-subgm: " + solver
          + " minimises the l2 loss");
    }
    trim();
    step();
    fstar();
    if (!(q() > 1 && q() <= 2)) {
      throw new IllegalArgumentException("sensing.q (the exponent of the lq loss) must be in (1, 2], got " + q());
    }
    if (!(huberDelta() > 0)) {
      throw new IllegalArgumentException("sensing.huber-delta (the Huber threshold δ, in the units of y) must be > 0, "
          + "got " + huberDelta());
    }
    outlierModel();
    optionalPositive("subgm-eta0", "the first step η_0 of SubGM", false);
    optionalPositive("subgm-rho", "the decay ρ of SubGM's step η_t = η_0 ρ^t", true);
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

  /**
   * The iteration budget: sensing.max-iter as set, or auto: {@value #SUBGM_BUDGET} for subgm (whose step schedule and
   * start scale are planned over the budget, see SubGradientMethod.Defaults: 2000 iterations reach 1e-8 fully
   * over-parameterised where 1000 stall near 1e-5), {@value #BUDGET} for every other solver.
   */
  public int maxIter() {
    if (maxIterAuto()) {
      return solver().equals("subgm") ? SUBGM_BUDGET : BUDGET;
    }
    return values().positiveInt(key("max-iter"));
  }

  /** Whether sensing.max-iter is auto (subgm's continuation may then grow the budget, see subgmContinuationBudget). */
  public boolean maxIterAuto() {
    return values().string(key("max-iter")).trim().equals("auto");
  }

  /**
   * The iterations subgm may take in all, its continuations included (SubGradientMethod: a direction of M* still
   * missing when the schedule ends re-seeds W and restarts the schedule, planned from the κ̂ it measures): 0 when
   * subgm-rho is set (a tuned schedule runs as set) or the step is Polyak's; max-iter when set; with max-iter auto,
   * {@value #SUBGM_CONTINUATION_FACTOR} × {@value #SUBGM_BUDGET}, which plain SubGM's κ-bound rate (about
   * 2 κ̂ ln(1/(κ̂ tol)) iterations of continuation) fills only beyond κ̂ ≈ 1000.
   */
  public int subgmContinuationBudget() {
    if (!Double.isNaN(subgmRho()) || step().equals("polyak")) {
      return 0;
    }
    return maxIterAuto() ? SUBGM_CONTINUATION_FACTOR * SUBGM_BUDGET : maxIter();
  }

  /** subgm's budget with its continuations, with max-iter auto: this many times {@link #SUBGM_BUDGET}. */
  public static final int SUBGM_CONTINUATION_FACTOR = 20;

  /** The budget max-iter = auto gives every solver but subgm. */
  public static final int BUDGET = 1000;
  /** The budget max-iter = auto gives subgm. */
  public static final int SUBGM_BUDGET = 2000;

  /** Step η. */
  public double eta() {
    return values().positiveDouble(key("eta"));
  }

  /**
   * ScaledGD(λ)'s and scaled-subgm's λ: a number (fixed λ), or "auto": ScaledGD(λ) adapts λ_t = lambda-factor·σ̂_t
   * along the run (AdaptiveDamping), scaled-subgm takes λ_t = lambda-factor·σ_1(W_0W_0ᵀ)·ρ^t.
   */
  public String lambda() {
    return values().string(key("lambda")).trim();
  }

  public double lambdaFactor() {
    return values().positiveDouble(key("lambda-factor"));
  }

  /**
   * Scale α of the small random start as the ℓ2 solvers take it: as set, or {@link SubGradientMethod#DEFAULT_ALPHA}
   * (1e-3) for auto.
   */
  public double alpha() {
    double a = alphaSet();
    return Double.isNaN(a) ? SubGradientMethod.DEFAULT_ALPHA : a;
  }

  /** α as set: a number &gt; 0, or NaN for auto (SubGM derives it from its schedule: SubGradientMethod.Defaults). */
  public double alphaSet() {
    return optionalPositive("alpha", "the scale of the small random start", false);
  }

  /** PrecGD's c in λ_t = c·√f(X_t). */
  public double precgdC() {
    return values().positiveDouble(key("precgd-c"));
  }

  /** The loss the solver minimises: l2, l1, lq or huber (auto resolved: l1 for subgm, l2 otherwise). */
  public String loss() {
    String loss = values().oneOf(key("loss"), LOSSES.toArray(new String[0]));
    return loss.equals("auto") ? (subgradient() ? "l1" : "l2") : loss;
  }

  /** Whether the solver is a sub-gradient method (subgm, scaled-subgm): robust losses, decaying steps. */
  public boolean subgradient() {
    return solver().equals("subgm") || solver().equals("scaled-subgm");
  }

  /** The sub-gradient methods' step: geometric (η_t = η_0 ρ^t) or polyak (η_t from f − f*, {@link #fstar}). */
  public String step() {
    return values().oneOf(key("step"), "geometric", "polyak");
  }

  /**
   * Polyak's f*: a number ≥ 0 in the units of the loss f = (1/2) Σ ρ(r_i) the run reports, or NaN for "truth" (f at
   * the known truth, one pass: an oracle for studies, refused without a truth).
   */
  public double fstar() {
    String text = values().string(key("fstar")).trim();
    if (text.equals("truth")) {
      return Double.NaN;
    }
    double v;
    try {
      v = Double.parseDouble(text);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(key("fstar") + " (the optimal loss f* of Polyak's step) must be a number or "
          + "truth, got '" + text + "'");
    }
    if (!(v >= 0) || Double.isInfinite(v)) {
      throw new IllegalArgumentException(key("fstar") + " (the optimal loss f* of Polyak's step) must be finite and "
          + ">= 0, got " + text);
    }
    return v;
  }

  /** The fraction of measurements with the largest |y_i| the scaled sub-gradient method's spectral start leaves out. */
  public double trim() {
    double t = values().finiteDouble(key("trim"));
    if (!(t >= 0 && t < 1)) {
      throw new IllegalArgumentException(key("trim") + " (the fraction of the largest |y_i| the spectral start leaves "
          + "out) must be in [0, 1), got " + t);
    }
    return t;
  }

  /** The exponent q of the lq loss, 1 &lt; q ≤ 2. */
  public double q() {
    return values().finiteDouble(key("q"));
  }

  /** Huber's δ in the units of the responses y as given. */
  public double huberDelta() {
    return values().finiteDouble(key("huber-delta"));
  }

  /**
   * The loss of a run on {@code op}: Huber's δ, given in the units of y, goes onto the residuals' scale with
   * {@link SensingOperator#responseScale}.
   */
  public Loss lossFor(SensingOperator op) {
    return Loss.of(loss(), q(), huberDelta() * op.responseScale());
  }

  /** The outlier model of a generated instance: sensing.outliers (p), outlier-kind, outlier-scale (s). */
  public Outliers outlierModel() {
    double p = Outliers.requireFraction(key("outliers"), values().finiteDouble(key("outliers")));
    Outliers.Kind kind = Outliers.Kind.of(values().oneOf(key("outlier-kind"), "gaussian", "uniform", "positive"));
    double scale = Outliers.requireScale(key("outlier-scale"), values().finiteDouble(key("outlier-scale")));
    return new Outliers(p, kind, scale);
  }

  /** SubGM's η_0 as set: a number &gt; 0, or NaN for auto (derived from the data, see SubGradientMethod.Defaults). */
  public double subgmEta0() {
    return optionalPositive("subgm-eta0", "the first step η_0 of SubGM", false);
  }

  /** SubGM's ρ as set: a number in (0, 1), or NaN for auto (derived from the data and the budget). */
  public double subgmRho() {
    return optionalPositive("subgm-rho", "the decay ρ of SubGM's step η_t = η_0 ρ^t", true);
  }

  /** A key that is auto (NaN) or a finite number &gt; 0 (and &lt; 1 when {@code belowOne}). */
  private double optionalPositive(String name, String what, boolean belowOne) {
    String text = values().string(key(name)).trim();
    if (text.equals("auto")) {
      return Double.NaN;
    }
    double v;
    try {
      v = Double.parseDouble(text);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(key(name) + " (" + what + ") must be a number or auto, got '" + text + "'");
    }
    if (belowOne && !(v > 0 && v < 1)) {
      throw new IllegalArgumentException(key(name) + " (" + what + ") must be in (0, 1), got " + text
          + (v >= 1 ? ": a step that does not decay leaves a sub-gradient method oscillating" : ""));
    }
    if (!(v > 0) || Double.isInfinite(v)) {
      throw new IllegalArgumentException(key(name) + " (" + what + ") must be finite and > 0, got " + text);
    }
    return v;
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
