package io.lowrank.data;

import java.io.Serializable;

/**
 * How a generator cuts its {@code rows} measurements into blocks of {@code blockRows} (the last one shorter):
 * block b holds rows [b·blockRows, min((b+1)·blockRows, rows)).
 */
public record BlockLayout(long rows, int blockRows) implements Serializable {
  public BlockLayout {
    if (rows < 1) {
      throw new IllegalArgumentException("the number of rows must be >= 1, got " + rows);
    }
    if (blockRows < 1) {
      throw new IllegalArgumentException("block rows must be >= 1, got " + blockRows);
    }
  }

  /** Number of blocks. */
  public int count() {
    return (int) ((rows + blockRows - 1) / blockRows);
  }

  /** The first row of block {@code b}; throws for an index outside [0, count()). */
  public long first(int b) {
    if (b < 0 || b >= count()) {
      throw new IllegalArgumentException("block index " + b + " outside [0, " + count() + ")");
    }
    return (long) b * blockRows;
  }

  /** Rows in block {@code b}. */
  public int rowsIn(int b) {
    return (int) Math.min(blockRows, rows - first(b));
  }
}
