package io.lowrank.model.landscape;

import io.lowrank.data.Block;
import io.lowrank.linalg.Linalg;
import io.lowrank.model.Aggregate;
import io.lowrank.model.BlockKernel;
import io.lowrank.model.factor.FactorOperator;
import java.io.Serializable;

/**
 * The curvature of the ℓ1 loss at the padded truth along [0, Z], with its gradient, in one pass: with t_i = ⟨A_i, Z
 * Z^T⟩ and ξ_i = sign(r_i*) on the corrupted rows,
 * <pre>
 *   m·h(Z)   = Σ_clean |t_i| + Σ_corrupted ξ_i t_i
 *   m·h_μ(Z) = Σ_clean (√(t_i² + μ²) − μ) + Σ_corrupted ξ_i t_i,   ∇(m·h_μ) = 2 A*(φ)^sym Z,
 * </pre>
 * φ_i = t_i/√(t_i² + μ²) on clean rows and ξ_i on corrupted ones (sign(t_i) when μ = 0). The pass also returns Σ |t_i|
 * (the scale h is normalised by) and min over corrupted rows of |r_i*|/|t_i|: for γ² below it, f(W* + γ[0, Z]) −
 * f(W*) = γ² h(Z) exactly.
 */
public final class PaddedCurvatureKernel
    implements BlockKernel<PaddedCurvatureKernel.State, PaddedCurvatureKernel.Curvature> {
  private static final long serialVersionUID = 1L;

  /**
   * @param w W_r*, d×r column-major
   * @param tau the corruption threshold on |r_i*|
   * @param z the direction Z, d×c column-major
   * @param mu the smoothing μ ≥ 0 of |t| on the clean rows
   */
  public record State(FactorOperator operator, double[] w, int r, double tau, double[] z, int c, double mu)
      implements Serializable {}

  /** The pass's result. */
  public static final class Curvature implements Aggregate<Curvature> {
    private static final long serialVersionUID = 1L;
    /** A*(φ) in the operator's accumulator layout (finish with applyAdjoint at Z). */
    public final double[] adjoint;
    /** Σ_clean |t_i|. */
    public double cleanAbs;
    /** Σ_clean (√(t_i² + μ²) − μ). */
    public double cleanSmooth;
    /** Σ_corrupted ξ_i t_i. */
    public double corrupted;
    /** Σ |t_i| over all rows. */
    public double totalAbs;
    /** min over corrupted rows of |r_i*|/|t_i| (+∞ when none). */
    public double quadraticRadius = Double.POSITIVE_INFINITY;
    public long rows;
    public long cleanRows;

    public Curvature(int length) {
      adjoint = new double[length];
    }

    @Override
    public Curvature merge(Curvature o) {
      Linalg.axpy(1.0, o.adjoint, adjoint);
      cleanAbs += o.cleanAbs;
      cleanSmooth += o.cleanSmooth;
      corrupted += o.corrupted;
      totalAbs += o.totalAbs;
      quadraticRadius = Math.min(quadraticRadius, o.quadraticRadius);
      rows += o.rows;
      cleanRows += o.cleanRows;
      return this;
    }
  }

  @Override
  public Curvature zero(State s) {
    return new Curvature(s.operator.adjointLength(s.c));
  }

  @Override
  public void add(Curvature acc, Block block, State s) {
    int n = block.rows;
    double[] res = TruthResiduals.of(s.operator, block, s.w, s.r);
    double[] t = new double[n];
    s.operator.measure(block, s.z, s.z, s.c, t);
    double[] phi = new double[n];
    for (int i = 0; i < n; i++) {
      double ti = t[i];
      double xi = TruthResiduals.corruptedSign(res[i], s.tau);
      acc.totalAbs += Math.abs(ti);
      if (xi != 0) {
        acc.corrupted += xi * ti;
        phi[i] = xi;
        if (ti != 0) {
          acc.quadraticRadius = Math.min(acc.quadraticRadius, Math.abs(res[i]) / Math.abs(ti));
        }
      } else {
        acc.cleanAbs += Math.abs(ti);
        acc.cleanRows++;
        if (s.mu > 0) {
          double root = Math.sqrt(ti * ti + s.mu * s.mu);
          acc.cleanSmooth += root - s.mu;
          phi[i] = ti / root;
        } else {
          acc.cleanSmooth += Math.abs(ti);
          phi[i] = Math.signum(ti);
        }
      }
    }
    s.operator.addAdjoint(block, phi, s.z, s.z, s.c, acc.adjoint);
    acc.rows += n;
  }
}
