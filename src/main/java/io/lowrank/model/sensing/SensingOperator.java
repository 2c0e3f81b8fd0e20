package io.lowrank.model.sensing;

import io.lowrank.linalg.Linalg;
import io.lowrank.data.Block;
import java.io.Serializable;

/**
 * A linear sensing operator A: S^d → R^m, M ↦ (⟨A_i, M⟩)_i, with A_i symmetric, as the per-block math of one pass.
 * Solvers never see which operator it is: they read G = Σ r_i A_i (d×d) and Σ r_i² from a {@link SensingKernel} pass.
 * Implementations are small serializable values shipped with the broadcast state.
 */
public interface SensingOperator extends Serializable {
  /** Short name: gaussian, generated, rank-one. */
  String name();

  /** Matrix dimension d. */
  int d();

  /** Number of measurements m the operator is normalised for. */
  long m();

  /** Length of {@link SensingStats#sum} (the operator's own layout of G, e.g. packed). */
  int aggregateLength();

  /**
   * Anything the executors need at X that is cheap to form once on the driver (e.g. packed XX^T), or null.
   *
   * @param x the iterate, d×r column-major
   */
  double[] prepare(double[] x, int r);

  /**
   * Folds one block at X: r_i = ⟨A_i, XX^T⟩ − ỹ_i (ỹ the operator-scaled responses), acc.sum += Σ r_i A_i (in
   * the operator's layout), acc.sumSquares += Σ r_i², acc.sumResiduals += Σ r_i.
   */
  void accumulate(SensingStats acc, Block block, double[] x, int r, double[] prepared);

  /** G = Σ r_i A_i as a full symmetric d×d matrix (column-major) from a pass's sum. */
  double[] symmetricMatrix(SensingStats stats);

  /**
   * The matrix D the solvers step with (X ← X − η D X (X^T X + λI)^{-1}): G itself for isotropic operators, whose
   * E[G] = XX^T − M* = Δ. An operator with E[G] = Δ + (bias) overrides it to remove the bias (rank-one:
   * tr(Δ) I/2), so that every operator looks isometric to the step and one η serves them all. ∇f = G X stays the
   * loss's gradient.
   */
  default double[] stepMatrix(SensingStats stats) {
    return symmetricMatrix(stats);
  }

  /**
   * An unbiased estimate of M* from the pass at X = 0, where Δ = −M*: −{@link #stepMatrix}. Its top eigenpairs are
   * the spectral initialisation.
   */
  default double[] spectralMatrix(SensingStats atZero) {
    return Linalg.scaled(-1.0, stepMatrix(atZero));
  }

  /** Bytes of sensing values one measurement takes in memory (0 when generated on the fly). */
  long bytesPerMeasurement();
}
