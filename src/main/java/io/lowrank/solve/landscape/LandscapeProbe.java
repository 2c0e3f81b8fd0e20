package io.lowrank.solve.landscape;

import io.lowrank.engine.Engine;
import io.lowrank.linalg.Linalg;
import io.lowrank.model.Loss;
import io.lowrank.model.factor.FactorKernel;
import io.lowrank.model.factor.FactorOperator;
import io.lowrank.model.factor.FactorStats;
import io.lowrank.model.landscape.TruthScaleKernel;
import io.lowrank.model.landscape.TruthSubgradientKernel;
import io.lowrank.solve.IterationLoop;
import java.util.List;

/**
 * The landscape probes at the padded truth W* = [W_r*, 0] of data y_i = ⟨A_i, M*⟩ + s_i whose truth M* = W_r* W_r*^T
 * is known, for the loss f(W) = (1/m) Σ ρ(⟨A_i, W W^T⟩ − y_i) in the operator's units:
 * <ol>
 *   <li>{@link #setUp}: two passes at the truth. The first finds max |⟨A_i, M*⟩|; the second reads the corrupted rows
 *       off the residuals r_i* = ⟨A_i, M*⟩ − y_i = −s_i (|r_i*| &gt; τ = corruption-tol · max |⟨A_i, M*⟩|, so only
 *       rounding passes as clean), and the stationarity of W*: for ℓ1 (Clarke subdifferential of a convex function of
 *       a smooth map, exact chain rule)
 *       <pre>
 *         ∂f(W*) = { (2/m) Σ_i ξ_i A_i^sym W*  :  ξ_i = sign(r_i*) on corrupted rows, ξ_i ∈ [−1, 1] on clean ones },
 *       </pre>
 *       whose W_r block is g + B s (g = (2/m) Σ_corrupted sign(r_i*) A_i^sym W_r*, column i of B = (2/m) A_i^sym W_r*
 *       for the clean rows) and whose zero-column block is 0; so dist(0, ∂f(W*)) = min over s ∈ [−1, 1]^{clean} of
 *       ‖g + B s‖, solved on the driver ({@link BoundedLeastSquares}; B is collected in the pass, so this is for
 *       instances of up to max-driver-values clean-row values). For a smooth loss, ‖∇f(W*)‖ = ‖(2/m) Σ ψ(r_i*) A_i^sym
 *       W_r*‖. Either is judged relative to the same sum with |ξ_i| (|ψ|): scale-free, in [0, 1] for ℓ1.</li>
 *   <li>{@link #probe}: for a search rank k, the saddle test ({@link SaddleProbe}, ℓ1, k &gt; r), the verdict
 *       ({@link Verdict}) and the curve f(W* + γ[0, Z]) − f(W*) over a γ grid at the minimiser (one pass per γ).</li>
 * </ol>
 * The set-up does not depend on k (the padded columns are zero), so a diagram over k reuses it.
 */
public final class LandscapeProbe {
  private static final TruthScaleKernel SCALE = new TruthScaleKernel();
  private static final TruthSubgradientKernel SUBGRADIENT = new TruthSubgradientKernel();
  private static final FactorKernel LOSS = new FactorKernel();

  /**
   * @param corruptionTol τ / max |⟨A_i, M*⟩|: a residual at the truth above it marks a corrupted row
   * @param stationarityTol tol_s: stationary when dist(0, ∂f) (or ‖∇f‖) ≤ tol_s · its scale
   * @param curvatureTol tol_h: negative curvature when min h ≤ −tol_h · (1/m) Σ |⟨A_i, Z Z^T⟩|
   * @param saddle the saddle test's starts, budget and seed
   * @param qpMaxIter iterations of the bounded least squares
   * @param maxDriverValues the most clean-row values (clean rows × d·r) collected on the driver for ℓ1 stationarity
   * @param gammaPoints points of the γ grid (≥ 2, γ = 0 included)
   * @param gammaMax the grid's last γ, or NaN for 3 γ_q (γ_q the exact-quadratic radius; ‖W_r*‖_F without outliers)
   */
  public record Options(double corruptionTol, double stationarityTol, double curvatureTol, SaddleProbe.Options saddle,
      int qpMaxIter, long maxDriverValues, int gammaPoints, double gammaMax) {
    public Options {
      if (!(corruptionTol > 0 && corruptionTol < 1)) {
        throw new IllegalArgumentException("landscape.corruption-tol must be in (0, 1), got " + corruptionTol);
      }
      if (!(stationarityTol > 0 && stationarityTol < 1)) {
        throw new IllegalArgumentException("landscape.stationarity-tol must be in (0, 1), got " + stationarityTol);
      }
      if (!(curvatureTol >= 0 && curvatureTol < 1)) {
        throw new IllegalArgumentException("landscape.curvature-tol must be in [0, 1), got " + curvatureTol);
      }
      if (qpMaxIter < 1) {
        throw new IllegalArgumentException("landscape.qp-max-iter must be >= 1, got " + qpMaxIter);
      }
      if (maxDriverValues < 1) {
        throw new IllegalArgumentException("landscape.max-driver-values must be >= 1, got " + maxDriverValues);
      }
      if (gammaPoints < 2) {
        throw new IllegalArgumentException("landscape.gamma-points must be >= 2, got " + gammaPoints);
      }
      if (!Double.isNaN(gammaMax) && !(gammaMax > 0 && Double.isFinite(gammaMax))) {
        throw new IllegalArgumentException("landscape.gamma-max must be finite and > 0 (or auto), got " + gammaMax);
      }
    }
  }

  /**
   * The instance-level facts at the truth (independent of k).
   *
   * @param w W_r*, d×r column-major
   * @param tau the corruption threshold on |r_i*|
   * @param fStar f(W*) = (1/m) Σ ρ(r_i*)
   * @param stationarity dist(0, ∂f(W*)) (ℓ1) or ‖∇f(W*)‖ (smooth losses), an upper bound
   * @param stationarityLower a certified lower bound of it (= it for smooth losses)
   * @param stationarityScale the scale it is judged against (the same sum with |ξ_i| or |ψ|)
   * @param stationary whether stationarity ≤ tol_s · scale
   * @param method how stationarity was measured
   * @param passes passes of the set-up
   * @param cleanResidualMax the largest |r_i*| read as rounding (≤ τ)
   * @param corruptedResidualMin the smallest |r_i*| read as an outlier (&gt; τ; +∞ when none)
   */
  public record Setup(FactorOperator operator, Loss loss, double[] w, int r, long m, long corrupted, long positive,
      double tau, double fStar, double stationarity, double stationarityLower, double stationarityScale,
      boolean stationary, String method, long passes, double cleanResidualMax, double corruptedResidualMin) {
    /**
     * How many times τ apart the clean and corrupted residuals lie on either side of it: min(τ / largest clean,
     * smallest corrupted / τ). Large (the default τ on a full-precision file: orders of magnitude) when the split does
     * not depend on the tolerance; near 1 when residuals crowd τ (a file rounded to few digits, dense noise).
     */
    public double separation() {
      double below = cleanResidualMax > 0 ? tau / cleanResidualMax : Double.POSITIVE_INFINITY;
      double above = Double.isFinite(corruptedResidualMin) ? corruptedResidualMin / tau : Double.POSITIVE_INFINITY;
      return Math.min(below, above);
    }

    /** stationarity / scale (0 when the scale is 0: nothing to cancel). */
    public double relativeStationarity() {
      return stationarityScale > 0 ? stationarity / stationarityScale : 0.0;
    }

    /** The corrupted fraction read off the residuals. */
    public double corruptedFraction() {
      return m == 0 ? 0 : (double) corrupted / m;
    }
  }

  /**
   * The probe at one search rank k.
   *
   * @param saddle the saddle test (null when k = r or the loss is smooth)
   * @param negativeCurvature whether min h ≤ −tol_h · scale
   * @param curve f(W* + γ[0, Z]) − f(W*) at the minimiser (null without a saddle test)
   */
  public record Report(Setup setup, int k, SaddleProbe.Result saddle, boolean negativeCurvature, Verdict verdict,
      Curve curve, long passes) {}

  /**
   * @param gamma the grid
   * @param excess f(W* + γ[0, Z]) − f(W*), measured (one pass each)
   * @param predicted γ² h(Z)
   * @param quadraticRadius γ_q (exactly quadratic up to it)
   */
  public record Curve(double[] gamma, double[] excess, double[] predicted, double quadraticRadius) {}

  private LandscapeProbe() {}

  /** The two passes at the truth and the stationarity of W*. */
  public static Setup setUp(Engine engine, FactorOperator op, double[] w, int r, Loss loss, Options o) {
    if (!op.symmetric()) {
      throw new IllegalArgumentException("the landscape probes are for the symmetric model W W^T");
    }
    int d = op.rows();
    if (w.length != d * r) {
      throw new IllegalArgumentException("the truth factor must be " + d + "x" + r + ", got " + w.length + " values");
    }
    long passes0 = engine.passes();
    TruthScaleKernel.Scale scale = engine.pass("landscape: truth scale", new TruthScaleKernel.State(op, w, r), SCALE);
    double tau = o.corruptionTol() * Math.max(scale.maxAbsClean, Double.MIN_NORMAL);
    boolean l1 = loss instanceof Loss.L1;
    long m = scale.rows;
    int q = d * r;
    boolean collect = l1 && scale.maxAbsResidual > tau;
    if (collect && m * (long) q > o.maxDriverValues()) {
      throw new IllegalArgumentException("the l1 stationarity test collects d*r = " + q + " values per clean "
          + "measurement on the driver, up to m*d*r = " + m * (long) q + " > landscape.max-driver-values = "
          + o.maxDriverValues() + ": raise it or probe a smaller instance");
    }
    TruthSubgradientKernel.Subgradient sg = engine.pass("landscape: subgradient at the truth",
        new TruthSubgradientKernel.State(op, w, r, tau, loss, collect), SUBGRADIENT);
    if (2 * sg.corrupted >= m) {
      throw new IllegalArgumentException(sg.corrupted + " of " + m + " residuals at the truth exceed "
          + "landscape.corruption-tol * max|<A_i, M*>| = " + tau + ": at half or more M* is not identifiable (a wrong "
          + "truth? noisy data, or values written with few digits: raise landscape.corruption-tol above their "
          + "rounding)");
    }
    double[] g = op.applyAdjoint(sg.weighted, w, w, r);
    Linalg.scale(2.0 / m, g);
    double[] gAbs = op.applyAdjoint(sg.absWeighted, w, w, r);
    Linalg.scale(2.0 / m, gAbs);
    double gNorm = Linalg.norm(g);
    double scaleNorm = Linalg.norm(gAbs);
    double value;
    double lower;
    String method;
    if (l1) {
      double[] b = cleanMatrix(sg.clean, q, m);
      int n = b.length / q;
      BoundedLeastSquares.Solution sol = BoundedLeastSquares.solve(b, q, n, g, o.stationarityTol() * scaleNorm,
          o.qpMaxIter());
      value = sol.value();
      lower = sol.lowerBound();
      method = "dist(0, subdifferential): bounded least squares over " + n + " clean weights, " + sol.iterations()
          + " FISTA iterations";
    } else {
      value = gNorm;
      lower = gNorm;
      method = "norm of the gradient";
    }
    boolean stationary = value <= o.stationarityTol() * scaleNorm || scaleNorm == 0;
    return new Setup(op, loss, w, r, m, sg.corrupted, sg.positive, tau, sg.sumLoss / m, value, lower, scaleNorm,
        stationary, method, engine.passes() - passes0, sg.cleanResidualMax, sg.corruptedResidualMin);
  }

  /** B = (2/m)[b_i] as a column-major q×n matrix from the pass's chunks of rows. */
  private static double[] cleanMatrix(List<double[]> chunks, int q, long m) {
    int total = 0;
    for (double[] c : chunks) {
      total += c.length;
    }
    double[] b = new double[total];
    int at = 0;
    for (double[] c : chunks) {
      System.arraycopy(c, 0, b, at, c.length);
      at += c.length;
    }
    Linalg.scale(2.0 / m, b);
    return b;
  }

  /** The saddle test at search rank k (ℓ1, k &gt; r), the verdict and the curve. */
  public static Report probe(Engine engine, Setup s, int k, Options o) {
    return probe(engine, s, k, o, IterationLoop.Listener.NONE);
  }

  /** As {@link #probe(Engine, Setup, int, Options)}, the saddle test's steps told to {@code listener}. */
  public static Report probe(Engine engine, Setup s, int k, Options o, IterationLoop.Listener listener) {
    if (k < s.r()) {
      throw new IllegalArgumentException("the search rank k = " + k + " is below the true rank r = " + s.r()
          + ": the padded truth [W_r*, 0] needs k >= r");
    }
    if (k > s.operator().rows()) {
      throw new IllegalArgumentException("the search rank k = " + k + " exceeds d = " + s.operator().rows());
    }
    long passes0 = engine.passes();
    boolean l1 = s.loss() instanceof Loss.L1;
    if (!l1 || k == s.r()) {
      // No padded directions (k = r), or a smooth loss whose verdict is its gradient.
      return new Report(s, k, null, false, Verdict.of(s.stationary(), false), null, engine.passes() - passes0);
    }
    int c = k - s.r();
    PassCurvature oracle = new PassCurvature(engine, s.operator(), s.w(), s.r(), s.tau(), c, "landscape k=" + k);
    SaddleProbe.Result saddle = new SaddleProbe(o.saddle(), listener).minimise(oracle, c);
    boolean negative = saddle.normalised() < -o.curvatureTol();
    Curve curve = curve(engine, s, saddle, o);
    return new Report(s, k, saddle, negative, Verdict.of(s.stationary(), negative), curve, engine.passes() - passes0);
  }

  /** f(W* + γ[0, Z]) − f(W*) on the grid, one ℓ1 loss pass per γ (γ = 0 included: the reference f(W*)). */
  static Curve curve(Engine engine, Setup s, SaddleProbe.Result saddle, Options o) {
    int d = s.operator().rows();
    int r = s.r();
    int c = saddle.c();
    int k = r + c;
    double radius = saddle.quadraticRadius();
    double gammaMax = !Double.isNaN(o.gammaMax()) ? o.gammaMax()
        : Double.isFinite(radius) && radius > 0 ? 3 * radius : Linalg.norm(s.w());
    int n = o.gammaPoints();
    double[] gamma = new double[n];
    double[] excess = new double[n];
    double[] predicted = new double[n];
    double f0 = Double.NaN;
    Loss l1 = new Loss.L1();
    for (int j = 0; j < n; j++) {
      gamma[j] = gammaMax * j / (n - 1);
      double[] wk = new double[d * k];
      System.arraycopy(s.w(), 0, wk, 0, d * r);
      for (int t = 0; t < d * c; t++) {
        wk[d * r + t] = gamma[j] * saddle.z()[t];
      }
      FactorStats st = engine.pass("landscape k=" + k + ": f at gamma " + j, FactorKernel.State.at(s.operator(), l1,
          wk, k), LOSS);
      double f = st.sumLoss / st.rows;
      if (j == 0) {
        f0 = f;
      }
      excess[j] = f - f0;
      predicted[j] = gamma[j] * gamma[j] * saddle.minH();
    }
    return new Curve(gamma, excess, predicted, radius);
  }
}
