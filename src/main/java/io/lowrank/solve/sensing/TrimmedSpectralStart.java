package io.lowrank.solve.sensing;

import io.lowrank.data.Block;
import io.lowrank.linalg.Linalg;
import io.lowrank.linalg.SymmetricEigen;
import io.lowrank.model.Aggregate;
import io.lowrank.model.BlockKernel;
import io.lowrank.model.Loss;
import io.lowrank.model.ResidualHistogram;
import io.lowrank.model.sensing.SensingKernel;
import io.lowrank.model.sensing.SensingStats;

/**
 * The scaled sub-gradient method's start (Tong, Ma &amp; Chi 2020 start from a truncated spectral estimate): a
 * spectral estimate of M* that leaves out the measurements with the largest |y_i|, where gross outliers sit, put to
 * scale by the problem's own loss.
 * <ol>
 *   <li>one pass: the histogram of |y_i| ({@link ResidualHistogram}, deterministic), whose (1 − trim)-quantile is
 *   the threshold τ;</li>
 *   <li>one pass: S_τ = Σ_{|y_i| ≤ τ} y_i A_i (the sensing pass at X = 0 under {@link Loss.Trimmed}); its top-r
 *   eigenpairs (negative eigenvalues clipped to 0) give X̃ = V_r Λ_r^{1/2}. Trimming the largest clean |y_i| too
 *   shrinks S_τ's scale (E S_τ = c M* with c &lt; 1 on Gaussian operators) but not its eigenvectors;</li>
 *   <li>the scale: X_0 = √s X̃ with s minimising the problem's loss along the ray s ↦ f(√s X̃). f(√s X̃) is convex in
 *   s for ℓ1, ℓq, Huber and ℓ2 (a convex loss of a linear function of s), and its derivative is ⟨G, X̃X̃^T⟩ from the
 *   pass at √s X̃, so a bisection on the sign of that derivative (in log s, from s = 1: doubling or halving to a
 *   bracket, then {@value #BISECTIONS} halvings of the bracket: s to about 1%) costs one pass per step, about ten
 *   in all. No assumption on the operator or the outliers' law.</li>
 * </ol>
 */
public final class TrimmedSpectralStart {
  /** Halvings of the (log-)bracket of the scale: a bracket [s, 2s] ends within a factor 2^{1/64} ≈ 1.011. */
  public static final int BISECTIONS = 6;
  /** Doublings (or halvings) of s tried to find the bracket. */
  public static final int MAX_EXPANSIONS = 20;
  /** A column whose eigenvalue is not resolved starts as SMALL_COLUMN·√(λ_1/d)·N(0, 1) per entry. */
  public static final double SMALL_COLUMN = 1e-3;
  private static final long SMALL_STREAM = -13L;

  /**
   * The start and what it came from.
   *
   * @param x0 X_0, d×r column-major
   * @param tau the trimming threshold on |y_i| (in the units of y as given)
   * @param kept the fraction of measurements with |y_i| ≤ τ
   * @param resolved columns started from an eigenpair above S_τ's noise edge (the others start small)
   * @param scale s, X_0 = √s X̃
   * @param sigmaMax σ_1(X_0 X_0^T), the start's largest eigenvalue
   * @param passes passes taken (histogram, trimmed spectral, line search)
   */
  public record Start(double[] x0, double tau, double kept, int resolved, double scale, double sigmaMax, long passes) {}

  private TrimmedSpectralStart() {}

  /**
   * Builds X_0 of rank r on a set-up problem.
   *
   * @param seed seeds the small random columns
   * @param smallUnresolved whether unresolved columns start small and random (for λ &gt; 0); false keeps every
   *     eigenpair (λ = 0 needs W_0^T W_0 invertible)
   * @param trim the fraction of the measurements with the largest |y_i| to leave out, in [0, 1)
   * @throws IllegalArgumentException for a trim outside [0, 1), or when S_τ has no positive eigenvalue
   */
  public static Start of(SensingProblem p, int r, double trim, long seed, boolean smallUnresolved) {
    if (!(trim >= 0 && trim < 1)) {
      throw new IllegalArgumentException("sensing.trim (the fraction of the largest |y_i| the spectral start leaves "
          + "out) must be in [0, 1), got " + trim);
    }
    int d = p.d();
    if (r < 1 || r > d) {
      throw new IllegalArgumentException("r (the search rank) must be in [1, d = " + d + "], got " + r);
    }
    long passes0 = p.passes();
    double tau = Double.POSITIVE_INFINITY;
    double kept = 1;
    if (trim > 0) {
      ResponseHistogram h = p.pass("trimmed start: histogram of |y|", 0, new ResponseHistogramKernel());
      tau = h.histogram.quantile(1 - trim);
      kept = 1 - trim;
    }
    double scaleOfY = p.operator().responseScale();
    Loss trimmed = Double.isInfinite(tau) || tau == 0 ? Loss.l2() : new Loss.Trimmed(tau * scaleOfY);
    SensingStats st = p.pass("trimmed start: spectral matrix",
        SensingKernel.State.at(p.operator(), trimmed, new double[d], 1), new SensingKernel());
    double[] s = Linalg.scaled(-1.0, p.operator().symmetricMatrix(st));
    SymmetricEigen eig = SymmetricEigen.of(s, d);
    if (!(eig.value(d - 1) > 0)) {
      throw new IllegalArgumentException("the trimmed spectral matrix has no positive eigenvalue (are all y_i zero "
          + "or negative?): cannot start the scaled sub-gradient method");
    }
    // Eigenvalues within the noise of S_τ (its negative side, M* being PSD, is noise: edge ν = |λ_min|) do not
    // say where M* is: those columns start small and random (over-parameterised, k > r*, most of them are).
    double nu = Math.max(0, -eig.value(0));
    double small = SMALL_COLUMN * Math.sqrt(eig.value(d - 1) / d);
    java.util.SplittableRandom rng = io.lowrank.data.Seeds.stream(seed, SMALL_STREAM);
    double[] xt = new double[d * r];
    int resolved = 0;
    for (int k = 0; k < r; k++) {
      double lambda = eig.value(d - 1 - k);
      boolean signal = !smallUnresolved || lambda > SubGradientMethod.RESOLVED_MARGIN * nu;
      double sv = Math.sqrt(Math.max(lambda, 0));
      double[] v = eig.vector(d - 1 - k);
      for (int j = 0; j < d; j++) {
        xt[j + k * d] = signal ? sv * v[j] : small * rng.nextGaussian();
      }
      resolved += signal ? 1 : 0;
    }
    double scale = lineSearch(p, xt, r);
    double[] x0 = Linalg.scaled(Math.sqrt(scale), xt);
    return new Start(x0, tau, kept, resolved, scale, scale * Math.max(eig.value(d - 1), 0), p.passes() - passes0);
  }

  /** The s &gt; 0 that minimises f(√s X̃): bisection in log s on the sign of d f/d s = ⟨G(√s X̃), X̃X̃^T⟩. */
  private static double lineSearch(SensingProblem p, double[] xt, int r) {
    p.label("trimmed start: scale");
    double s = 1;
    double slope = slope(p, xt, r, s);
    if (slope == 0) {
      return s;
    }
    // Expand to a bracket [lo, hi] with slope(lo) < 0 < slope(hi).
    double lo = s;
    double hi = s;
    double factor = slope < 0 ? 2 : 0.5;
    for (int k = 0; k < MAX_EXPANSIONS; k++) {
      double next = s * factor;
      double sl = slope(p, xt, r, next);
      if (slope < 0 && sl >= 0) {
        lo = s;
        hi = next;
        break;
      }
      if (slope > 0 && sl <= 0) {
        lo = next;
        hi = s;
        break;
      }
      s = next;
      lo = hi = s;
    }
    if (lo == hi) {
      return s; // no sign change within 2^±20: keep the farthest scale tried
    }
    for (int k = 0; k < BISECTIONS; k++) {
      double mid = Math.sqrt(lo * hi);
      if (slope(p, xt, r, mid) < 0) {
        lo = mid;
      } else {
        hi = mid;
      }
    }
    return Math.sqrt(lo * hi);
  }

  /** ⟨G(√s X̃), X̃X̃^T⟩ = Σ_k x̃_k^T G x̃_k: the derivative of f(√s X̃) in s (up to the factor 1/2 of f's). */
  private static double slope(SensingProblem p, double[] xt, int r, double s) {
    SensingProblem.Evaluation e = p.evaluate(Linalg.scaled(Math.sqrt(s), xt), r);
    double[] gx = p.gradient(e, xt, r);
    return Linalg.dot(gx, xt);
  }

  /** The histogram of |y_i| (the responses as stored). A plain class: it travels through any Spark serializer. */
  static final class ResponseHistogram implements Aggregate<ResponseHistogram> {
    private static final long serialVersionUID = 1L;
    final ResidualHistogram histogram = new ResidualHistogram();

    @Override
    public ResponseHistogram merge(ResponseHistogram other) {
      histogram.merge(other.histogram);
      return this;
    }

    @Override
    public ResponseHistogram seal() {
      histogram.seal();
      return this;
    }
  }

  /** Folds |y_i| of every block into a {@link ResponseHistogram}; the state is unused. */
  static final class ResponseHistogramKernel implements BlockKernel<Integer, ResponseHistogram> {
    private static final long serialVersionUID = 1L;

    @Override
    public ResponseHistogram zero(Integer unused) {
      return new ResponseHistogram();
    }

    @Override
    public void add(ResponseHistogram acc, Block block, Integer unused) {
      for (int i = 0; i < block.rows; i++) {
        acc.histogram.add(Math.abs(block.y[i]));
      }
    }
  }
}
