package io.lowrank.solve.landscape;

import io.lowrank.data.Seeds;
import io.lowrank.linalg.Linalg;
import io.lowrank.solve.IterationLoop;
import io.lowrank.solve.Trace;
import java.util.SplittableRandom;

/**
 * The saddle test at the padded truth: min over ‖Z‖_F = 1, Z ∈ R^{d×(k−r)}, of the ℓ1 loss's curvature along
 * [0, Z],
 * <pre>
 *   h(Z) = (1/m) [ Σ_clean |⟨A_i, Z Z^T⟩| − Σ_corrupted sign(s_i) ⟨A_i, Z Z^T⟩ ].
 * </pre>
 * <b>Why h is what it is.</b> Let f(W) = (1/m) Σ_i |⟨A_i, W W^T⟩ − y_i| with y_i = ⟨A_i, M*⟩ + s_i (s_i = 0 on the
 * clean rows), W* = [W_r*, 0] ∈ R^{d×k} and V = [0, Z]. The columns of W* and V do not overlap, so W* V^T = 0 and
 * (W* + γV)(W* + γV)^T = M* + γ² Z Z^T: the residual of row i is r_i* + γ² t_i with r_i* = −s_i and
 * t_i = ⟨A_i, Z Z^T⟩. A clean row contributes |γ² t_i| = γ² |t_i|; a corrupted one |−s_i + γ² t_i| − |s_i| =
 * −sign(s_i) γ² t_i as long as γ² |t_i| ≤ |s_i|. Hence f(W* + γV) − f(W*) = γ² h(Z) exactly for
 * γ² ≤ min_corrupted |s_i|/|t_i|, with no first-order term: the clean rows' |·| is a kink, not a slope. h(cZ) = c² h(Z),
 * so the sphere is the natural domain, and min h &lt; 0 exhibits a direction of quadratic decrease (negative
 * curvature) at W*: with W* stationary, W* is a strict saddle. h is the Clarke second-order quantity of the paper
 * (Ma &amp; Fattahi, arXiv 2302.10963); with k − r ≥ d its minimum is that of a convex problem over
 * {S ⪰ 0, tr S = 1} (h is convex in S = Z Z^T), below that a rank-constrained one, hence the several starts.
 *
 * <p><b>Method.</b> Riemannian gradient descent on the sphere (retraction Z ← (Z − α g)/‖Z − α g‖_F, g the tangent part
 * of ∇h_μ) on the smoothed h_μ (|t| → √(t² + μ²) − μ on the clean rows), Armijo backtracking with a Barzilai–Borwein
 * first trial, and continuation: μ starts at half the mean clean |t| and is divided by 4 at the end of each stage (a
 * small gradient or {@code stageIterations} steps) down to 1e-6 of it. Every evaluation (value and gradient) is one
 * call of the oracle, one pass; the exact h of every evaluated Z is kept and the best one is the result, so the
 * reported min h is the value of a Z actually found (an upper bound of the true minimum: a negative value is a
 * certificate, a non-negative one is "no descent direction found").
 */
public final class SaddleProbe {
  private static final double ARMIJO = 1e-4;
  private static final int MAX_HALVINGS = 40;
  private static final double MU_START = 0.5;
  private static final double MU_END = 1e-6;
  private static final double MU_DECAY = 4;

  /**
   * @param starts random starts (each a Gaussian Z normalised, from the seed and the start's index)
   * @param evaluationsPerStart the budget of evaluations (passes) of each start
   * @param stageIterations steps per smoothing level μ
   * @param seed the seed of the starts
   */
  public record Options(int starts, int evaluationsPerStart, int stageIterations, long seed) {
    public Options {
      if (starts < 1) {
        throw new IllegalArgumentException("landscape.starts must be >= 1, got " + starts);
      }
      if (evaluationsPerStart < 2) {
        throw new IllegalArgumentException("landscape.max-passes must be >= 2, got " + evaluationsPerStart);
      }
      if (stageIterations < 1) {
        throw new IllegalArgumentException("landscape.stage-iterations must be >= 1, got " + stageIterations);
      }
    }
  }

  /**
   * What the test found.
   *
   * @param minH the smallest h(Z) over every evaluated Z
   * @param normalised minH / ((1/m) Σ |⟨A_i, Z Z^T⟩|) at that Z, in [−1, 1]: scale-free
   * @param z the minimiser, d×c column-major, ‖Z‖_F = 1
   * @param quadraticRadius γ_q at the minimiser (the curve is exactly γ² h(Z) up to it)
   * @param perStart the best h of each start
   * @param evaluations evaluations (passes) used
   */
  public record Result(double minH, double normalised, double[] z, int c, double quadraticRadius, double[] perStart,
      long evaluations) {}

  private final Options options;
  private final IterationLoop.Listener listener;

  public SaddleProbe(Options options) {
    this(options, IterationLoop.Listener.NONE);
  }

  /**
   * As {@link #SaddleProbe(Options)}, telling {@code listener} each accepted step as a trace row of the solver
   * "saddle-test start s" (iteration: the step; loss: h at the new Z; gradient norm: the tangent ∇h_μ's; μ; step:
   * ‖Z_t − Z_{t−1}‖_F; passes since the previous row; wall ms), as the solvers' loops tell a run's progress.
   */
  public SaddleProbe(Options options, IterationLoop.Listener listener) {
    this.options = options;
    this.listener = listener;
  }

  /** min h over the unit sphere of R^{d×c} (c ≥ 1). */
  public Result minimise(CurvatureOracle oracle, int c) {
    if (c < 1) {
      throw new IllegalArgumentException("the saddle test needs k > r (Z has k − r >= 1 columns), got " + c);
    }
    int d = oracle.rows();
    Best best = new Best();
    double[] perStart = new double[options.starts()];
    long evaluations = 0;
    for (int s = 0; s < options.starts(); s++) {
      Best mine = new Best();
      evaluations += descend(oracle, start(d, c, s), mine, "saddle-test start " + (s + 1));
      perStart[s] = mine.h;
      best.offer(mine);
    }
    double normalised = best.scale > 0 ? best.h / best.scale : 0.0;
    return new Result(best.h, normalised, best.z, c, best.radius, perStart, evaluations);
  }

  /** A Gaussian d×c matrix of unit Frobenius norm from (seed, start). */
  private double[] start(int d, int c, int s) {
    SplittableRandom rng = Seeds.stream(options.seed(), s);
    double[] z = new double[d * c];
    for (int i = 0; i < z.length; i++) {
      z[i] = rng.nextGaussian();
    }
    Linalg.scale(1.0 / Linalg.norm(z), z);
    return z;
  }

  /** One start's continuation, its steps told to the listener as {@code name}'s rows; returns the evaluations used. */
  private long descend(CurvatureOracle oracle, double[] z, Best best, String name) {
    int budget = options.evaluationsPerStart();
    int steps = 0;
    long told = 0;
    long toldAt = System.nanoTime();
    CurvatureOracle.Evaluation e = oracle.evaluate(z, 0);
    long used = 1;
    best.offer(e, z);
    double mu0 = MU_START * e.meanCleanAbs();
    double muEnd = MU_END * e.meanCleanAbs();
    if (!(mu0 > 0)) {
      return used; // no clean row sees Z: h is linear on the sphere's points evaluated, nothing to smooth
    }
    double mu = mu0;
    e = oracle.evaluate(z, mu);
    used++;
    best.offer(e, z);
    double[] g = tangent(e.gradient(), z);
    double alpha = 0.1 / Math.max(Linalg.norm(g), Double.MIN_NORMAL);
    int inStage = 0;
    while (used < budget) {
      double gn = Linalg.norm(g);
      boolean stageDone = inStage >= options.stageIterations() || gn <= 1e-12 * Math.max(e.scale(), 1e-300);
      if (stageDone) {
        if (mu <= muEnd) {
          break;
        }
        mu = Math.max(mu / MU_DECAY, muEnd);
        e = oracle.evaluate(z, mu);
        used++;
        best.offer(e, z);
        g = tangent(e.gradient(), z);
        inStage = 0;
        continue;
      }
      double[] zt = null;
      CurvatureOracle.Evaluation et = null;
      boolean accepted = false;
      for (int halving = 0; halving < MAX_HALVINGS && used < budget; halving++) {
        zt = retract(z, g, alpha);
        et = oracle.evaluate(zt, mu);
        used++;
        best.offer(et, zt);
        if (et.smoothed() <= e.smoothed() - ARMIJO * alpha * gn * gn) {
          accepted = true;
          break;
        }
        alpha /= 2;
      }
      if (!accepted) {
        inStage = options.stageIterations(); // no progress at this μ: go to the next level (or stop)
        continue;
      }
      double[] gt = tangent(et.gradient(), zt);
      // Barzilai–Borwein: α = ⟨s, s⟩ / ⟨s, y⟩ with s the step and y the change of the tangent gradient.
      double[] step = Linalg.minus(zt, z);
      long now = System.nanoTime();
      listener.iteration(name, new Trace.Record(++steps, et.h(), Linalg.norm(gt), mu, Linalg.norm(step), Double.NaN,
          used - told, (now - toldAt) / 1_000_000));
      told = used;
      toldAt = now;
      double[] change = Linalg.minus(gt, g);
      double sy = Linalg.dot(step, change);
      alpha = sy > 0 ? Linalg.dot(step, step) / sy : 2 * alpha;
      z = zt;
      e = et;
      g = gt;
      inStage++;
    }
    return used;
  }

  /** The tangent part of a Euclidean gradient at a point of the sphere: ∇ − ⟨∇, Z⟩ Z. */
  static double[] tangent(double[] grad, double[] z) {
    double[] g = grad.clone();
    Linalg.axpy(-Linalg.dot(grad, z), z, g);
    return g;
  }

  private static double[] retract(double[] z, double[] g, double alpha) {
    double[] t = z.clone();
    Linalg.axpy(-alpha, g, t);
    Linalg.scale(1.0 / Linalg.norm(t), t);
    return t;
  }

  /** The smallest exact h seen, with its Z. */
  private static final class Best {
    double h = Double.POSITIVE_INFINITY;
    double scale = Double.NaN;
    double radius = Double.NaN;
    double[] z;

    void offer(CurvatureOracle.Evaluation e, double[] at) {
      if (e.h() < h) {
        h = e.h();
        scale = e.scale();
        radius = e.quadraticRadius();
        z = at.clone();
      }
    }

    void offer(Best other) {
      if (other.h < h) {
        h = other.h;
        scale = other.scale;
        radius = other.radius;
        z = other.z;
      }
    }
  }
}
