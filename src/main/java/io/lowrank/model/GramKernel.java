package io.lowrank.model;

import io.lowrank.data.Block;
import io.lowrank.linalg.Linalg;

/** Set-up pass: Σ a_i a_i^T (one syrk per block), Σ y_i and n. The state is the dimension d. */
public final class GramKernel implements BlockKernel<Integer, GramKernel.Stats> {
  private static final long serialVersionUID = 1L;

  /** Σ a_i a_i^T (full symmetric after {@link #finish}), Σ y_i and the row count. */
  public static final class Stats implements Aggregate<Stats> {
    private static final long serialVersionUID = 1L;
    public final int d;
    public final double[] gram;
    public double sumY;
    public long rows;

    Stats(int d) {
      this.d = d;
      this.gram = new double[d * d];
    }

    @Override
    public Stats merge(Stats other) {
      Linalg.axpy(1.0, other.gram, gram);
      sumY += other.sumY;
      rows += other.rows;
      return this;
    }

    /** Fills the lower triangle (syrk writes the upper one). */
    public Stats finish() {
      Linalg.symmetrize(gram, d);
      return this;
    }
  }

  @Override
  public Stats zero(Integer d) {
    return new Stats(d);
  }

  @Override
  public void add(Stats acc, Block block, Integer d) {
    Linalg.addGram(1.0, block.a, block.rows, block.d, acc.gram);
    for (int i = 0; i < block.rows; i++) {
      acc.sumY += block.y[i];
    }
    acc.rows += block.rows;
  }
}
