package io.lowrank.run;

import io.lowrank.data.BlockSource;
import io.lowrank.data.GaussianSensing;
import io.lowrank.data.LowRankTruth;
import io.lowrank.data.Outliers;
import io.lowrank.data.PackedSymmetric;
import io.lowrank.data.RankOneSensing;
import io.lowrank.engine.Engine;
import io.lowrank.engine.SparkEngine;
import io.lowrank.linalg.Linalg;
import io.lowrank.model.Loss;
import io.lowrank.model.sensing.GeneratedGaussianOperator;
import io.lowrank.model.sensing.PackedGaussianOperator;
import io.lowrank.model.sensing.RankOneOperator;
import io.lowrank.model.sensing.SensingOperator;
import io.lowrank.solve.Result;
import io.lowrank.solve.sensing.RankRBwgd;
import io.lowrank.solve.sensing.ScaledGradientDescent;
import io.lowrank.solve.sensing.ScaledGradientDescent.Method;
import io.lowrank.solve.sensing.SensingInitializer;
import io.lowrank.solve.sensing.SensingProblem;
import io.lowrank.solve.sensing.SensingSolver;
import io.lowrank.solve.sensing.ScaledSubGradientMethod;
import io.lowrank.solve.sensing.SubGradientMethod;
import io.lowrank.solve.sensing.TrimmedSpectralStart;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.sql.SparkSession;

/**
 * A matrix-sensing run: data (a generated instance of the settings, or rank-one measurements a_i, y_i = ‖X*ᵀa_i‖²
 * from files or a DataFrame) → engine → problem (the set-up pass, under the settings' loss) → start (spectral or small
 * random) → ScaledGD(λ), ScaledGD, PrecGD, GD, rank-r BWGD or SubGM → result, the estimate X as a d × r column-major
 * factor. A generated instance carries the settings' outliers whatever the solver, so the ℓ2 solvers and SubGM can be
 * compared on the same corrupted data.
 */
public final class SensingRun {
  private SensingRun() {}

  /**
   * Generates the instance the settings describe (operator, d, r*, κ, m, noise, outliers, seed) on Spark and solves
   * it.
   */
  public static RunResult run(SparkSession spark, SensingSettings s) {
    return run(spark, s, Progress.quiet());
  }

  /** As {@link #run(SparkSession, SensingSettings)}, telling {@code progress} as it goes. */
  public static RunResult run(SparkSession spark, SensingSettings s, Progress progress) {
    Generated g = generate(s);
    Input input = Input.generated(g.source());
    long t0 = System.nanoTime();
    try (SparkEngine engine = SparkData.open(spark, input, SparkData.Layout.MEASUREMENTS, s.partitions(), 0,
        s.solver(), progress)) {
      double load = RunResult.since(t0);
      return solve(engine, g.operator(), g.truth(), s, "the generated instance", progress)
          .loadedFrom(input.describe(), "generated", load, engine);
    }
  }

  /** A generated instance: its blocks, operator and truth. */
  public record Generated(BlockSource source, SensingOperator operator, LowRankTruth truth) {}

  /**
   * The instance the settings describe (operator gaussian, generated or rank-one; d, r*, κ, m, noise, outliers, seed),
   * not yet loaded: what {@link #run(SparkSession, SensingSettings)} solves on Spark, and a caller may solve on its
   * own engine ({@link #solve}), e.g. in-process inside a Spark task.
   */
  public static Generated generate(SensingSettings s) {
    if (FactoredSensingSettings.factored(s.operator())) {
      throw new IllegalArgumentException("sensing.operator = " + s.operator() + " is a factored run: "
          + "FactoredSensingRun.generate builds its instance");
    }
    s.requireGeneratable();
    LowRankTruth truth = LowRankTruth.generate(s.d(), s.rstar(), s.kappa(), s.seed());
    Outliers outliers = s.outlierModel();
    return switch (s.operator()) {
      case "rank-one" -> new Generated(new RankOneSensing(truth, s.m(), s.seed(), s.noise(), outliers,
          s.blockRowsFor(s.d())), new RankOneOperator(s.d(), s.m()), truth);
      case "generated" -> {
        GaussianSensing inst = GaussianSensing.onTheFly(truth, s.m(), s.seed(), s.noise(), outliers,
            s.blockRowsFor(PackedSymmetric.length(s.d())));
        yield new Generated(inst, new GeneratedGaussianOperator(inst), truth);
      }
      default -> new Generated(GaussianSensing.stored(truth, s.m(), s.seed(), s.noise(), outliers,
          s.blockRowsFor(PackedSymmetric.length(s.d()))), new PackedGaussianOperator(s.d(), s.m()), truth);
    };
  }

  /**
   * Solves rank-one measurements (the phase-retrieval layout: y_i and a_i) read from {@code input} with the rank-one
   * operator, or with any other operator a user's own A_i from an operator file (header y,a_0,...,a_{D−1}, see
   * {@link OperatorFiles}).
   *
   * @param truth X* when known (its rank r* sets the default search rank 2 r*), else null
   */
  public static RunResult run(SparkSession spark, Input input, LowRankTruth truth, SensingSettings s) {
    return run(spark, input, truth == null ? Truth.none() : Truth.of(truth.factor()), truth == null ? 0 : truth.d(), s,
        Progress.quiet());
  }

  /** As {@link #run(SparkSession, Input, LowRankTruth, SensingSettings)}, the truth possibly a factor file. */
  public static RunResult run(SparkSession spark, Input input, Truth truth, SensingSettings s) {
    return run(spark, input, truth, s, Progress.quiet());
  }

  /** As {@link #run(SparkSession, Input, Truth, SensingSettings)}, telling {@code progress} as it goes. */
  public static RunResult run(SparkSession spark, Input input, Truth truth, SensingSettings s, Progress progress) {
    return run(spark, input, truth, 0, s, progress);
  }

  /** {@code truthRows}: the rows of a truth given as a factor (0 = unknown), checked against the data's d. */
  private static RunResult run(SparkSession spark, Input input, Truth truth, int truthRows, SensingSettings s,
      Progress progress) {
    if (input instanceof Input.Generated) {
      throw new IllegalArgumentException("a generated sensing instance comes from the settings: use run(spark, settings)");
    }
    if (s.outlierModel().any()) {
      throw new IllegalArgumentException("sensing.outliers corrupts generated instances; the measurements of --input "
          + "are used as given (set sensing.outliers = 0)");
    }
    if (!s.operator().equals("rank-one")) {
      // A user's own A_i: an operator file (header y,a_0,...,a_{D-1}).
      return OperatorFiles.run(spark, input, truth, truthRows, s, progress);
    }
    long t0 = System.nanoTime();
    try (SparkEngine engine = SparkData.open(spark, input, SparkData.Layout.MEASUREMENTS, s.partitions(), 0,
        s.solver(), progress)) {
      double load = RunResult.since(t0);
      int d = engine.dimension();
      if (truthRows > 0 && truthRows != d) {
        // Values alone would be re-read as d-row columns: a d×r* factor of another d must not pass as one.
        throw new IllegalArgumentException("the truth factor X* has " + truthRows + " rows, but the data have d = "
            + d);
      }
      LowRankTruth x = OperatorFiles.truthFactor(truth, d, spark.sparkContext().hadoopConfiguration());
      return solve(engine, new RankOneOperator(d, engine.rows()), x, s, "the input " + input.describe(), progress)
          .loadedFrom(input.describe(), RunResult.describe(truth, input), load, engine);
    }
  }

  /** Solves over an engine the caller owns; {@code data} names the data in errors about the search rank. */
  public static RunResult solve(Engine engine, SensingOperator op, LowRankTruth truth, SensingSettings s,
      String data) {
    return solve(engine, op, truth, s, data, Progress.quiet());
  }

  /** As {@link #solve(Engine, SensingOperator, LowRankTruth, SensingSettings, String)}, telling {@code progress}. */
  public static RunResult solve(Engine engine, SensingOperator op, LowRankTruth truth, SensingSettings s,
      String data, Progress progress) {
    int r = s.searchRank(op.d(), truth != null ? truth.rank() : s.rstar(), data);
    long t0 = System.nanoTime();
    Loss loss = s.lossFor(op);
    progress.phase("set-up pass");
    SensingProblem problem = SensingProblem.setUp(engine, op, truth, loss);
    problem.listen(progress);
    progress.phase("start");
    Map<String, Object> extra = new LinkedHashMap<>();
    SensingSolver solver;
    double[] x0;
    if (s.solver().equals("subgm")) {
      // The derived α is the geometric schedule's; Polyak's step starts from α as set (1e-3 for auto).
      double alpha = s.step().equals("polyak") ? s.alpha() : s.alphaSet();
      SubGradientMethod.Defaults auto = SubGradientMethod.Defaults.of(problem, r, alpha, s.subgmRho(), s.tol(),
          s.maxIter());
      solver = new SubGradientMethod(subgmOptions(problem, s, auto, extra), s.subgmContinuationBudget());
      x0 = SensingInitializer.smallRandom(op.d(), r, auto.alpha(), s.seed());
      extra.put("init", "small-random");
      extra.put("initial_relative_error", problem.relativeError(x0, r));
    } else if (s.solver().equals("scaled-subgm")) {
      ScaledStart st = scaledSubgm(problem, s, r, extra);
      x0 = st.x0();
      solver = new ScaledSubGradientMethod(st.options());
    } else if (s.solver().equals("bwgd")) {
      x0 = SensingInitializer.spectral(problem, r);
      extra.put("init", "spectral");
      extra.put("initial_relative_error", problem.relativeError(x0, r));
      problem.label("bwgd");
      solver = new RankRBwgd(s.tol(), s.maxIter());
    } else {
      Start st = start(problem, s, r, extra);
      x0 = st.x0();
      solver = new ScaledGradientDescent(st.options());
    }
    double start = RunResult.since(t0);
    progress.phase("solving with " + s.solver() + " at rank " + r);
    Result result = solver.solve(problem, x0, r);
    Map<String, Object> summary = new LinkedHashMap<>();
    summary.put("solver", s.solver());
    summary.put("operator", s.operator());
    summary.putAll(RunResult.resultFields(result));
    // The trace's distance column is the relative error ‖XX^T − M*‖_F/‖M*‖_F (Procrustes distance for bwgd).
    summary.put("relative_error", truth == null ? null : problem.relativeError(result.estimate(), r));
    if (s.solver().equals("bwgd")) {
      summary.put("procrustes_distance", result.trace().last().distance());
    }
    if (s.subgradient()) {
      summary.put("subgm_final_eta", result.trace().last().mu()); // a vanishing step is not convergence
    }
    if (solver instanceof SubGradientMethod sg && !sg.options().polyak()) {
      extra.put("subgm_continuation_budget", s.subgmContinuationBudget());
      extra.put("subgm_continuations", sg.continuations().stream().map(SubGradientMethod.Continued::describe)
          .toList());
      extra.put("subgm_note", sg.note(result, s.subgmContinuationBudget(), s.maxIterAuto()));
    }
    summary.put("d", op.d());
    summary.put("rstar", truth == null ? null : truth.rank());
    summary.put("r", r);
    summary.put("kappa", truth == null ? null : truth.kappa());
    summary.put("m", engine.rows());
    summary.put("eta", s.eta());
    summary.put("alpha", s.alpha());
    summary.putAll(extra);
    summary.put("loss", loss.describe());
    summary.put("outliers", s.outlierModel().describe());
    summary.put("partitions", engine.partitions());
    summary.put("master", engine.master());
    summary.put("cached_bytes", engine.cachedBytes());
    summary.put("blas", Linalg.blasName());
    return new RunResult(s.solver(), result.estimate(), op.d(), r, result, summary,
        new RunResult.Timings(0, start, result.seconds()));
  }

  /**
   * The ScaledGD-family solve of a set-up problem at search rank r, with the start and λ (or σ_1) the settings
   * choose; the start's fields go into {@code summary} when it is not null.
   */
  public static Result solveFrom(SensingProblem p, SensingSettings s, int r, Map<String, Object> summary) {
    Start st = start(p, s, r, summary);
    return new ScaledGradientDescent(st.options()).solve(p, st.x0(), r);
  }

  /**
   * SubGM's options: η_0 and ρ as set, or derived from the set-up pass ({@code auto}, {@link
   * SubGradientMethod.Defaults}, whose α is the start's); what they came from goes into {@code summary}.
   */
  private static SubGradientMethod.Options subgmOptions(SensingProblem p, SensingSettings s,
      SubGradientMethod.Defaults auto, Map<String, Object> summary) {
    double eta0 = Double.isNaN(s.subgmEta0()) ? auto.eta0() : s.subgmEta0();
    double rho = auto.rho(); // as set, or derived
    summary.put("subgm_eta0", eta0);
    summary.put("subgm_rho", rho);
    summary.put("subgm_defaults", (Double.isNaN(s.subgmEta0()) ? "eta0 auto" : "eta0 set") + ", "
        + (Double.isNaN(s.subgmRho()) ? "rho auto" : "rho set") + ", "
        + (!Double.isNaN(s.alphaSet()) ? "alpha set" : s.step().equals("polyak") ? "alpha 1e-3 (polyak)"
        : "alpha auto"));
    summary.put("alpha", auto.alpha());
    summary.put("max_iter", s.maxIter());
    summary.put("sigma_max_estimate", auto.sigmaMax());
    summary.put("kappa_estimate", auto.kappa());
    summary.put("kappa_resolved", auto.resolved());
    return new SubGradientMethod.Options(eta0, rho, s.tol(), s.maxIter(), fstar(p, s, summary));
  }

  /**
   * Polyak's f* for the sub-gradient methods (NaN: the geometric schedule): sensing.fstar, or f at the known truth
   * (one pass) for "truth"; into {@code summary}.
   */
  private static double fstar(SensingProblem p, SensingSettings s, Map<String, Object> summary) {
    summary.put("step", s.step());
    if (!s.step().equals("polyak")) {
      return Double.NaN;
    }
    double f = s.fstar();
    if (Double.isNaN(f)) {
      if (!p.hasTruth()) {
        throw new IllegalArgumentException("sensing.step = polyak needs f*: set sensing.fstar (--fstar), or give a truth "
            + "for fstar = truth");
      }
      p.label("polyak: f at the truth");
      f = p.evaluate(p.truth().factor(), p.truth().rank()).loss();
    }
    summary.put("fstar", f);
    return f;
  }

  private record ScaledStart(double[] x0, ScaledSubGradientMethod.Options options) {}

  /**
   * scaled-subgm's start (trimmed spectral, {@link TrimmedSpectralStart}) and options: η_0, ρ as set or derived
   * ({@link ScaledSubGradientMethod.Defaults}); λ as set (fixed; 0 = the paper's, the start then keeps every
   * eigenpair so that W_0ᵀW_0 is invertible) or auto, λ_t = lambda-factor·σ_1(W_0W_0ᵀ)·ρ^t.
   */
  private static ScaledStart scaledSubgm(SensingProblem p, SensingSettings s, int r, Map<String, Object> summary) {
    boolean autoLambda = s.lambda().equals("auto");
    double fixed = autoLambda ? Double.NaN : Double.parseDouble(s.lambda());
    TrimmedSpectralStart.Start st = TrimmedSpectralStart.of(p, r, s.trim(), s.seed(), autoLambda || fixed > 0);
    ScaledSubGradientMethod.Defaults auto = ScaledSubGradientMethod.Defaults.of(p, st, s.lambdaFactor());
    double eta0 = Double.isNaN(s.subgmEta0()) ? auto.eta0() : s.subgmEta0();
    double rho = Double.isNaN(s.subgmRho()) ? auto.rho() : s.subgmRho();
    double lambda0 = autoLambda ? auto.lambda0() : fixed;
    summary.put("init", "trimmed-spectral");
    summary.put("trim", s.trim());
    summary.put("trim_threshold", st.tau());
    summary.put("init_resolved_columns", st.resolved());
    summary.put("init_scale", st.scale());
    summary.put("init_passes", st.passes());
    summary.put("initial_relative_error", p.relativeError(st.x0(), r));
    summary.put("subgm_eta0", eta0);
    summary.put("subgm_rho", rho);
    summary.put("subgm_defaults", (Double.isNaN(s.subgmEta0()) ? "eta0 auto" : "eta0 set") + ", "
        + (Double.isNaN(s.subgmRho()) ? "rho auto" : "rho set"));
    summary.put("lambda", lambda0);
    summary.put("lambda_rule", autoLambda ? "lambda0 * rho^t" : "fixed");
    summary.put("sigma_max_estimate", auto.sigmaMax());
    var schedule = new SubGradientMethod.Options(eta0, rho, s.tol(), s.maxIter(), fstar(p, s, summary));
    return new ScaledStart(st.x0(), new ScaledSubGradientMethod.Options(schedule, lambda0, autoLambda));
  }

  private record Start(double[] x0, ScaledGradientDescent.Options options) {}

  private static Start start(SensingProblem p, SensingSettings s, int r, Map<String, Object> summary) {
    Method method = Method.of(s.solver());
    double lambda = 0;
    // auto: λ_t adapted along the run (AdaptiveDamping), from an estimate of σ_min(M*) the iterate sharpens.
    boolean adaptive = method == Method.SCALED_FIXED_LAMBDA && s.lambda().equals("auto");
    if (method == Method.SCALED_FIXED_LAMBDA && !adaptive) {
      lambda = Double.parseDouble(s.lambda());
    }
    double sigma1 = p.hasTruth() ? p.truth().sigmaMax() : p.sigmaMaxEstimate();
    boolean spectral = method == Method.SCALED || method == Method.GRADIENT;
    double[] x0 = spectral ? SensingInitializer.spectral(p, r)
        : SensingInitializer.smallRandom(p.d(), r, s.alpha(), s.seed());
    var options = new ScaledGradientDescent.Options(method, s.eta(), lambda, s.precgdC(), sigma1, s.tol(),
        s.maxIter(), adaptive ? s.lambdaFactor() : 0);
    if (summary != null) {
      summary.put("init", spectral ? "spectral" : "small-random");
      summary.put("lambda", method == Method.SCALED_FIXED_LAMBDA && !adaptive ? lambda : null);
      summary.put("lambda_rule", method != Method.SCALED_FIXED_LAMBDA ? null
          : adaptive ? "adaptive: lambda-factor * max(min_t lambda_1(-D_t), 2 sqrt(f_t))" : "fixed");
      summary.put("sigma_min_estimate", p.sigmaMinEstimate(r));
      summary.put("sigma_max_estimate", p.sigmaMaxEstimate());
      summary.put("initial_relative_error", p.relativeError(x0, r));
    }
    return new Start(x0, options);
  }
}
