package io.lowrank.solve.landscape;

import io.lowrank.engine.Engine;
import io.lowrank.linalg.Linalg;
import io.lowrank.model.factor.FactorOperator;
import io.lowrank.model.landscape.PaddedCurvatureKernel;

/** h(Z) and ∇h_μ(Z) of the data in an engine: one {@link PaddedCurvatureKernel} pass per evaluation. */
public final class PassCurvature implements CurvatureOracle {
  private static final PaddedCurvatureKernel KERNEL = new PaddedCurvatureKernel();
  private final Engine engine;
  private final FactorOperator op;
  private final double[] w;
  private final int r;
  private final double tau;
  private final int c;
  private final String label;

  /**
   * @param w W_r*, d×r
   * @param tau the corruption threshold on |r_i*|
   * @param c columns of Z (k − r)
   * @param label the passes' description prefix (Spark UI)
   */
  public PassCurvature(Engine engine, FactorOperator op, double[] w, int r, double tau, int c, String label) {
    this.engine = engine;
    this.op = op;
    this.w = w;
    this.r = r;
    this.tau = tau;
    this.c = c;
    this.label = label;
  }

  @Override
  public int rows() {
    return op.rows();
  }

  @Override
  public Evaluation evaluate(double[] z, double mu) {
    var s = new PaddedCurvatureKernel.State(op, w, r, tau, z, c, mu);
    PaddedCurvatureKernel.Curvature k = engine.pass(label + ": h(Z)", s, KERNEL);
    double m = k.rows;
    double[] grad = op.applyAdjoint(k.adjoint, z, z, c);
    // ∇ of (1/m) Σ g_i(⟨A_i, Z Z^T⟩) is (2/m) A*(φ)^sym Z.
    Linalg.scale(2.0 / m, grad);
    double meanClean = k.cleanRows == 0 ? 0 : k.cleanAbs / k.cleanRows;
    return new Evaluation((k.cleanAbs + k.corrupted) / m, (k.cleanSmooth + k.corrupted) / m, grad, k.totalAbs / m,
        meanClean, Math.sqrt(k.quadraticRadius));
  }
}
