package io.lowrank.data;

import java.io.Serializable;

/**
 * A dense slab of measurements: {@code rows} sensing vectors of length {@code d}, stored column-major in
 * one array (entry (i, j) at {@code a[i + j * rows]}), and their responses {@code y}. Blocks are the unit of
 * storage, caching and BLAS work; no per-measurement objects exist anywhere in a pass.
 */
public final class Block implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Identifier unique within one data set (used to fingerprint per-row quantities across passes). */
  public final long id;
  public final int rows;
  public final int d;
  /** Sensing values, column-major {@code rows x d}. */
  public final double[] a;
  /** Responses, one per row. */
  public final double[] y;

  public Block(long id, int rows, int d, double[] a, double[] y) {
    if (a.length != (long) rows * d || y.length != rows) {
      throw new IllegalArgumentException("block " + id + ": expected " + rows + "x" + d + " values and " + rows
          + " responses, got " + a.length + " and " + y.length);
    }
    this.id = id;
    this.rows = rows;
    this.d = d;
    this.a = a;
    this.y = y;
  }

  /** Entry (i, j) of the sensing matrix. */
  public double a(int i, int j) {
    return a[i + j * rows];
  }

  /** Bytes held by the arrays of this block. */
  public long bytes() {
    return 8L * (a.length + y.length);
  }

  /** Rows per block so that one block holds about {@code targetBytes} of sensing values (at least 64 rows). */
  public static int rowsFor(int d, long targetBytes) {
    long rows = targetBytes / (8L * Math.max(1, d));
    return (int) Math.max(64, Math.min(1 << 16, rows));
  }

  /** The default block size: about 4 MB of sensing values. */
  public static int defaultRows(int d) {
    return rowsFor(d, 4L << 20);
  }
}
