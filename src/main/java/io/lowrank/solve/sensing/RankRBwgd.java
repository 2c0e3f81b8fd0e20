package io.lowrank.solve.sensing;

import io.lowrank.data.LowRankTruth;
import io.lowrank.linalg.Linalg;
import io.lowrank.linalg.Polar;
import io.lowrank.linalg.SymmetricEigen;
import io.lowrank.model.GramKernel;
import io.lowrank.model.sensing.FactorAmplitudeKernel;
import io.lowrank.model.sensing.RankOneOperator;
import io.lowrank.solve.IterationLoop;
import io.lowrank.solve.Result;
import io.lowrank.solve.Stopping;

/**
 * Rank-r BWGD on rank-one measurements y_i = ‖X*^T a_i‖²: whiten with Ĉ = (1/n) Σ a_i a_i^T (one set-up pass),
 * ã_i = Ĉ^{-1/2} a_i, then iterate U ← T U with T = (1/n) Σ √y_i ã_i ã_i^T / ‖U^T ã_i‖ — the Gauss-Newton
 * (generalised-Newton) step of the amplitude loss (1/2n) Σ (‖U^T ã_i‖ − √y_i)², one pass per iteration. The
 * estimate is X̂ = Ĉ^{-1/2} U; its metric is the Procrustes distance min_Q ‖X̂Q − X*‖_F / ‖X*‖_F over orthogonal Q
 * (X is identifiable only up to rotation). With r = 1 this is phase retrieval's BWGD.
 */
public final class RankRBwgd implements SensingSolver {
  private static final FactorAmplitudeKernel KERNEL = new FactorAmplitudeKernel();
  /** A relative step this small with the truth known and not reached is a stall (the fixed-point map stopped). */
  private static final double STALL_STEP = 1e-15;

  private final Stopping.RelativeErrorOrStep stopping;

  /**
   * @param tol stop when the Procrustes distance ≤ tol (truth known), or the relative step ≤ tol
   * @param maxIterations iteration budget
   */
  public RankRBwgd(double tol, int maxIterations) {
    this.stopping = new Stopping.RelativeErrorOrStep(tol, maxIterations, STALL_STEP);
  }

  @Override
  public String name() {
    return "bwgd";
  }

  public Stopping.RelativeErrorOrStep stopping() {
    return stopping;
  }

  /**
   * Runs the whitening pass and iterates from X_0 (d×r, e.g. {@link SensingInitializer#spectral} of the same
   * problem). The problem must hold rank-one measurements; its truth M*, when known, gives the Procrustes metric.
   */
  @Override
  public Result solve(SensingProblem p, double[] x0, int r) {
    if (!(p.operator() instanceof RankOneOperator)) {
      throw new IllegalArgumentException("bwgd works on rank-one measurements (a RankOneOperator problem, "
          + "--operator rank-one), got " + p.operator().getClass().getSimpleName());
    }
    SubGradientMethod.requireL2(p, name());
    int d = p.d();
    if (r < 1 || r > d) {
      throw new IllegalArgumentException("r (the search rank) must be in [1, d = " + d + "], got " + r);
    }
    if (x0.length != d * r) {
      throw new IllegalArgumentException("X_0 must be d x r = " + d + "x" + r + ", got " + x0.length + " values");
    }
    LowRankTruth truth = p.truth();
    long n = p.m();
    IterationLoop loop = new IterationLoop(name(), p::label, p::passes, stopping, p.listener());
    p.label(name() + " set-up");
    GramKernel.Stats g = p.pass("whitening Gram matrix", d, new GramKernel()).finish();
    SymmetricEigen eig = SymmetricEigen.of(Linalg.scaled(1.0 / n, g.gram), d);
    if (!(eig.value(0) > 0)) {
      throw new IllegalArgumentException("the sensing vectors do not span R^" + d + ": cannot whiten");
    }
    double[] w = matrixPower(eig, d, -0.5);
    double[] wInv = matrixPower(eig, d, 0.5);

    // Only non-finite values diverge (no blow-up bound on the amplitude loss).
    loop.start(Double.POSITIVE_INFINITY, truth != null);
    double[] u = times(wInv, d, x0, r);
    double[] v = times(w, d, u, r);
    FactorAmplitudeKernel.Stats stats = p.pass("amplitude", new FactorAmplitudeKernel.State(v, r), KERNEL);
    loop.record(new IterationLoop.Row(0.5 * stats.sumSquaredResiduals / n, Double.NaN, Double.NaN, Double.NaN,
        procrustes(v, d, r, truth)), u);
    while (loop.next()) {
      // U ← T U = W S / n with S = Σ √y_i a_i z_i^T/‖z_i‖, z_i = U^T ã_i = V^T a_i.
      double[] next = times(w, d, stats.s, r);
      Linalg.scale(1.0 / n, next);
      double[] diff = Linalg.minus(next, u);
      double gradNorm = Linalg.norm(diff); // U − T U: the gradient of the whitened amplitude loss
      double stepNorm = gradNorm / Math.max(Linalg.norm(u), Double.MIN_NORMAL);
      u = next;
      v = times(w, d, u, r);
      stats = p.pass("amplitude", new FactorAmplitudeKernel.State(v, r), KERNEL);
      loop.record(new IterationLoop.Row(0.5 * stats.sumSquaredResiduals / n, gradNorm, Double.NaN, stepNorm,
          procrustes(v, d, r, truth)), u);
    }
    return loop.result(v);
  }

  /**
   * min over orthogonal Q of ‖XQ − X*‖_F / ‖X*‖_F, the narrower of X and X* padded with zero columns; NaN without
   * truth. Q is the polar factor of X^T X* and the norm is taken of XQ − X* itself: the closed form
   * √(‖X‖² + ‖X*‖² − 2‖X^T X*‖_*) cancels down to ~1e-8 and then reads 0.
   */
  public static double procrustes(double[] x, int d, int r, LowRankTruth truth) {
    if (truth == null) {
      return Double.NaN;
    }
    int rs = truth.rank();
    int p = Math.max(r, rs);
    double[] xp = java.util.Arrays.copyOf(x, d * p);
    double[] xsp = java.util.Arrays.copyOf(truth.factor(), d * p);
    double[] k = new double[p * p];
    Linalg.gemm(true, false, p, p, d, 1.0, xp, xsp, 0.0, k);
    double[] diff = xsp;
    Linalg.gemm(false, false, d, p, p, 1.0, xp, Polar.orthogonalFactor(k, p), -1.0, diff);
    return Linalg.norm(diff) / Linalg.norm(truth.factor());
  }

  private static double[] matrixPower(SymmetricEigen eig, int d, double power) {
    double[] m = new double[d * d];
    for (int k = 0; k < d; k++) {
      double s = Math.pow(eig.value(k), power);
      double[] q = eig.vector(k);
      for (int j = 0; j < d; j++) {
        for (int i = 0; i < d; i++) {
          m[i + j * d] += s * q[i] * q[j];
        }
      }
    }
    return m;
  }

  private static double[] times(double[] sq, int d, double[] x, int r) {
    double[] y = new double[d * r];
    Linalg.gemm(false, false, d, r, d, 1.0, sq, x, 0.0, y);
    return y;
  }
}
