package io.lowrank.solve.escape;

import io.lowrank.linalg.Linalg;
import io.lowrank.linalg.SymmetricEigen;
import io.lowrank.model.escape.FactorPair;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * One escape from a stalled point X̂ (n×r) of h(X) = ½‖A(X X^T) − b‖² (the SOD paper's Algorithm, simulated):
 * <ol>
 *   <li>G = A*A(X̂X̂^T − M*) and its most negative eigenpair (λ_n, u_n) by {@link Lanczos}, one pass per G v;</li>
 *   <li>the smallest singular triplet (σ_r, v_r, q_r) of X̂ on the driver (from the r×r X̂^T X̂);</li>
 *   <li>one pass for δ_p (K random rank-p matrices U D U^T, max_k |‖A(M_k)‖²/‖M_k‖_F² − 1|, a lower bound of the
 *       restricted isometry constant) and daa = Σ_i ⟨A_i, u v^T + v u^T⟩⟨A_i, u u^T⟩ together;
 *       EFS = −λ_n/(σ_r²(1+δ)) + daa²/(2(1+δ)²);</li>
 *   <li>one pass for c = A*A(u_n v_r^T + v_r u_n^T) X̂;</li>
 *   <li>one pass for the lifted objective F at t = 0, after the ρb step and on a grid of t up to T, for both signs
 *       of u_n (for odd l, flipping u_n flips b^{⊗l} and c^{⊗l}, i.e. the signs of β̃, γ̃: both are grid points);
 *       the sign kept is the one whose ρb step does not raise F;</li>
 *   <li>the collapse of the dominant term (γ̃ c^{⊗l} or β̃ b^{⊗l}, compared as |coefficient|·‖factor‖_F^l in logs)
 *       to the matrix point (real l-th root of the coefficient)·factor, gated (only when F(T) &lt; F(0)) or not.</li>
 * </ol>
 * So an escape costs 1 + (Lanczos steps) + 3 passes whatever T is. What the collapsed point depends on: only the
 * direction of c (or b) and the scale |γ̃(T)|^{1/l}; T, η, ρ and σ_r enter only through that scale, and the
 * automatic T fixes it at |γ̃(T)|^{1/l}‖c‖_F = θ^{1/l}‖X̂‖_F.
 */
public final class SodEscape {
  /** σ_r ≤ this·σ_1 (or ‖X̂‖_F): X̂ is rank deficient (r > 1 only: for r = 1, σ_1 = ‖X̂‖ > 0). */
  static final double RANK_DEFICIENT = 1e-8;

  private final EscapeProblem problem;
  private final EscapeOptions options;

  public SodEscape(EscapeProblem problem, EscapeOptions options) {
    this.problem = problem;
    this.options = options;
  }

  /**
   * What the escape finds at X̂ before choosing a move.
   *
   * @param at h and ∇h at X̂
   * @param eigen (λ_n, u_n) of G
   * @param sigma σ_r
   * @param left v_r (n)
   * @param right q_r (r)
   * @param delta δ_p used
   * @param daa the certificate's cross term
   * @param efs the escape feasibility score
   * @param c A*A(u v^T + v u^T) X̂ (n×r), for the sign of u_n as Lanczos returned it
   * @param stages the wall time of the analysis' stages (gradient pass, Lanczos, δ pass, c pass)
   */
  public record Stall(EscapeProblem.Point at, Lanczos.Eigenpair eigen, double sigma, double[] left, double[] right,
      double delta, double daa, double efs, double[] c, EscapeEvent.Stages stages) {
    public double lambda() {
      return eigen.value();
    }

    /** b = u q_r^T (n×r). */
    public double[] b(int n, int r) {
      double[] b = new double[n * r];
      for (int k = 0; k < r; k++) {
        for (int i = 0; i < n; i++) {
          b[i + k * n] = eigen.vector()[i] * right[k];
        }
      }
      return b;
    }
  }

  /** A proposed next point and the event that records it (lossAfter still NaN). */
  public record Move(double[] next, EscapeEvent event) {}

  /**
   * Steps 1–4 at X̂ (the gradient pass, Lanczos, δ and daa, c).
   *
   * @throws IllegalArgumentException when X̂ is not a stall (‖∇h‖_F above escape.max-gradient)
   */
  public Stall analyze(double[] x, int r, SplittableRandom rng) {
    int n = problem.n();
    if (r < 1 || r > n) {
      throw new IllegalArgumentException("the rank r must be in [1, n = " + n + "], got " + r);
    }
    long t0 = System.nanoTime();
    EscapeProblem.Point at = problem.evaluate(x, r);
    double gradientSeconds = since(t0);
    if (!(at.gradientNorm() <= options.maxGradient())) {
      throw new IllegalArgumentException(String.format(Locale.ROOT, "the escape starts at a point that is not a stall: "
          + "||grad h||_F = %.4g > escape.max-gradient = %.4g (run more gradient steps, escape.gd.steps, or raise "
          + "escape.max-gradient)", at.gradientNorm(), options.maxGradient()));
    }
    long t1 = System.nanoTime();
    Lanczos.Eigenpair eigen = Lanczos.smallest(v -> problem.gTimes(x, r, v, 1), n, options.lanczosSteps(),
        options.lanczosTol(), rng);
    double lanczosSeconds = since(t1);
    // The smallest singular triplet of X̂ from X̂^T X̂ = Q Σ² Q^T (r×r): σ_r, q_r, v_r = X̂ q_r / σ_r.
    double[] xtx = new double[r * r];
    Linalg.gemm(true, false, r, r, n, 1.0, x, x, 0.0, xtx);
    SymmetricEigen small = SymmetricEigen.of(xtx, r);
    double sigma = Math.sqrt(Math.max(0, small.value(0)));
    double sigmaMax = Math.sqrt(Math.max(0, small.value(r - 1)));
    if (!(sigmaMax > 0)) {
      throw new IllegalArgumentException("the stalled point X-hat is zero: no escape direction; start from a nonzero "
          + "point (escape.init > 0)");
    }
    double[] q = small.vector(0);
    double[] u = eigen.vector();
    double[] v = new double[n];
    if (sigma > RANK_DEFICIENT * sigmaMax) {
      Linalg.gemm(false, false, n, 1, r, 1.0 / sigma, x, q, 0.0, v);
    } else {
      // X̂ q_r = 0 (r > 1 only): no left singular vector; u_n stands for it (c and daa then use u_n twice), and the
      // collapse adds the β-term to X̂ instead of replacing it (see sod).
      sigma = Math.max(sigma, Double.MIN_NORMAL);
      System.arraycopy(u, 0, v, 0, n);
    }

    // δ_p and daa in one pass: K random U D U^T, then u v^T (symmetric part, doubled below) and u u^T.
    long t2 = System.nanoTime();
    int p = options.deltaRank() > 0 ? Math.min(options.deltaRank(), n) : Math.min(2 * r, n);
    boolean estimate = Double.isNaN(options.delta());
    int k = estimate ? options.deltaSamples() : 0;
    List<FactorPair> mats = new ArrayList<>(k + 2);
    double[] norms = new double[k];
    for (int s = 0; s < k; s++) {
      double[] uf = new double[n * p];
      double[] ud = new double[n * p];
      for (int j = 0; j < p; j++) {
        double dj = rng.nextGaussian();
        for (int i = 0; i < n; i++) {
          double g = rng.nextGaussian();
          uf[i + j * n] = g;
          ud[i + j * n] = g * dj;
        }
      }
      FactorPair m = new FactorPair(ud, uf, p);
      norms[s] = m.frobeniusSquared(n, n);
      mats.add(m);
    }
    mats.add(new FactorPair(u, v, 1));
    mats.add(FactorPair.gram(u, 1));
    int[] pairs = new int[2 * (k + 1)];
    for (int s = 0; s < k; s++) {
      pairs[2 * s] = s;
      pairs[2 * s + 1] = s;
    }
    pairs[2 * k] = k;
    pairs[2 * k + 1] = k + 1;
    double[] sums = problem.measurementProducts(mats, pairs);
    double delta = estimate ? 0 : options.delta();
    for (int s = 0; s < k; s++) {
      delta = Math.max(delta, Math.abs(sums[s] / norms[s] - 1));
    }
    // ⟨A_i, u v^T + v u^T⟩ = 2⟨A_i, sym(u v^T)⟩ for symmetric A_i.
    double daa = 2 * sums[k];
    double efs = -eigen.value() / (sigma * sigma * (1 + delta)) + daa * daa / (2 * (1 + delta) * (1 + delta));
    double deltaSeconds = since(t2);
    long t3 = System.nanoTime();
    double[] c = problem.normalTimes(Linalg.scaled(2, u), v, 1, x, r);
    return new Stall(at, eigen, sigma, v, q, delta, daa, efs, c,
        EscapeEvent.Stages.analysis(gradientSeconds, lanczosSeconds, deltaSeconds, since(t3)));
  }

  /** Step 5–6: the simulated lifted descent, its objective on the grid, and the (gated) collapse. */
  public Move sod(double[] x, int r, Stall st, int index, long step, long passesBefore, long startNanos) {
    int n = problem.n();
    int l = options.power();
    LiftedDynamics dyn = new LiftedDynamics(st.lambda(), st.sigma, l, options.rho(), options.eta());
    double[] b = st.b(n, r);
    double logA = Math.log(Linalg.norm(x));
    double logB = Math.log(Linalg.norm(b));
    double logC = Math.log(Linalg.norm(st.c));
    long auto = dyn.stepsFor(Math.log(options.overtake()) + l * (logA - logC),
        Math.log(options.overtake()) + l * (logA - logB), options.maxSteps());
    long fixed = options.steps() > 0 ? options.steps() : auto;
    boolean best = options.steps() < 0;
    int g = options.grid();
    double[] ts = best ? bestGrid(dyn, logA, logB, logC, g) : pathGrid(fixed, g);
    double[][] w = new double[1 + 2 * (1 + g)][];
    w[0] = new double[] {1, 0, 0};
    for (int s = 0; s < 2; s++) {
      double sg = s == 0 ? 1 : -1;
      w[1 + s * (1 + g)] = new double[] {1, sg * options.rho(), 0};
      for (int i = 0; i < g; i++) {
        w[2 + s * (1 + g) + i] = new double[] {1, sg * dyn.beta(ts[i]), sg * dyn.gamma(ts[i])};
      }
    }
    long t0 = System.nanoTime();
    double[] f = problem.lifted(List.of(x, b, st.c), r, l, w);
    double liftedSeconds = since(t0);
    long t1 = System.nanoTime();
    double f0 = f[0];
    // Keep the sign whose ρb step does not raise F (the smaller F after it if both or neither do).
    int chosen = f[1] <= f[1 + (1 + g)] ? 0 : 1;
    int sign = chosen == 0 ? 1 : -1;
    double fRho = f[1 + chosen * (1 + g)];
    double[] gridF = new double[g];
    System.arraycopy(f, 2 + chosen * (1 + g), gridF, 0, g);
    int at = g - 1;
    if (best) {
      // T = the grid's argmin of F (the lifted objective along the simulated path, measured, not extrapolated).
      at = 0;
      for (int i = 1; i < g; i++) {
        if (gridF[i] < gridF[at] || !Double.isFinite(gridF[at])) {
          at = i;
        }
      }
    }
    long t = (long) ts[at];
    double fT = gridF[at];
    // A non-finite lifted objective (l-th powers beyond the doubles) is never accepted, gate or not.
    boolean accepted = Double.isFinite(fT) && (!options.gated() || fT < f0);
    double logBetaTerm = dyn.logBeta(t) + l * logB;
    double logGammaTerm = dyn.logAbsGamma(t) + l * logC;
    String term = logGammaTerm >= logBetaTerm ? "gamma" : "beta";
    double[] next;
    if (term.equals("gamma")) {
      // The real l-th root of γ̃ (negative): −|γ̃|^{1/l}, times the sign-adjusted c.
      next = Linalg.scaled(-sign * Math.exp(dyn.logAbsGamma(t) / l), st.c);
    } else {
      next = Linalg.scaled(sign * Math.exp(dyn.logBeta(t) / l), b);
      if (rankDeficient(x, r, st)) {
        // A rank-deficient X̂ (r > 1): X̂ q_r = 0, so X̂ + s u q_r^T only fills the empty direction, along which h
        // itself has curvature λ_n < 0; replacing X̂ by a rank-one point would lose its other r − 1 columns for good
        // (gradient descent keeps the range of a rank-one X).
        Linalg.axpy(1.0, x, next);
      }
    }
    double jump = Linalg.norm(Linalg.minus(next, x));
    EscapeEvent.Stages stages = st.stages().withMove(liftedSeconds, since(t1));
    EscapeEvent e = new EscapeEvent(index, Method.SOD, step, st.at.loss(), st.at.gradientNorm(),
        problem.distance(x, r), st.lambda(), st.eigen.steps(), st.sigma, st.delta, st.daa, st.efs, sign, t,
        dyn.beta(t), dyn.logAbsGamma(t), f0, fRho, fT, term, accepted, accepted ? jump : 0, Double.NaN,
        problem.passes() - passesBefore, (System.nanoTime() - startNanos) / 1e9, stages, ts, gridF);
    return new Move(accepted ? next : x.clone(), e);
  }

  /** σ_r below {@link #RANK_DEFICIENT}·‖X̂‖_F (r > 1): the analysis' rank-deficient case. */
  private static boolean rankDeficient(double[] x, int r, Stall st) {
    return r > 1 && st.sigma() <= RANK_DEFICIENT * Linalg.norm(x);
  }

  /** t grid of a fixed T: geometric from 1 to T (T last; all 0 when T = 0). */
  static double[] pathGrid(long t, int g) {
    double[] ts = new double[g];
    for (int i = 0; i < g; i++) {
      ts[i] = t == 0 ? 0 : Math.max(1, Math.round(Math.exp(Math.log(t) * (i + 1) / g)));
    }
    ts[g - 1] = t;
    return ts;
  }

  /**
   * t grid of the {@code best} rule: t = 0 (the ρb step alone), then the T at which the dominant term overtakes the
   * a-term by θ_i = θ·2^{l·s_i}, s_i evenly spaced in [−1, 1] — so the collapsed scale |coefficient|^{1/l}·‖factor‖
   * spans ½…2 times θ^{1/l}‖X̂‖_F whatever the growth rate of β̃ and γ̃ (each T by {@link LiftedDynamics#stepsFor}).
   */
  double[] bestGrid(LiftedDynamics dyn, double logA, double logB, double logC, int g) {
    int l = options.power();
    double[] ts = new double[g];
    for (int i = 1; i < g; i++) {
      double s = g == 2 ? 0 : -1 + 2.0 * (i - 1) / (g - 2);
      double logTheta = Math.log(options.overtake()) + s * l * Math.log(2);
      ts[i] = dyn.stepsFor(logTheta + l * (logA - logC), logTheta + l * (logA - logB), options.maxSteps());
    }
    return ts;
  }

  /**
   * The line-search variant: X̂ ± s D for D ∈ {u q^T, c} normalised, s = ‖X̂‖_F·10^{from…to} on a log grid, all in one
   * pass (the lifted kernel with l = 1 gives 2h at every point); accepted when the best point lowers h.
   */
  public Move lineSearch(double[] x, int r, Stall st, int index, long step, long passesBefore, long startNanos) {
    double[] d1 = st.b(problem.n(), r);
    Linalg.scale(1 / Linalg.norm(d1), d1);
    double[] d2 = Linalg.scaled(1 / Linalg.norm(st.c), st.c);
    int k = options.lineSteps();
    double scale = Linalg.norm(x);
    double[] steps = new double[k];
    for (int i = 0; i < k; i++) {
      double e = k == 1 ? options.lineTo()
          : options.lineFrom() + (options.lineTo() - options.lineFrom()) * i / (k - 1);
      steps[i] = scale * Math.pow(10, e);
    }
    double[][] w = new double[1 + 4 * k][];
    w[0] = new double[] {1, 0, 0};
    for (int i = 0; i < k; i++) {
      w[1 + 4 * i] = new double[] {1, steps[i], 0};
      w[2 + 4 * i] = new double[] {1, -steps[i], 0};
      w[3 + 4 * i] = new double[] {1, 0, steps[i]};
      w[4 + 4 * i] = new double[] {1, 0, -steps[i]};
    }
    long t0 = System.nanoTime();
    double[] f = problem.lifted(List.of(x, d1, d2), r, 1, w);
    double liftedSeconds = since(t0);
    long t1 = System.nanoTime();
    int best = 0;
    for (int j = 1; j < f.length; j++) {
      if (f[j] < f[best]) {
        best = j;
      }
    }
    boolean accepted = best > 0 && f[best] < f[0] * (1 - 1e-12);
    double[] next = x.clone();
    int dir = best > 0 ? (best - 1) % 4 : 0;
    if (accepted) {
      double s = steps[(best - 1) / 4] * (dir % 2 == 0 ? 1 : -1);
      Linalg.axpy(s, dir < 2 ? d1 : d2, next);
    }
    double[] along = new double[k];
    for (int i = 0; i < k; i++) {
      along[i] = f[1 + 4 * i + dir] / 2;
    }
    EscapeEvent e = new EscapeEvent(index, Method.LINE_SEARCH, step, st.at.loss(), st.at.gradientNorm(),
        problem.distance(x, r), st.lambda(), st.eigen.steps(), st.sigma, st.delta, st.daa, st.efs, 1, 0, Double.NaN,
        Double.NaN, Double.NaN, Double.NaN, Double.NaN, "line", accepted,
        Linalg.norm(Linalg.minus(next, x)), Double.NaN, problem.passes() - passesBefore,
        (System.nanoTime() - startNanos) / 1e9, st.stages().withMove(liftedSeconds, since(t1)), steps, along);
    return new Move(next, e);
  }

  /** The event of a stall without negative curvature (λ_n ≥ −min-curvature): no move. */
  public EscapeEvent none(double[] x, int r, Stall st, int index, long step, long passesBefore, long startNanos) {
    return new EscapeEvent(index, Method.NONE, step, st.at.loss(), st.at.gradientNorm(), problem.distance(x, r),
        st.lambda(), st.eigen.steps(), st.sigma, st.delta, st.daa, st.efs, 1, 0, Double.NaN, Double.NaN, Double.NaN,
        Double.NaN, Double.NaN, "none", false, 0, Double.NaN, problem.passes() - passesBefore,
        (System.nanoTime() - startNanos) / 1e9, st.stages(), new double[0], new double[0]);
  }

  /** The random-perturbation baseline: X̂ + ‖SOD jump‖_F · Z/‖Z‖_F, Z Gaussian (the SOD move is computed, not taken). */
  public Move randomPerturbation(double[] x, int r, Stall st, int index, long step, long passesBefore,
      long startNanos, SplittableRandom rng) {
    Move sod = sod(x, r, st, index, step, passesBefore, startNanos);
    long t1 = System.nanoTime();
    double jump = Linalg.norm(Linalg.minus(sod.next(), x));
    if (jump == 0) {
      jump = Linalg.norm(x);
    }
    double[] z = gaussian(x.length, rng);
    double[] next = x.clone();
    Linalg.axpy(jump / Linalg.norm(z), z, next);
    EscapeEvent s = sod.event();
    EscapeEvent e = new EscapeEvent(index, Method.RANDOM, step, s.loss(), s.gradientNorm(), s.distance(), s.lambda(),
        s.lanczosSteps(), s.sigma(), s.delta(), s.daa(), s.efs(), s.sign(), s.liftedSteps(), s.beta(),
        s.logAbsGamma(), s.lifted0(), s.liftedRho(), s.liftedT(), "random", true, jump, Double.NaN,
        problem.passes() - passesBefore, (System.nanoTime() - startNanos) / 1e9,
        s.stages().withMove(s.stages().lifted(), s.stages().collapse() + since(t1)), s.gridT(), s.gridF());
    return new Move(next, e);
  }

  /** The restart baseline: a new start initScale·N(0, 1) entries (the stall's analysis recorded). */
  public Move restart(double[] x, int r, Stall st, int index, long step, long passesBefore, long startNanos,
      double initScale, SplittableRandom rng) {
    long t1 = System.nanoTime();
    double[] next = Linalg.scaled(initScale, gaussian(x.length, rng));
    EscapeEvent e = new EscapeEvent(index, Method.RESTART, step, st.at.loss(), st.at.gradientNorm(),
        problem.distance(x, r), st.lambda(), st.eigen.steps(), st.sigma, st.delta, st.daa, st.efs, 1, 0, Double.NaN,
        Double.NaN, Double.NaN, Double.NaN, Double.NaN, "restart", true, Linalg.norm(Linalg.minus(next, x)),
        Double.NaN, problem.passes() - passesBefore, (System.nanoTime() - startNanos) / 1e9,
        st.stages().withMove(Double.NaN, since(t1)), new double[0], new double[0]);
    return new Move(next, e);
  }

  private static double since(long nanos) {
    return (System.nanoTime() - nanos) / 1e9;
  }

  /** n×r standard Gaussians. */
  static double[] gaussian(int length, SplittableRandom rng) {
    double[] z = new double[length];
    for (int i = 0; i < length; i++) {
      z[i] = rng.nextGaussian();
    }
    return z;
  }
}
