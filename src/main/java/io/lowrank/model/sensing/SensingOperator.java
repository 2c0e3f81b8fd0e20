package io.lowrank.model.sensing;

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
   * An unbiased estimate of M* from the pass at X = 0 (where r_i = −ỹ_i): −G for isotropic operators, with the
   * bias of E[Σ ỹ_i A_i] removed otherwise (rank-one). Its top eigenpairs are the spectral initialisation.
   */
  double[] spectralMatrix(SensingStats atZero);

  /** Bytes of sensing values one measurement takes in memory (0 when generated on the fly). */
  long bytesPerMeasurement();
}
