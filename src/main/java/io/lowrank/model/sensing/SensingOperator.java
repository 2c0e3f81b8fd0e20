package io.lowrank.model.sensing;

import io.lowrank.data.Block;
import io.lowrank.linalg.Linalg;
import io.lowrank.model.Loss;
import java.io.Serializable;

/**
 * A linear sensing operator A: S^d → R^m, M ↦ (⟨A_i, M⟩)_i, with A_i symmetric, as the per-block math of one pass.
 * Solvers never see which operator it is: they read G = Σ ψ(r_i) A_i (d×d) and Σ ρ(r_i) from a {@link SensingKernel}
 * pass, ρ the pass's {@link Loss} (ψ(r) = r for ℓ2). Implementations are small serializable values shipped with the
 * broadcast state; the loss travels beside them in the kernel state, never inside an operator.
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
   * Folds one block at X under {@code loss}: r_i = ⟨A_i, XX^T⟩ − ỹ_i (ỹ the operator-scaled responses),
   * acc.sum += Σ ψ(r_i) A_i (in the operator's layout), acc.sumLoss += Σ ρ(r_i), acc.sumSquares += Σ r_i²,
   * acc.sumResiduals += Σ r_i. One pass, the same BLAS work for every loss.
   */
  void accumulate(SensingStats acc, Block block, double[] x, int r, double[] prepared, Loss loss);

  /** {@link #accumulate(SensingStats, Block, double[], int, double[], Loss)} under the ℓ2 loss. */
  default void accumulate(SensingStats acc, Block block, double[] x, int r, double[] prepared) {
    accumulate(acc, block, x, r, prepared, Loss.l2());
  }

  /**
   * The factor c with r_i = c·(⟨a, M⟩ − y_i) in the units of the responses y as given: 1 when the stored responses
   * are the operator's own (Gaussian), 1/√(2m) for rank-one. A threshold given in the units of y (Huber's δ) is
   * c·δ on the residuals a pass sees.
   */
  default double responseScale() {
    return 1.0;
  }

  /** G = Σ ψ(r_i) A_i as a full symmetric d×d matrix (column-major) from a pass's sum. */
  double[] symmetricMatrix(SensingStats stats);

  /**
   * The matrix D the solvers step with (X ← X − η D X (X^T X + λI)^{-1}): G itself for isotropic operators, whose
   * E[G] = XX^T − M* = Δ. An operator with E[G] = Δ + (bias) overrides it to remove the bias (rank-one:
   * tr(Δ) I/2), so that every operator looks isometric to the step and one η serves them all. ∇f = G X stays the
   * loss's gradient. The bias removal is the ℓ2 loss's (it reads Σ r_i): solvers of other losses step with G.
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
