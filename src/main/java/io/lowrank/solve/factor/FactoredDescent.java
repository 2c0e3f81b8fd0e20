package io.lowrank.solve.factor;

import io.lowrank.linalg.Linalg;
import io.lowrank.solve.IterationLoop;
import io.lowrank.solve.Result;
import io.lowrank.solve.Stopping;
import io.lowrank.solve.sensing.SubGradientMethod;
import java.util.Arrays;

/**
 * Factored (sub)gradient descent on a {@link FactorProblem}, one pass per iteration:
 * <pre>
 *   asymmetric:  W1 ← W1 − η_t ∇_{W1} f,   W2 ← W2 − η_t ∇_{W2} f     (∇_{W1} f = (1/m) G W2, ∇_{W2} f = (1/m) G^T W1)
 *   symmetric:   W  ← W  − η_t ∇_W f                                 (∇_W f = (2/m) G W)
 *   η_t = η_0 ρ^t,  G = Σ ψ(r_i) A_i at the current point
 * </pre>
 * With ρ &lt; 1 and the ℓ1 loss (or ℓq, Huber) this is SubGM (Ma &amp; Fattahi, JMLR 2023) in the factored form of
 * completion and asymmetric sensing, stopped by SubGM's rule ({@link SubGradientMethod.Options#stopping()}); with
 * ρ = 1 on the ℓ2 loss it is plain gradient descent, the least-squares comparison that outliers defeat, stopped by
 * {@link Stopping.RelativeErrorOrStep} (STALLED when its step has died out short of the truth). Both factors take
 * the same step from the same pass; no balancing term ‖W1^T W1 − W2^T W2‖² is added: from the small balanced start
 * the imbalance W1^T W1 − W2^T W2 changes only by O(η²) per step (it is conserved by the gradient flow), which the
 * decaying steps keep far below ‖M*‖; {@link #imbalance} measures it and runs report it.
 *
 * <p>The trace's mu column holds η_t of the step that led to the row, its distance column ‖W1 W2^T − M*‖_F/‖M*‖_F
 * when the truth is known. The estimate is W (d×k) for a symmetric problem, W1 (d1×k) followed by W2 (d2×k) in one
 * array for an asymmetric one ({@link #left}, {@link #right}).
 */
public final class FactoredDescent {
  /** Relative step below which plain GD with a truth is STALLED (it has settled at the ℓ2 fit). */
  public static final double GD_STALL_STEP = 1e-10;

  /**
   * @param name subgm or gd (traces, Spark UI)
   * @param eta0 η_0 &gt; 0
   * @param rho ρ in (0, 1] (1: a constant step)
   * @param stopping the loop's rule and budget
   */
  public record Options(String name, double eta0, double rho, Stopping stopping) {
    public Options {
      if (!(eta0 > 0) || Double.isInfinite(eta0)) {
        throw new IllegalArgumentException("the first step η_0 must be finite and > 0, got " + eta0);
      }
      if (!(rho > 0 && rho <= 1)) {
        throw new IllegalArgumentException("the step decay ρ must be in (0, 1], got " + rho);
      }
    }

    /** SubGM with the options (η_0, ρ, tol, budget, SubGM's stopping rule) of the symmetric sensing solver. */
    public static Options subgm(SubGradientMethod.Options o) {
      return new Options("subgm", o.eta0(), o.rho(), o.stopping());
    }

    /** Plain gradient descent with the constant step η. */
    public static Options gradientDescent(double eta, double tol, int maxIterations) {
      return new Options("gd", eta, 1.0, new Stopping.RelativeErrorOrStep(tol, maxIterations, GD_STALL_STEP));
    }
  }

  private final Options options;

  public FactoredDescent(Options options) {
    this.options = options;
  }

  public Options options() {
    return options;
  }

  /**
   * Iterates from (W1, W2) (W2 ignored, may be null, for a symmetric problem).
   *
   * @param lossScale f(0), the divergence test's scale
   */
  public Result solve(FactorProblem p, double[] w1, double[] w2, int k, double lossScale) {
    boolean sym = p.symmetric();
    int n1 = p.operator().rows() * k;
    double[] w = sym ? w1.clone() : concat(w1, w2);
    IterationLoop loop = new IterationLoop(options.name(), p::label, p::passes, options.stopping(), p.listener());
    loop.start(lossScale, p.hasTruth());
    double[] g = gradient(p, w, n1, k);
    loop.record(new IterationLoop.Row(lastLoss, Linalg.norm(g), Double.NaN, Double.NaN, error(p, w, n1, k)), w);
    while (loop.next()) {
      double eta = options.eta0() * Math.pow(options.rho(), loop.iteration() - 1);
      double[] step = Linalg.scaled(eta, g);
      double stepNorm = Linalg.norm(step) / Math.max(Linalg.norm(w), Double.MIN_NORMAL);
      w = Linalg.minus(w, step);
      g = gradient(p, w, n1, k);
      loop.record(new IterationLoop.Row(lastLoss, Linalg.norm(g), eta, stepNorm, error(p, w, n1, k)), w);
    }
    return loop.result(w);
  }

  private double lastLoss;

  /** One pass: f (kept in lastLoss) and the gradient in the layout of the iterate. */
  private double[] gradient(FactorProblem p, double[] w, int n1, int k) {
    FactorProblem.Evaluation e = p.symmetric() ? p.evaluate(w, k) : p.evaluate(left(w, n1), right(w, n1), k);
    lastLoss = e.loss();
    return p.symmetric() ? e.left() : concat(e.left(), e.right());
  }

  private static double error(FactorProblem p, double[] w, int n1, int k) {
    if (!p.hasTruth()) {
      return Double.NaN;
    }
    return p.symmetric() ? p.relativeError(w, k) : p.relativeError(left(w, n1), right(w, n1), k);
  }

  /** W1 of an asymmetric estimate (its first d1·k values). */
  public static double[] left(double[] estimate, int n1) {
    return Arrays.copyOf(estimate, n1);
  }

  /** W2 of an asymmetric estimate (the values after the first d1·k). */
  public static double[] right(double[] estimate, int n1) {
    return Arrays.copyOfRange(estimate, n1, estimate.length);
  }

  private static double[] concat(double[] a, double[] b) {
    double[] c = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, c, a.length, b.length);
    return c;
  }

  /** ‖W1^T W1 − W2^T W2‖_F / ‖W1^T W1‖_F: how far the factors drifted from balance (k×k products). */
  public static double imbalance(double[] w1, int d1, double[] w2, int d2, int k) {
    double[] g1 = new double[k * k];
    double[] g2 = new double[k * k];
    Linalg.gemm(true, false, k, k, d1, 1.0, w1, w1, 0.0, g1);
    Linalg.gemm(true, false, k, k, d2, 1.0, w2, w2, 0.0, g2);
    return Linalg.norm(Linalg.minus(g1, g2)) / Math.max(Linalg.norm(g1), Double.MIN_NORMAL);
  }
}
