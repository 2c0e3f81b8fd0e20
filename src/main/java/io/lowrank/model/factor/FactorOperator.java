package io.lowrank.model.factor;

import io.lowrank.data.Block;
import java.io.Serializable;

/**
 * A linear operator A: R^{d1×d2} → R^m, M ↦ (⟨A_i, M⟩)_i, as two per-block primitives from which every pass is
 * built: {@link #measure} (⟨A_i, P Q^T⟩ for the block's rows) and {@link #addAdjoint} (the block's share of
 * A*(φ) = Σ φ_i A_i, already applied to factors). A symmetric operator models M = W W^T with d1 = d2 and acts through
 * the symmetric part of each A_i (⟨A, W W^T⟩ = ⟨(A + A^T)/2, W W^T⟩); an asymmetric one models M = W1 W2^T.
 * Implementations are small serializable values shipped in a kernel's state; how a measurement is stored in a
 * {@link Block} is each implementation's documented layout.
 */
public interface FactorOperator extends Serializable {
  /** Short name for logs and summaries (entries, gaussian, file). */
  String name();

  /** Rows d1 of the sensed matrix. */
  int rows();

  /** Columns d2 of the sensed matrix (= rows when symmetric). */
  int cols();

  /** True when the model is W W^T and A acts through the symmetric parts of the A_i. */
  boolean symmetric();

  /**
   * out[i] = ⟨A_i, P Q^T⟩ for the block's rows i (the symmetric part of A_i when {@link #symmetric()}).
   *
   * @param p d1×c, column-major
   * @param q d2×c, column-major (the same array as p for W W^T)
   * @param out at least block.rows values, overwritten
   */
  void measure(Block block, double[] p, double[] q, int c, double[] out);

  /** Length of the accumulator {@link #addAdjoint} folds into, for factors of c columns. */
  int adjointLength(int c);

  /**
   * acc += this block's share of A*(φ) applied to the factors (in the operator's layout, finished by
   * {@link #applyAdjoint}). Dense operators accumulate A*(φ) itself and ignore v and u; sparse ones the products.
   *
   * @param phi one weight per row of the block
   * @param v d2×c (the factor A*(φ) multiplies)
   * @param u d1×c (the factor A*(φ)^T multiplies); ignored when symmetric
   */
  void addAdjoint(Block block, double[] phi, double[] v, double[] u, int c, double[] acc);

  /**
   * From a merged accumulator: A*(φ)·V (d1×c) and, when asymmetric, A*(φ)^T·U (d2×c) after it, in one array
   * (symmetric: the symmetric part of A*(φ) times V, d×c).
   */
  double[] applyAdjoint(double[] acc, double[] v, double[] u, int c);

  /** Bytes one measurement takes in memory. */
  long bytesPerMeasurement();

  /** d1·d2, checked against overflow. */
  default long size() {
    return (long) rows() * cols();
  }
}
