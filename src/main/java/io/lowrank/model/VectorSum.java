package io.lowrank.model;

/** A sum of d-vectors over the blocks (e.g. Σ w_i a_i). */
public final class VectorSum implements Aggregate<VectorSum> {
  private static final long serialVersionUID = 1L;
  public final double[] sum;

  public VectorSum(int d) {
    this.sum = new double[d];
  }

  @Override
  public VectorSum merge(VectorSum other) {
    for (int j = 0; j < sum.length; j++) {
      sum[j] += other.sum[j];
    }
    return this;
  }
}
