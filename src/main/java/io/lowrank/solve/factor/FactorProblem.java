package io.lowrank.solve.factor;

import io.lowrank.engine.Engine;
import io.lowrank.linalg.Linalg;
import io.lowrank.linalg.Qr;
import io.lowrank.model.Loss;
import io.lowrank.model.factor.FactorKernel;
import io.lowrank.model.factor.FactorOperator;
import io.lowrank.model.factor.FactorStats;
import io.lowrank.solve.IterationLoop;

/**
 * A factored recovery instance: f(W1, W2) = (1/m) Σ ρ(r_i), r_i = ⟨A_i, W1 W2^T⟩ − y_i (asymmetric), or f(W) = (1/m)
 * Σ ρ(⟨A_i, W W^T⟩ − y_i) (symmetric), under a {@link Loss} ρ, over the measurements an {@link Engine} holds. One pass
 * at a point gives f and the (sub)gradients ∇_{W1} f = (1/m) G W2 and ∇_{W2} f = (1/m) G^T W1 (symmetric: ∇_W f =
 * (2/m) G W), G = Σ ψ(r_i) A_i; {@link #multiply} gives G times any factors at a point in one pass. The truth, when
 * known, is held as factors (X*, Y*), so ‖W1 W2^T − X* Y*^T‖_F needs only k×k products.
 */
public final class FactorProblem {
  private static final FactorKernel KERNEL = new FactorKernel();

  private final Engine engine;
  private final FactorOperator operator;
  private final Loss loss;
  private final long m;
  private final double[] truthLeft;
  private final double[] truthRight;
  private final int truthRank;
  private final double truthNorm;
  private String label = "solve";
  private IterationLoop.Listener listener = IterationLoop.Listener.NONE;

  /**
   * f at a point and its (sub)gradients: {@code left} = ∇_{W1} f (d1×k) and {@code right} = ∇_{W2} f (d2×k), or for a
   * symmetric problem {@code left} = ∇_W f and {@code right} = null; {@code stats} the pass's raw sums.
   */
  public record Evaluation(double loss, double[] left, double[] right, FactorStats stats) {}

  /**
   * @param truthLeft X* (d1×r*), or null when the truth is unknown
   * @param truthRight Y* (d2×r*); ignored (taken as X*) for a symmetric operator
   */
  public FactorProblem(Engine engine, FactorOperator operator, Loss loss, double[] truthLeft, double[] truthRight,
      int truthRank) {
    if (loss == null) {
      throw new IllegalArgumentException("loss must be given (Loss.l2() for least squares)");
    }
    if (engine.rows() < 1) {
      throw new IllegalArgumentException("the data holds no measurements");
    }
    this.engine = engine;
    this.operator = operator;
    this.loss = loss;
    this.m = engine.rows();
    this.truthRank = truthRank;
    if (truthLeft != null) {
      double[] right = operator.symmetric() ? truthLeft : truthRight;
      requireFactor("the truth's left factor X*", truthLeft, operator.rows(), truthRank);
      requireFactor("the truth's right factor Y*", right, operator.cols(), truthRank);
      this.truthLeft = truthLeft.clone();
      this.truthRight = right.clone();
      this.truthNorm = Math.sqrt(Math.max(0, productNormSquared(truthLeft, right, operator.rows(), operator.cols(),
          truthRank)));
    } else {
      this.truthLeft = null;
      this.truthRight = null;
      this.truthNorm = Double.NaN;
    }
  }

  /** Names the passes that follow in the Spark UI. */
  public void label(String label) {
    this.label = label;
  }

  /** Tells {@code listener} every row its solvers' loops record (a run's progress). */
  public void listen(IterationLoop.Listener listener) {
    this.listener = listener;
  }

  /** Who hears the rows of loops over this problem ({@link IterationLoop.Listener#NONE} by default). */
  public IterationLoop.Listener listener() {
    return listener;
  }

  public FactorOperator operator() {
    return operator;
  }

  public Loss loss() {
    return loss;
  }

  /** Number of measurements m (f is their mean). */
  public long m() {
    return m;
  }

  public boolean symmetric() {
    return operator.symmetric();
  }

  /** One pass at W W^T (symmetric problems): f and ∇_W f = (2/m) G W. */
  public Evaluation evaluate(double[] w, int k) {
    requireSymmetric(true);
    requireFactor("W", w, operator.rows(), k);
    FactorKernel.State s = FactorKernel.State.at(operator, loss, w, k);
    FactorStats stats = engine.pass(label + ": factored pass", s, KERNEL);
    double[] g = FactorKernel.products(s, stats);
    Linalg.scale(2.0 / m, g);
    return new Evaluation(stats.sumLoss / m, g, null, stats);
  }

  /** One pass at W1 W2^T (asymmetric problems): f, ∇_{W1} f = (1/m) G W2 and ∇_{W2} f = (1/m) G^T W1. */
  public Evaluation evaluate(double[] w1, double[] w2, int k) {
    requireSymmetric(false);
    requireFactor("W1", w1, operator.rows(), k);
    requireFactor("W2", w2, operator.cols(), k);
    FactorKernel.State s = FactorKernel.State.at(operator, loss, w1, w2, k);
    FactorStats stats = engine.pass(label + ": factored pass", s, KERNEL);
    double[] both = FactorKernel.products(s, stats);
    Linalg.scale(1.0 / m, both);
    int n1 = operator.rows() * k;
    return new Evaluation(stats.sumLoss / m, java.util.Arrays.copyOf(both, n1),
        java.util.Arrays.copyOfRange(both, n1, both.length), stats);
  }

  /**
   * G = Σ ψ(r_i) A_i at the point (P, Q) (Q = P for W W^T) applied to V (d2×c) and, asymmetric, G^T to U (d1×c), in
   * one pass: [G V ; G^T U] (symmetric: the symmetric part of G times V). Unscaled (no 1/m).
   */
  public double[] multiply(double[] p, double[] q, int k, double[] v, double[] u, int c) {
    return product(p, q, k, v, u, c).left();
  }

  /**
   * {@link #multiply} with the rest of the pass: {@code loss} = f at (P, Q), {@code left} = [G V ; G^T U] (unscaled,
   * as multiply returns it), {@code right} = null, {@code stats} the pass's sums.
   */
  public Evaluation product(double[] p, double[] q, int k, double[] v, double[] u, int c) {
    double[] right = operator.symmetric() ? p : q;
    FactorKernel.State s = new FactorKernel.State(operator, loss, p, right, k, v, operator.symmetric() ? v : u, c);
    FactorStats stats = engine.pass(label + ": G times " + c + " vectors", s, KERNEL);
    return new Evaluation(stats.sumLoss / m, FactorKernel.products(s, stats), null, stats);
  }

  /** Passes over the data so far (the engine's counter). */
  public long passes() {
    return engine.passes();
  }

  /** The truth's ‖M*‖_F (NaN without a truth). */
  public double truthNorm() {
    return truthNorm;
  }

  public boolean hasTruth() {
    return truthLeft != null;
  }

  /** ‖W1 W2^T − X* Y*^T‖_F / ‖X* Y*^T‖_F from k×k products (NaN without a truth). */
  public double relativeError(double[] w1, double[] w2, int k) {
    if (truthLeft == null) {
      return Double.NaN;
    }
    int d1 = operator.rows();
    int d2 = operator.cols();
    double[] right = operator.symmetric() ? w1 : w2;
    // W1 W2^T − X* Y*^T = P Q^T with P = [W1, −X*], Q = [W2, Y*]; with P = Q_P R_P and Q = Q_Q R_Q (thin QR),
    // ‖P Q^T‖_F = ‖R_P R_Q^T‖_F: no cancellation, so errors far below 1e-8 are resolved (the trace formula's floor).
    int c = k + truthRank;
    double[] p = concat(w1, Linalg.scaled(-1.0, truthLeft));
    double[] q = concat(right, truthRight);
    if (d1 < c || d2 < c) {
      double[] diff = new double[d1 * d2];
      Linalg.gemm(false, true, d1, d2, c, 1.0, p, q, 0.0, diff);
      return Linalg.norm(diff) / truthNorm;
    }
    double[] rp = Qr.r(p, d1, c);
    double[] rq = Qr.r(q, d2, c);
    double[] product = new double[c * c];
    Linalg.gemm(false, true, c, c, c, 1.0, rp, rq, 0.0, product);
    return Linalg.norm(product) / truthNorm;
  }

  private static double[] concat(double[] a, double[] b) {
    double[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  /** ‖W W^T − M*‖_F / ‖M*‖_F (symmetric problems). */
  public double relativeError(double[] w, int k) {
    requireSymmetric(true);
    return relativeError(w, w, k);
  }

  /** ‖A B^T‖_F² = tr((A^T A)(B^T B)). */
  private static double productNormSquared(double[] a, double[] b, int d1, int d2, int k) {
    return crossTrace(a, b, a, b, d1, d2, k, k);
  }

  /** ⟨A B^T, X Y^T⟩ = tr((A^T X)(Y^T B)), A d1×k, B d2×k, X d1×r, Y d2×r. */
  private static double crossTrace(double[] a, double[] b, double[] x, double[] y, int d1, int d2, int k, int r) {
    double[] ax = new double[k * r];
    double[] by = new double[k * r];
    Linalg.gemm(true, false, k, r, d1, 1.0, a, x, 0.0, ax);
    Linalg.gemm(true, false, k, r, d2, 1.0, b, y, 0.0, by);
    return Linalg.dot(ax, by);
  }

  private void requireSymmetric(boolean wanted) {
    if (operator.symmetric() != wanted) {
      throw new IllegalStateException("the " + operator.name() + " operator is " + (wanted ? "asymmetric" : "symmetric")
          + ": call evaluate with " + (wanted ? "W1 and W2" : "one factor W"));
    }
  }

  private static void requireFactor(String what, double[] x, int rows, int k) {
    if (k < 1 || x == null || x.length != (long) rows * k) {
      throw new IllegalArgumentException(what + " must be " + rows + "x" + k + " (" + (long) rows * k
          + " values), got " + (x == null ? "none" : x.length + " values"));
    }
  }
}
