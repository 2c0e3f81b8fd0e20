package io.lowrank.solve.escape;

import io.lowrank.engine.Engine;
import io.lowrank.linalg.Linalg;
import io.lowrank.model.Loss;
import io.lowrank.model.VectorSum;
import io.lowrank.model.escape.FactorPair;
import io.lowrank.model.escape.LiftedObjectiveKernel;
import io.lowrank.model.escape.MeasurementProductKernel;
import io.lowrank.model.escape.NormalOperatorKernel;
import io.lowrank.model.factor.FactorOperator;
import io.lowrank.model.factor.FactorStats;
import io.lowrank.solve.factor.FactorProblem;
import java.util.List;

/**
 * The escape's objective h(X) = ½‖A(X X^T) − b‖² = Σ_i ρ(r_i) with ρ = r²/2 — a SUM, as in the SOD paper — over a
 * symmetric {@link FactorOperator}, and the probe passes the escape needs. {@link FactorProblem} works with the MEAN
 * f = h/m; the conversion is made here and only here: h = m·f, ∇h = m·∇f = 2 G X with G = A*A(X X^T − M*) =
 * Σ_i r_i A_i, which is what {@link FactorProblem#multiply} returns unscaled.
 */
public final class EscapeProblem {
  private static final LiftedObjectiveKernel LIFTED = new LiftedObjectiveKernel();
  private static final MeasurementProductKernel PRODUCTS = new MeasurementProductKernel();
  private static final NormalOperatorKernel NORMAL = new NormalOperatorKernel();

  private final Engine engine;
  private final FactorOperator operator;
  private final FactorProblem problem;
  private final double[] truth;
  private final int truthRank;
  private final double truthNorm;

  /**
   * h and its gradient at a point.
   *
   * @param loss h(X)
   * @param gradient ∇h = 2 G X (n×r)
   * @param gradientNorm ‖∇h‖_F
   */
  public record Point(double loss, double[] gradient, double gradientNorm) {}

  /**
   * @param truth M*'s factor Z (n×r*, M* = Z Z^T), or null when unknown
   */
  public EscapeProblem(Engine engine, FactorOperator operator, double[] truth, int truthRank) {
    if (!operator.symmetric()) {
      throw new IllegalArgumentException("the escape works on symmetric problems X X^T; the " + operator.name()
          + " operator is asymmetric");
    }
    this.engine = engine;
    this.operator = operator;
    this.problem = new FactorProblem(engine, operator, Loss.l2(), truth, truth, truthRank);
    this.truth = truth == null ? null : truth.clone();
    this.truthRank = truthRank;
    this.truthNorm = truth == null ? Double.NaN : Math.sqrt(FactorPair.gram(truth, truthRank).frobeniusSquared(n(), n()));
  }

  /** n (X is n×r). */
  public int n() {
    return operator.rows();
  }

  /** m, the number of measurements. */
  public long m() {
    return problem.m();
  }

  public FactorOperator operator() {
    return operator;
  }

  /** Passes over the data so far. */
  public long passes() {
    return engine.passes();
  }

  /** Names the passes that follow in the Spark UI. */
  public void label(String label) {
    problem.label(label);
  }

  public boolean hasTruth() {
    return truth != null;
  }

  /** M*'s factor Z (a copy), or null. */
  public double[] truth() {
    return truth == null ? null : truth.clone();
  }

  public int truthRank() {
    return truthRank;
  }

  /** One pass: h(X) = m·f and ∇h = m·∇f. */
  public Point evaluate(double[] x, int r) {
    FactorProblem.Evaluation e = problem.evaluate(x, r);
    double[] grad = Linalg.scaled(m(), e.left());
    return new Point(m() * e.loss(), grad, Linalg.norm(grad));
  }

  /** One pass: G V with G = A*A(X X^T − M*) = Σ_i r_i A_i at X (n×r), V n×c. */
  public double[] gTimes(double[] x, int r, double[] v, int c) {
    return problem.multiply(x, x, r, v, v, c);
  }

  /** ‖X X^T − M*‖_F from r×r products (NaN without a truth). */
  public double distance(double[] x, int r) {
    return hasTruth() ? problem.relativeError(x, r) * truthNorm : Double.NaN;
  }

  /** ‖M*‖_F (NaN without a truth). */
  public double truthNorm() {
    return truthNorm;
  }

  /** One pass: Σ_i ⟨A_i, M_j⟩⟨A_i, M_k⟩ for the (j, k) pairs. */
  public double[] measurementProducts(List<FactorPair> matrices, int[] pairs) {
    VectorSum s = engine.pass("escape: " + pairs.length / 2 + " measurement products",
        new MeasurementProductKernel.State(operator, matrices, pairs), PRODUCTS);
    return s.sum;
  }

  /** One pass: A*A(P Q^T) V (n×cv). */
  public double[] normalTimes(double[] p, double[] q, int c, double[] v, int cv) {
    NormalOperatorKernel.State s = new NormalOperatorKernel.State(operator, p, q, c, v, null, cv);
    FactorStats stats = engine.pass("escape: A*A applied to factors", s, NORMAL);
    return NormalOperatorKernel.product(s, stats);
  }

  /** One pass: the lifted objective Σ_i (Σ_{jk} ω_j ω_k ⟨A_i, X_j X_k^T⟩^l − y_i^l)² at every grid point ω. */
  public double[] lifted(List<double[]> factors, int c, int power, double[][] weights) {
    VectorSum s = engine.pass("escape: lifted objective at " + weights.length + " points",
        new LiftedObjectiveKernel.State(operator, factors, c, power, weights), LIFTED);
    return s.sum;
  }
}
