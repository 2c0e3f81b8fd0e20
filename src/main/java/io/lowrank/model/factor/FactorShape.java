package io.lowrank.model.factor;

/**
 * The shape every factored operator shares: d1×d2 matrices, modelled as W W^T (symmetric, d1 = d2) or W1 W2^T.
 */
abstract class FactorShape implements FactorOperator {
  private static final long serialVersionUID = 1L;
  final int d1;
  final int d2;
  final boolean symmetric;

  FactorShape(int d1, int d2, boolean symmetric) {
    if (d1 < 1 || d2 < 1) {
      throw new IllegalArgumentException("matrix dimensions must be >= 1, got " + d1 + "x" + d2);
    }
    if (symmetric && d1 != d2) {
      throw new IllegalArgumentException("a symmetric model needs square matrices, got " + d1 + "x" + d2);
    }
    this.d1 = d1;
    this.d2 = d2;
    this.symmetric = symmetric;
  }

  @Override
  public int rows() {
    return d1;
  }

  @Override
  public int cols() {
    return d2;
  }

  @Override
  public boolean symmetric() {
    return symmetric;
  }
}
