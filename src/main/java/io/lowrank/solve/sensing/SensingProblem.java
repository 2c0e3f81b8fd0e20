package io.lowrank.solve.sensing;

import io.lowrank.data.LowRankTruth;
import io.lowrank.engine.Engine;
import io.lowrank.linalg.Linalg;
import io.lowrank.linalg.SymmetricEigen;
import io.lowrank.model.Aggregate;
import io.lowrank.model.BlockKernel;
import io.lowrank.model.Loss;
import io.lowrank.model.sensing.SensingKernel;
import io.lowrank.model.sensing.SensingOperator;
import io.lowrank.model.sensing.SensingStats;
import io.lowrank.solve.IterationLoop;
import java.io.Serializable;

/**
 * A matrix-sensing instance as the solvers see it: f(X) = (1/2) Σ ρ(r_i), r_i = ⟨A_i, XX^T⟩ − y_i, under a
 * {@link Loss} ρ — ℓ2 (ρ = r²/2, so f = (1/4) Σ r_i², the default), ℓ1, ℓq or Huber — with one engine pass at X
 * giving f(X) and G = Σ ψ(r_i) A_i (d×d), so that ∇f(X) = G X (a subgradient for ℓ1) is formed here on the driver.
 * The set-up pass (at X = 0, under the same loss) checks y and gives the spectral matrix −G(0) = Σ ψ(y_i) A_i (for
 * ℓ2 an unbiased estimate of M*; for ℓ1 Σ sign(y_i) A_i, which points along M* whatever the outliers), whose
 * eigenpairs give the spectral initialisation and the σ estimates used for default step sizes and λ — in the
 * units of the loss's G, so that a step η ∝ 1/σ̂_1 has the same effect under every loss.
 */
public final class SensingProblem {
  private static final SensingKernel KERNEL = new SensingKernel();

  private final Engine engine;
  private final SensingOperator operator;
  private final Loss loss;
  private final int d;
  private final LowRankTruth truth;
  private final double[] truthMatrix;
  private final double truthNorm;
  private final double lossAtZero;
  private final double[] spectralValues; // descending
  private final double[] spectralVectors; // columns in the same order
  private IterationLoop.Listener listener = IterationLoop.Listener.NONE;
  private String label = "solve";

  /**
   * f(X), G (∇f = G X) and the step matrix D: for ℓ2 the operator's (= G unless it removes a bias, see
   * SensingOperator), for the other losses G itself.
   */
  public record Evaluation(double loss, double[] g, double[] step) {}

  private SensingProblem(Engine engine, SensingOperator operator, Loss loss, LowRankTruth truth,
      SensingStats atZero) {
    this.engine = engine;
    this.operator = operator;
    this.loss = loss;
    this.d = operator.d();
    this.truth = truth;
    this.truthMatrix = truth == null ? null : truth.matrix();
    this.truthNorm = truth == null ? Double.NaN : Linalg.norm(truthMatrix);
    this.lossAtZero = objective(atZero);
    double[] spectral = isL2() ? operator.spectralMatrix(atZero) : Linalg.scaled(-1.0, operator.symmetricMatrix(atZero));
    SymmetricEigen eig = SymmetricEigen.of(spectral, d);
    this.spectralValues = new double[d];
    this.spectralVectors = new double[d * d];
    for (int k = 0; k < d; k++) {
      spectralValues[k] = eig.value(d - 1 - k);
      System.arraycopy(eig.vector(d - 1 - k), 0, spectralVectors, k * d, d);
    }
  }

  /**
   * Checks the shapes, runs the set-up pass at X = 0 under the ℓ2 loss and decomposes the spectral matrix.
   *
   * @param truth M* when known (enables the relative-error metric), else null
   * @throws IllegalArgumentException for mismatched dimensions, a measurement count that differs from the
   *     operator's, or non-finite y
   */
  public static SensingProblem setUp(Engine engine, SensingOperator operator, LowRankTruth truth) {
    return setUp(engine, operator, truth, Loss.l2());
  }

  /**
   * As {@link #setUp(Engine, SensingOperator, LowRankTruth)} under {@code loss}: every pass of the problem, the
   * set-up pass included, folds Σ ρ(r_i) and Σ ψ(r_i) A_i.
   */
  public static SensingProblem setUp(Engine engine, SensingOperator operator, LowRankTruth truth, Loss loss) {
    if (loss == null) {
      throw new IllegalArgumentException("loss must be given (Loss.l2() for least squares)");
    }
    if (truth != null && truth.d() != operator.d()) {
      throw new IllegalArgumentException("truth is " + truth.d() + "x" + truth.d() + " but the operator senses "
          + operator.d() + "x" + operator.d() + " matrices");
    }
    if (engine.rows() != operator.m()) {
      throw new IllegalArgumentException("the operator is normalised for m = " + operator.m()
          + " measurements but the data has " + engine.rows());
    }
    if (truth != null) {
      requireEnoughMeasurements(engine.rows(), operator.d(), truth.rank());
    }
    SensingStats atZero = engine.pass("sensing set-up: spectral matrix",
        SensingKernel.State.at(operator, loss, new double[operator.d()], 1), KERNEL);
    if (!Double.isFinite(atZero.sumSquares) || !Linalg.isFinite(atZero.sum)) {
      throw new IllegalArgumentException("the responses y contain NaN or infinite values");
    }
    return new SensingProblem(engine, operator, loss, truth, atZero);
  }

  /**
   * Requires m ≥ d r* − r*(r*−1)/2, the dimension of the rank-r* PSD matrices (fewer measurements cannot determine
   * M*; the solvers' guarantees need several times more, e.g. m ≈ 10 d r*).
   */
  public static void requireEnoughMeasurements(long m, int d, int rStar) {
    long dof = (long) d * rStar - (long) rStar * (rStar - 1) / 2;
    if (m < dof) {
      throw new IllegalArgumentException("m = " + m + " measurements cannot determine a rank-" + rStar + " " + d + "x"
          + d + " PSD matrix: it has " + dof + " degrees of freedom (use m >= " + dof + ", better about "
          + 10L * d * rStar + ", or a smaller rstar)");
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

  /** One pass at X (d×r): f(X) and G. */
  public Evaluation evaluate(double[] x, int r) {
    requireShape(x, r);
    SensingStats s = engine.pass(label + ": sensing pass", SensingKernel.State.at(operator, loss, x, r), KERNEL);
    double[] g = operator.symmetricMatrix(s);
    return new Evaluation(objective(s), g, isL2() ? operator.stepMatrix(s) : g);
  }

  /** f = (1/2) Σ ρ(r_i) (for ℓ2 bit for bit the (1/4) Σ r_i² it always was: halving is exact). */
  private static double objective(SensingStats s) {
    return 0.5 * s.sumLoss;
  }

  private boolean isL2() {
    return loss instanceof Loss.L2;
  }

  /**
   * A pass of another kernel over the same measurements (rank-r BWGD's amplitude and whitening passes), described
   * as {@code "<label>: <what>"} in the Spark UI.
   */
  <S extends Serializable, A extends Aggregate<A>> A pass(String what, S state, BlockKernel<S, A> kernel) {
    return engine.pass(label + ": " + what, state, kernel);
  }

  /** ∇f(X) = G X (d×r). */
  public double[] gradient(Evaluation e, double[] x, int r) {
    return times(e.g(), x, r);
  }

  /** The direction the solvers step along, D X (d×r): ∇f(X) for isotropic operators. */
  public double[] direction(Evaluation e, double[] x, int r) {
    return times(e.step(), x, r);
  }

  private double[] times(double[] m, double[] x, int r) {
    double[] out = new double[d * r];
    Linalg.gemm(false, false, d, r, d, 1.0, m, x, 0.0, out);
    return out;
  }

  /** ‖XX^T − M*‖_F / ‖M*‖_F, or NaN when the truth is unknown. */
  public double relativeError(double[] x, int r) {
    if (truthMatrix == null) {
      return Double.NaN;
    }
    double[] diff = truthMatrix.clone();
    Linalg.gemm(false, true, d, d, r, 1.0, x, x, -1.0, diff);
    return Linalg.norm(diff) / truthNorm;
  }

  void requireShape(double[] x, int r) {
    if (r < 1 || r > d) {
      throw new IllegalArgumentException("r (the search rank) must be in [1, d = " + d + "], got " + r);
    }
    if (x.length != d * r) {
      throw new IllegalArgumentException("X must be d x r = " + d + "x" + r + " (" + d * r + " values), got "
          + x.length);
    }
  }

  /** Eigenvalues of the spectral matrix, descending (a copy). */
  public double[] spectralValues() {
    return spectralValues.clone();
  }

  /** The k-th eigenvector (descending order) of the spectral matrix. */
  public double[] spectralVector(int k) {
    double[] v = new double[d];
    System.arraycopy(spectralVectors, k * d, v, 0, d);
    return v;
  }

  /** σ̂_1: the top eigenvalue of the spectral matrix (estimates σ_1(M*)). */
  public double sigmaMaxEstimate() {
    return Math.max(spectralValues[0], Double.MIN_NORMAL);
  }

  /**
   * σ̂_min, for λ when σ_min(M*) is unknown: M* is PSD, so the spectral matrix's most negative eigenvalue −ν
   * measures its noise; the eigenvalues among the top r above ν are taken as signal and the smallest of them is
   * σ̂_min (falls back to σ̂_1 when none is).
   */
  public double sigmaMinEstimate(int r) {
    double floor = Math.max(0, -spectralValues[d - 1]);
    double min = sigmaMaxEstimate();
    for (int k = 0; k < Math.min(r, d); k++) {
      if (spectralValues[k] > floor) {
        min = spectralValues[k];
      }
    }
    return min;
  }

  /** f(0) = (1/2) Σ ρ(ỹ_i) ((1/4) Σ ỹ_i² for ℓ2), the scale for divergence and stall checks. */
  public double lossAtZero() {
    return lossAtZero;
  }

  public boolean hasTruth() {
    return truth != null;
  }

  /** M* (null when unknown). */
  public LowRankTruth truth() {
    return truth;
  }

  public SensingOperator operator() {
    return operator;
  }

  /** The loss every pass of this problem folds. */
  public Loss loss() {
    return loss;
  }

  public int d() {
    return d;
  }

  public long m() {
    return engine.rows();
  }

  /** Passes the engine has run so far. */
  public long passes() {
    return engine.passes();
  }

  /**
   * One sensing pass at a seeded random X (d×r) on {@code engine}, to be timed by a benchmark.
   */
  public static Runnable benchPass(Engine engine, SensingOperator operator, int r, long seed) {
    return benchPass(engine, operator, Loss.l2(), r, seed);
  }

  /** One sensing pass under {@code loss} at a seeded random X (d×r), to be timed by a benchmark. */
  public static Runnable benchPass(Engine engine, SensingOperator operator, Loss loss, int r, long seed) {
    if (r < 1 || r > operator.d()) {
      throw new IllegalArgumentException("r must be in [1, d = " + operator.d() + "], got " + r);
    }
    double[] x = SensingInitializer.smallRandom(operator.d(), r, 1.0, seed);
    SensingKernel.State state = SensingKernel.State.at(operator, loss, x, r);
    return () -> engine.pass("sensing bench pass", state, KERNEL);
  }
}
