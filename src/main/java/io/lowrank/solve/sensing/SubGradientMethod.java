package io.lowrank.solve.sensing;

import io.lowrank.linalg.Linalg;
import io.lowrank.solve.IterationLoop;
import io.lowrank.solve.Result;
import io.lowrank.solve.Status;
import io.lowrank.solve.Stopping;
import io.lowrank.solve.Trace;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * SubGM, the sub-gradient method for robust low-rank recovery (Ma &amp; Fattahi, "Global convergence of sub-gradient
 * method for robust matrix recovery: small initialization, noisy measurements, and over-parameterization", JMLR
 * 2023): on the problem's loss f(W) = (1/2) Σ ρ(⟨A_i, WW^T⟩ − y_i) — ℓ1 above all — iterate
 * <pre>
 *   W_{t+1} = W_t − η_t G_t W_t,   G_t = Σ_i ψ(r_i) A_i (sign(r_i) for ℓ1),   η_t = η_0 ρ^t,
 * </pre>
 * from the small random start W_0 = α·N(0, 1/d) ({@link SensingInitializer#smallRandom}), one pass per iteration
 * (the pass at W_t gives f and G_t). G_t W_t is a sub-gradient of f (its gradient for smooth losses); DESIGN §4's
 * G = (1/m) Σ sign(r_i)(A_i + A_i^T), written with unnormalised A_i, is the same direction on another scale, which
 * η_0 absorbs (see {@link io.lowrank.model.Loss} for the normalisation). A sub-gradient
 * does not shrink near the solution, so the step must: the geometric decay η_0 ρ^t gives a linear rate when ρ is
 * not below the rate the problem allows, and a stall (the steps die out first) when it is.
 *
 * <p><b>Continuation</b> (with a continuation budget, {@link #SubGradientMethod(Options, int)}): under ℓ1 a direction
 * of M* of size σ_j grows, and later contracts, at about σ_j/σ_1 per unit of the normalised step, so the slowest
 * direction needs 1 − ρ of order 1/κ — which the set-up pass cannot tell when σ_min is below its noise (κ = 100:
 * the budget's schedule fits the strong directions and stalls with the weakest unfitted, at relative error about
 * σ_min/‖M*‖_F). When a phase ends short of tol, {@link MissingDirection} looks at −G for a direction of M* still
 * missing; found, W's weakest direction is re-seeded along it at the scale s* a line search on the loss gives,
 * κ̂ = σ_1(W)²/s*, and a new phase runs η_t = (η_0/κ̂)ρ'^t, ρ' = 1 − 1/({@value #CONTINUATION_FACTOR} κ̂) (the
 * error follows η_t, so η_0/κ̂ is where it stands, about σ_min/σ_1), planned to bring η_t down to tol·η_0:
 * ln(1/(κ̂ tol))/ln(1/ρ') iterations with a margin of {@value #CONTINUATION_MARGIN}. At most r re-seeds; the
 * trace goes on numbering, the re-seed's row carrying its passes.
 *
 * <p>The trace's mu column holds the η_t of the step that led to the row, its distance column the relative error
 * ‖WW^T − M*‖_F/‖M*‖_F when the truth is known. Stopping: {@link Stopping.ErrorOrVanishingStep}.
 */
public final class SubGradientMethod implements SensingSolver {
  /** Relative step / relative error below which a run that knows the truth is STALLED. */
  public static final double STALL_RATIO = 1e-4;

  /**
   * @param eta0 η_0 &gt; 0, the first step (in the units of G; {@link Defaults} derives it from the data)
   * @param rho ρ in (0, 1), the decay of η_t = η_0 ρ^t
   * @param tol stop when ‖WW^T − M*‖_F/‖M*‖_F ≤ tol (truth known), else when the relative step ≤ tol
   * @param maxIterations iteration budget
   * @param fstar NaN: the geometric schedule η_t = η_0 ρ^t; a number f* ≥ 0 (the optimal value, in the units of f =
   *     (1/2) Σ ρ(r_i)): Polyak's step η_t = (f(W_t) − f*) / ⟨∇, P(∇)⟩ with P the method's preconditioner (the
   *     identity for SubGM, (W^T W + λI)^{-1} for the scaled method; Tong, Ma &amp; Chi's scaled Polyak step), η_0 and
   *     ρ then unused
   */
  public record Options(double eta0, double rho, double tol, int maxIterations, double fstar) {
    /** The geometric schedule η_t = η_0 ρ^t. */
    public Options(double eta0, double rho, double tol, int maxIterations) {
      this(eta0, rho, tol, maxIterations, Double.NaN);
    }

    /** Whether the step is Polyak's (f* given). */
    public boolean polyak() {
      return !Double.isNaN(fstar);
    }

    public Options {
      if (!Double.isNaN(fstar) && (!(fstar >= 0) || Double.isInfinite(fstar))) {
        throw new IllegalArgumentException("fstar (the optimal loss f* of Polyak's step) must be finite and >= 0, got "
            + fstar);
      }
      if (!(eta0 > 0) || Double.isInfinite(eta0)) {
        throw new IllegalArgumentException("subgm-eta0 (the first step η_0) must be finite and > 0, got " + eta0);
      }
      if (!(rho > 0 && rho < 1)) {
        throw new IllegalArgumentException("subgm-rho (the step decay ρ in η_t = η_0 ρ^t) must be in (0, 1), got "
            + rho + (rho >= 1 ? ": a step that does not decay leaves a sub-gradient method oscillating at the scale "
            + "of η_0" : ""));
      }
      stopping(tol, maxIterations);
    }

    /** The loop's stopping rule. */
    public Stopping.ErrorOrVanishingStep stopping() {
      return stopping(tol, maxIterations);
    }

    private static Stopping.ErrorOrVanishingStep stopping(double tol, int maxIterations) {
      return new Stopping.ErrorOrVanishingStep(tol, maxIterations, STALL_RATIO);
    }
  }

  /**
   * c_η of {@link Defaults}: η_0 = c_η / σ̂_1. Measured on Gaussian operators (d = 20, r* = 2, m = 8 d r*, p = 0.2): 4
   * blows up at the first fit, 2 once at r = 2 r*; 1 never did.
   */
  public static final double ETA_FACTOR = 1.0;
  /** κ̂ is capped here (so ρ ≤ 1 − c_η/(200 L)): beyond it a set ρ, or a larger budget, is the user's call. */
  public static final double KAPPA_CAP = 100;
  /** λ_r(S) must exceed this multiple of the noise edge ν to count as a resolved eigenvalue. */
  public static final double RESOLVED_MARGIN = 1.3;
  /**
   * μ of {@link Defaults}: the margin of the budget's schedule over the growth it must allow, 1 − ρ = c_η/(2 μ L).
   * Measured (d ∈ {20, 50, 100}, r* ∈ {2, 5}, κ = 10, p = 0.2, k ∈ {r*, 2r*, d}, 3 seeds, budget 2000): 1.4 and 1.5
   * recover every instance to 1e-8; 1.25 leaves the weakest direction out at exact rank in 2 of 9 instances at
   * budget 1000; every 0.1 more costs a factor of about e^{0.1 L} in α and so in the over-parameterised floor.
   */
  public static final double GROWTH_MARGIN = 1.4;
  /**
   * The start scale α when the step schedule leaves no room for a smaller one (a budget too short) or the κ̂ rule
   * sets ρ; the scale the ℓ2 solvers' small random start uses by default.
   */
  public static final double DEFAULT_ALPHA = 1e-3;

  /**
   * SubGM's data-derived η_0, ρ and start scale α, and what they were derived from — no extra pass: all of it comes
   * from the set-up pass's spectral matrix S = −G(0) = Σ ψ(y_i) A_i under the problem's loss, the tolerance and the
   * budget.
   *
   * <p><b>η_0 = c_η / σ̂_1</b>, c_η = {@value #ETA_FACTOR}, σ̂_1 = λ_1(S). For ℓ1 the sub-gradient at W is
   * G ≈ β Δ / ‖Δ‖_F, Δ = WW^T − M*, with a β that depends on m, p, the outliers and the operator's scale (about
   * (1−p)√(2m/π) on ours); near the small start S ≈ β M* / ‖M*‖_F, so λ_1(S) ≈ β σ_1 / ‖M*‖_F and the first steps
   * η_0 G W are the least-squares gradient steps c_η Δ W / σ_1 whatever the loss, the operator's normalisation or
   * the scale of y (for ℓ2, S ≈ M* and this is GD's step c_η/σ_1).
   *
   * <p><b>What ρ and α must allow.</b> From W_0 = α·N(0, 1/d) each direction of M* grows from about α/√d to its
   * √σ_j by factors 1 + η_t β σ_j/‖Δ_t‖: L = ln(√d/α) e-folds. The strongest direction first, at the rate c_η ρ^t;
   * under ℓ1 the weaker ones then at the same normalised rate (‖Δ_t‖ ≈ σ_j once the stronger ones are fitted), so
   * the schedule must hold Σ_t c_η ρ^t = c_η/(1 − ρ) ≥ 2L, and takes a margin μ = {@value #GROWTH_MARGIN}:
   * <b>1 − ρ = c_η/(2 μ L)</b>, the form of Ma &amp; Fattahi's schedule (ρ = 1 − Θ(η_0/log(1/α))). Over-parameterised
   * (k &gt; r*) the start's k − r* excess directions E grow too, along S's noise (its positive eigenvalues beyond
   * M*'s, up to the noise edge ν) at a rate of about ν/σ̂_1 of the signal's, for as long as the steps are large, and
   * a sub-gradient method cannot shrink them afterwards: near W* = [X*, 0] the loss is quadratic in E (the saddle
   * test's h(Z); a step η_t G moves E by O(η_t ‖E‖), and the steps have decayed by then). So E E^T is a floor under
   * the error that only a smaller α lowers (measured at d = 20, r* = 2, m = 16 d r*, k = d: α = 1e-3, 1e-6, 1e-8, 1e-10
   * leave 1e-2, 2e-5, 4e-7, 2e-8 with ρ at its growth bound), and a ρ slower than the growth needs raises it fast
   * (1e-8: 4e-7 at ρ = 0.98, 6e-5 at 0.985, 2e-3 at 0.99). Which is why α, not only ρ, comes from the data:
   * <ul>
   *   <li><b>κ̂ not resolved</b> (the usual case with outliers: m too small for one pass to see the weakest
   *       direction): ρ is the budget's, <b>ρ = tol^{1/max-iter}</b> — η_t comes down to tol·η_0 at the end of the
   *       budget, and the error, which follows η_t (0.2–0.8 η_t/η_0 measured), reaches tol about then — and α is the
   *       smallest start that schedule grows from, <b>α = √d·exp(−c_η/(2 μ ln(1/ρ)))</b>, at most
   *       {@value #DEFAULT_ALPHA}: a longer budget buys a slower ρ and a smaller α, so a lower floor (at
   *       tol = 1e-8: α ≈ 1e-16 with 2000 iterations, 1e-8 with 1000). A set α keeps ρ at
   *       max(the budget's, 1 − c_η/(2 μ L)): never too fast for the growth it needs. A set ρ keeps α as set or
   *       {@value #DEFAULT_ALPHA}: a ρ tuned by hand is for the weakest direction's growth (κ = 100 needs about
   *       0.995, measured), which a start derived for it (≈ 1e-30 at 0.995) would lengthen past the budget.</li>
   *   <li><b>κ̂ resolved</b> (λ_r(S) &gt; {@value #RESOLVED_MARGIN}·ν): ρ = 1 − c_η/(2 κ̂ L) with α as set or
   *       {@value #DEFAULT_ALPHA}, the rate the slowest direction allows, faster than the budget's. κ̂ is the ratio
   *       of the top and r-th eigenvalue of S, both taken back through the BBP relation λ = θ + ν²/(4θ) of a spike
   *       θ in a noise whose spectrum ends at ν = |λ_min(S)| (M* ⪰ 0, so the negative side of S is noise):
   *       θ = (λ + √(λ² − ν²))/2. The edge of the noise fluctuates (on Gaussian operators at m = 8 d r, p = 0.2,
   *       pure noise reached λ_r/ν = 1.2 in 48 draws), hence the margin; with no negative eigenvalue (ν = 0: the
   *       rank-one operator, whose S is dominated by a multiple of I) nothing is resolved.</li>
   * </ul>
   * STALLED says the steps died out first (with the continuation on, with no direction of M* missing, or with ρ set:
   * raise it toward 1); MAX_ITER with an error still falling at rate ρ says the budget was short. A κ that the
   * set-up pass does not resolve is the continuation's ({@link SubGradientMethod}), not these defaults'.
   *
   * @param eta0 η_0
   * @param rho ρ
   * @param alpha α, the start's scale (derived, or as set)
   * @param sigmaMax σ̂_1 = λ_1(S)
   * @param kappa κ̂ (a lower bound when not resolved, and then not used), at most {@value #KAPPA_CAP}
   * @param resolved whether λ_r(S) was above the noise edge ν (with the margin)
   * @param growth L = ln(√d/α)
   */
  public record Defaults(double eta0, double rho, double alpha, double sigmaMax, double kappa, boolean resolved,
      double growth) {
    /**
     * The defaults for a search rank r on a set-up problem; tol and maxIterations are the run's.
     *
     * @param alpha the start's scale as set, or NaN to derive it
     * @param rho ρ as set, or NaN to derive it (with α when α is NaN too)
     * @throws IllegalArgumentException when S has no positive eigenvalue (y ≡ 0): η_0 must then be set
     */
    public static Defaults of(SensingProblem p, int r, double alpha, double rho, double tol, int maxIterations) {
      int d = p.d();
      if (r < 1 || r > d) {
        throw new IllegalArgumentException("r (the search rank) must be in [1, d = " + d + "], got " + r);
      }
      double[] v = p.spectralValues();
      return of(v, Math.max(0, -v[d - 1]), r, d, alpha, rho, tol, maxIterations);
    }

    /**
     * The same rule from the top of a spectrum and its noise edge: {@code v} the leading eigenvalues (or singular
     * values) of S, descending, at least r of them; ν ≥ 0 the edge of S's noise (0: none known); d the dimension in
     * L = ln(√d/α); α and ρ as set, or NaN to derive them. The factored solvers (solve/factor) call it with S's
     * singular values from power iterations.
     */
    public static Defaults of(double[] v, double nu, int r, int d, double alpha, double rho, double tol,
        int maxIterations) {
      if (!(v[0] > 0) || Double.isInfinite(v[0])) {
        throw new IllegalArgumentException("cannot derive subgm-eta0 from the data: the spectral matrix "
            + "Σ ψ(y_i) A_i has no positive eigenvalue (are all y_i zero?); set sensing.subgm-eta0");
      }
      if (!Double.isNaN(alpha) && !(alpha > 0 && Double.isFinite(alpha))) {
        throw new IllegalArgumentException("alpha (the start's scale) must be finite and > 0, got " + alpha);
      }
      double theta1 = spike(v[0], nu);
      boolean resolved = nu > 0 && v[r - 1] > RESOLVED_MARGIN * nu;
      double thetaR = resolved ? spike(v[r - 1], nu) : nu / 2;
      double kappa = Math.min(KAPPA_CAP, thetaR > 0 ? Math.max(1, theta1 / thetaR) : 1);
      double a;
      double decay;
      if (resolved) {
        a = Double.isNaN(alpha) ? DEFAULT_ALPHA : alpha;
        decay = Double.isNaN(rho) ? 1 - ETA_FACTOR / (2 * kappa * growth(d, a)) : rho;
      } else if (!Double.isNaN(rho)) {
        a = Double.isNaN(alpha) ? DEFAULT_ALPHA : alpha; // a set ρ is tuned for the conventional start
        decay = rho;
      } else {
        // The budget's schedule first, then the smallest start it grows from.
        double schedule = Math.pow(tol, 1.0 / maxIterations);
        a = Double.isNaN(alpha) ? Math.min(DEFAULT_ALPHA,
            Math.sqrt(d) * Math.exp(-ETA_FACTOR / (2 * GROWTH_MARGIN * -Math.log(schedule)))) : alpha;
        decay = Math.max(schedule, 1 - ETA_FACTOR / (2 * GROWTH_MARGIN * growth(d, a)));
      }
      return new Defaults(ETA_FACTOR / v[0], Double.isNaN(rho) ? Math.min(decay, 1 - 1e-6) : rho, a, v[0], kappa,
          resolved, growth(d, a));
    }

    /** L = ln(√d/α), at least 1. */
    private static double growth(int d, double alpha) {
      return Math.max(1, Math.log(Math.sqrt(d) / alpha));
    }

    /** θ with θ + ν²/(4θ) = λ (the larger root), λ &gt; ν ≥ 0; λ itself when ν = 0. */
    private static double spike(double lambda, double nu) {
      return 0.5 * (lambda + Math.sqrt(Math.max(0, lambda * lambda - nu * nu)));
    }
  }

  /** Refuses a problem whose loss is not ℓ2 for a least-squares solver named {@code solver}. */
  static void requireL2(SensingProblem p, String solver) {
    if (!(p.loss() instanceof io.lowrank.model.Loss.L2)) {
      throw new IllegalArgumentException(solver + " minimises the l2 loss, but the problem was set up with "
          + p.loss().describe() + ": use subgm or scaled-subgm");
    }
  }

  /**
   * C of the continuation's schedule ρ' = 1 − 1/(C κ̂). Under ℓ1 a direction of size σ_j contracts at about σ_j/σ_1
   * per unit of the normalised step (the steps that keep the strongest direction stable), so the tail needs 1 − ρ of
   * order 1/κ. Measured at d = 60, r* = 3, m = 1800, κ = 100, exact rank, p = 0 and 0.2 (κ̂ = 115 and 123): C = 1
   * stalls near 1e-4, C = 2 reaches 1e-8 (4 274 and 4 517 iterations in all), C = 3 and 5 too, in 5 838 / 6 191 and
   * 8 941 / 9 519.
   */
  public static final double CONTINUATION_FACTOR = 2;
  /** The continuation's budget is the schedule's length from η_0/κ̂ down to tol·η_0, times this margin. */
  public static final double CONTINUATION_MARGIN = 1.1;

  /**
   * One continuation: at iteration {@code at} (after the phase before it ended {@code ended}) −G's top eigenvalue
   * was {@code eigenvalueOverNoise} × the noise edge, W was re-seeded along its eigenvector at scale s (the missing
   * σ_j), and the schedule restarted at η_0' = η_0/κ̂, ρ' = 1 − 1/(C κ̂) for {@code planned} iterations.
   */
  public record Continued(int at, Status ended, double eigenvalueOverNoise, double s, double kappa, double eta0,
      double rho, int planned) {
    /** One line for the run's summary. */
    public String describe() {
      return String.format(Locale.ROOT, "at iteration %d (%s): -G's top eigenvalue %.2f x the noise edge; "
          + "re-seeded at s = %.3g (kappa_hat = %.1f); eta0 = %.3g, rho = %.6f for up to %d iterations", at, ended,
          eigenvalueOverNoise, s, kappa, eta0, rho, planned);
    }
  }

  /** Why the last solve did not continue (further). */
  private enum Ending { NONE, OFF, BUDGET, NOTHING_MISSING, RESEEDS }

  private final Options options;
  private final int continuationBudget;
  private final List<Continued> continued = new ArrayList<>();
  private Ending ending = Ending.NONE;

  /** SubGM on the schedule of {@code options} alone (no continuation). */
  public SubGradientMethod(Options options) {
    this(options, 0);
  }

  /**
   * SubGM that, when its schedule ends short of the tolerance with a direction of M* still missing (see {@link
   * MissingDirection}), re-seeds W along it and continues on a schedule planned from the κ̂ that re-seed measures,
   * within {@code continuationBudget} iterations in all (0: never continues; the geometric step only).
   */
  public SubGradientMethod(Options options, int continuationBudget) {
    if (continuationBudget < 0) {
      throw new IllegalArgumentException("the continuation budget must be >= 0, got " + continuationBudget);
    }
    this.options = options;
    this.continuationBudget = continuationBudget;
  }

  /** The continuations of the last {@link #solve} (empty when its schedule reached the tolerance, or none found). */
  public List<Continued> continuations() {
    return Collections.unmodifiableList(continued);
  }

  @Override
  public String name() {
    return "subgm";
  }

  public Options options() {
    return options;
  }

  /** Iterates from W_0 (d×r, column-major) until the stopping rule fires or the budget ends. */
  @Override
  public Result solve(SensingProblem p, double[] w0, int r) {
    continued.clear();
    ending = Ending.NONE;
    StepRule rule = (t, eta, subgradient, w) -> Linalg.scaled(eta, subgradient);
    Result result = iterate(name(), options, p, w0, r, rule);
    if (options.polyak() || continuationBudget == 0) {
      ending = Ending.OFF;
      return result;
    }
    // Continue while the phase ended short of tol (with the truth: STALLED or MAX_ITER; without: any end, a
    // vanishing step included) and a direction of M* is missing; at most r re-seeds.
    while (result.status() != Status.DIVERGED && !(p.hasTruth() && result.status() == Status.CONVERGED)) {
      int left = continuationBudget - result.iterations() - 1;
      if (left <= 0 || continued.size() >= r) {
        ending = left <= 0 ? Ending.BUDGET : Ending.RESEEDS;
        break;
      }
      long before = p.passes();
      MissingDirection.Reseed seed = MissingDirection.find(p, result.estimate(), r);
      if (seed == null) {
        ending = Ending.NOTHING_MISSING;
        break;
      }
      long seedPasses = p.passes() - before;
      double kappa = Math.max(1, seed.kappa());
      double eta0 = options.eta0() / kappa;
      double rho = 1 - 1 / (CONTINUATION_FACTOR * kappa);
      int planned = (int) Math.min(left, Math.ceil(CONTINUATION_MARGIN * Math.log(eta0 / (options.tol()
          * options.eta0())) / -Math.log(rho)));
      continued.add(new Continued(result.iterations() + 1, result.status(), seed.eigenvalueOverNoise(), seed.s(),
          kappa, eta0, rho, planned));
      Result next = iterate(name() + " (continued)", new Options(eta0, rho, options.tol(), Math.max(1, planned)), p,
          seed.w(), r, rule);
      result = appended(result, next, seedPasses);
    }
    // A look that found nothing (or a line search that failed) still cost passes.
    return p.passes() == result.passes() ? result : new Result(result.estimate(), result.status(), result.trace(),
        p.passes(), result.seconds());
  }

  /**
   * What the summary says of the last solve's {@code result} beyond its status: the continuations that took it past
   * the budget, or why a run that ended short of tol did not continue (and what to change).
   *
   * @param budget the continuation budget the solver had
   * @param maxIterAuto whether max-iter was auto (the budget then grows with κ̂)
   */
  public String note(Result result, int budget, boolean maxIterAuto) {
    String base = "";
    if (!continued.isEmpty()) {
      Continued last = continued.get(continued.size() - 1);
      base = String.format(Locale.ROOT, "continued %d time(s) past the schedule's %d iterations "
          + "(a direction of M* was still missing: kappa_hat = %.1f)%s; ", continued.size(), options.maxIterations(),
          last.kappa(), maxIterAuto ? ", max-iter auto: " + result.iterations() + " of up to " + budget : "");
    }
    if (result.status() == Status.CONVERGED || result.status() == Status.DIVERGED) {
      return base.isEmpty() ? "" : base.substring(0, base.length() - 2);
    }
    return base + switch (ending) {
      case OFF -> (result.status() == Status.MAX_ITER ? "the budget ran out with the error above tol"
          : "the steps died out before the error reached tol") + "; no continuation (subgm-rho is set): leave "
          + "subgm-rho auto (a missing weak direction is then re-seeded and the schedule continued), or raise it "
          + "toward 1 - 1/(5 kappa) with max-iter to match (kappa = 100, alpha = 1e-3: rho = 0.998 reaches 1e-8 in "
          + "about 9 200 iterations)";
      case BUDGET -> "the budget of " + budget + " iterations ran out first: raise max-iter (auto allows "
          + "continuations up to 20 x 2000)";
      case NOTHING_MISSING -> "no direction of M* is missing (-G's top eigenvalue is within the noise edge): the "
          + "error left is the floor of the start's excess columns (over-parameterised) or of a short schedule: a "
          + "smaller alpha or a longer max-iter lowers it";
      case RESEEDS -> "every column was re-seeded once (" + continued.size() + " continuations) and the error is "
          + "still above tol";
      case NONE -> "";
    };
  }

  /**
   * {@code first} then {@code next} as one result: next's row 0 (the re-seeded start) becomes iteration
   * first.iterations() + 1 and carries, on top of its own evaluation, the passes of the detection and the line
   * search ({@code seedPasses}).
   */
  private static Result appended(Result first, Result next, long seedPasses) {
    Trace trace = new Trace();
    first.trace().records().forEach(trace::add);
    int offset = first.iterations() + 1;
    for (Trace.Record r : next.trace().records()) {
      long passes = r.iteration() == 0 ? r.passes() + seedPasses : r.passes();
      trace.add(new Trace.Record(r.iteration() + offset, r.loss(), r.gradientNorm(), r.mu(), r.stepNorm(),
          r.distance(), passes, r.wallMs()));
    }
    return new Result(next.estimate(), next.status(), trace, next.passes(), first.seconds() + next.seconds());
  }

  /**
   * How a sub-gradient method turns η_t and the sub-gradient G_t W_t into its step: SubGM's η_t G_t W_t, the scaled
   * method's η_t G_t W_t (W_t^T W_t + λ_t I)^{-1}.
   */
  @FunctionalInterface
  interface StepRule {
    /** The step at iteration t (W_{t+1} = W_t − step), or null when it cannot be taken (DIVERGED). */
    double[] step(int t, double eta, double[] subgradient, double[] w);
  }

  /**
   * The loop both sub-gradient methods share: η_t = η_0 ρ^{t−1} for the step into iteration t (or Polyak's step
   * when f* is given), one pass per iteration, the trace's mu column η_t, {@link Stopping.ErrorOrVanishingStep}.
   */
  static Result iterate(String name, Options options, SensingProblem p, double[] w0, int r, StepRule rule) {
    p.requireShape(w0, r);
    IterationLoop loop = new IterationLoop(name, p::label, p::passes, options.stopping(), p.listener());
    loop.start(p.lossAtZero(), p.hasTruth());
    double[] w = w0.clone();
    SensingProblem.Evaluation e = p.evaluate(w, r);
    double[] subgradient = p.gradient(e, w, r);
    loop.record(new IterationLoop.Row(e.loss(), Linalg.norm(subgradient), Double.NaN, Double.NaN,
        p.relativeError(w, r)), w);
    while (loop.next()) {
      int t = loop.iteration();
      double eta;
      double[] step;
      if (options.polyak()) {
        // η_t = (f − f*) / ⟨∇, P(∇)⟩: the step P(∇) at η = 1 gives the preconditioned norm.
        double[] direction = rule.step(t, 1.0, subgradient, w);
        double norm2 = direction == null ? Double.NaN : Linalg.dot(subgradient, direction);
        eta = norm2 > 0 ? Math.max(0, e.loss() - options.fstar()) / norm2 : 0;
        step = direction == null ? null : Linalg.scaled(eta, direction);
      } else {
        eta = options.eta0() * Math.pow(options.rho(), t - 1);
        step = rule.step(t, eta, subgradient, w);
      }
      if (step == null) {
        loop.stop(Status.DIVERGED);
        break;
      }
      double stepNorm = Linalg.norm(step) / Math.max(Linalg.norm(w), Double.MIN_NORMAL);
      w = Linalg.minus(w, step);
      e = p.evaluate(w, r);
      subgradient = p.gradient(e, w, r);
      loop.record(new IterationLoop.Row(e.loss(), Linalg.norm(subgradient), eta, stepNorm, p.relativeError(w, r)), w);
    }
    return loop.result(w);
  }
}
