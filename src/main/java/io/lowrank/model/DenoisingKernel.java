package io.lowrank.model;

import io.lowrank.data.Block;
import io.lowrank.data.MatrixRows;
import io.lowrank.linalg.Linalg;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * The one pass of rank-one denoising over the row blocks of Y ({@link MatrixRows} layout) at (x, y): per block,
 * one gemv gives the block's slice of Y y and one transposed gemv adds the block's share of Y^T x, and x^T Y y is
 * summed on the way. Y y (length N) is not summed as a dense N-vector: each block contributes only its own rows
 * ({@link RowSlice}), so what travels up the tree is N numbers in total plus one M-vector per partition.
 */
public final class DenoisingKernel implements BlockKernel<DenoisingKernel.State, DenoisingKernel.Products> {
  private static final long serialVersionUID = 1L;

  /** The broadcast state: x ∈ R^N and y ∈ R^M. */
  public record State(double[] x, double[] y) implements Serializable {}

  /** Rows of Y y from one block: consecutive rows from {@code start} when {@code rows} is null, else at {@code rows}. */
  public record RowSlice(int start, int[] rows, double[] values) implements Serializable {}

  /** The products of one pass. */
  public static final class Products implements Aggregate<Products> {
    private static final long serialVersionUID = 1L;
    /** Rows folded. */
    public long rows;
    /** Y^T x (summed). */
    public final double[] yTx;
    /** x^T Y y. */
    public double xYy;
    /** The slices of Y y, one per block. */
    public final List<RowSlice> slices = new ArrayList<>();

    Products(int m) {
      this.yTx = new double[m];
    }

    @Override
    public Products merge(Products other) {
      rows += other.rows;
      Linalg.axpy(1.0, other.yTx, yTx);
      xYy += other.xYy;
      slices.addAll(other.slices);
      return this;
    }

    /**
     * Y y assembled as a dense N-vector.
     *
     * @throws IllegalArgumentException when a row index is outside [0, N) or a row is missing or repeated
     */
    public double[] yTimesY(int n) {
      if (rows != n) {
        throw new IllegalArgumentException("the matrix has " + rows + " rows, expected N = " + n);
      }
      double[] out = new double[n];
      boolean[] seen = new boolean[n];
      for (RowSlice s : slices) {
        for (int i = 0; i < s.values.length; i++) {
          int r = s.rows == null ? s.start + i : s.rows[i];
          if (r < 0 || r >= n || seen[r]) {
            throw new IllegalArgumentException("row index " + r + (r < 0 || r >= n ? " outside [0, " + n + ")"
                : " appears twice") + ": matrix rows must be indexed 0..N-1 exactly once");
          }
          seen[r] = true;
          out[r] = s.values[i];
        }
      }
      return out;
    }
  }

  @Override
  public Products zero(State s) {
    return new Products(s.y.length);
  }

  @Override
  public void add(Products acc, Block block, State s) {
    int rows = block.rows;
    if (block.d != s.y.length) {
      throw new IllegalArgumentException("block " + block.id + " has " + block.d + " columns, expected M = " + s.y.length);
    }
    double[] z = new double[rows];
    Linalg.multiply(block.a, rows, block.d, s.y, z);
    int start = MatrixRows.contiguousStart(block);
    int[] idx = start >= 0 ? null : MatrixRows.rowIndices(block);
    double[] xs = new double[rows];
    double dot = 0;
    for (int i = 0; i < rows; i++) {
      int r = idx == null ? start + i : idx[i];
      if (r < 0 || r >= s.x.length) {
        throw new IllegalArgumentException("block " + block.id + ": row index " + r + " outside [0, " + s.x.length + ")");
      }
      xs[i] = s.x[r];
      dot += xs[i] * z[i];
    }
    Linalg.addTransposeTimes(1.0, block.a, rows, block.d, xs, acc.yTx);
    acc.xYy += dot;
    acc.rows += rows;
    acc.slices.add(new RowSlice(start, idx, z));
  }
}
