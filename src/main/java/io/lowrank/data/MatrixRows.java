package io.lowrank.data;

/**
 * How a {@link Block} holds rows of a matrix Y (N × M) rather than measurements: {@code d = M} columns, the
 * {@code rows × M} slab of Y's rows column-major in {@code a}, and {@code y[i]} = the 0-based global row index of
 * the block's row i (an integer stored in a double, exact below 2^53; N is at most {@code Integer.MAX_VALUE}).
 * So a block knows where its rows go in Y y, whatever the partitioning or the order rows were read in; blocks
 * made by generators hold consecutive rows, which {@link #contiguousStart(Block)} detects so aggregates can ship
 * one offset instead of an index per row.
 */
public final class MatrixRows {
  private MatrixRows() {}

  /** The global row index of the block's row i. */
  public static int rowIndex(Block block, int i) {
    return (int) block.y[i];
  }

  /** The first global row index if the block's rows are consecutive (y[i] = y[0] + i), else −1. */
  public static int contiguousStart(Block block) {
    if (block.rows == 0) {
      return 0;
    }
    double start = block.y[0];
    for (int i = 1; i < block.rows; i++) {
      if (block.y[i] != start + i) {
        return -1;
      }
    }
    return (int) start;
  }

  /** The block's global row indices. */
  public static int[] rowIndices(Block block) {
    int[] idx = new int[block.rows];
    for (int i = 0; i < block.rows; i++) {
      idx[i] = (int) block.y[i];
    }
    return idx;
  }

  /** Rows per block for M columns: about 4 MB per block. */
  public static int defaultRows(int m) {
    return Block.defaultRows(m);
  }
}
