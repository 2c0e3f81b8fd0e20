package io.lowrank.model.factor;

import io.lowrank.data.Block;

/**
 * Weighted sparse entries: measurement e observes entry (i_e, j_e) with weight w_e. Asymmetric, A_e = w_e e_i e_j^T
 * (⟨A_e, M⟩ = w_e M_ij: matrix completion); symmetric, A_e = w_e (e_i e_j^T + e_j e_i^T)/2 (⟨A_e, W W^T⟩ = w_e W_i·W_j:
 * symmetric completion, and the perturbed completion of the spurious-minima literature, which lists both (i, j) and
 * (j, i)). Block layout: Block.d = 3, columns i, j, w as doubles (exact below 2^53), then y. A measurement costs 32
 * bytes, never a dense d1×d2 vector, and the adjoint is applied in the pass (d1×c, d2×c), never formed.
 */
public final class EntryOperator extends FactorShape {
  private static final long serialVersionUID = 1L;
  /** Block.d of an entry block: the columns i, j, w. */
  public static final int WIDTH = 3;


  private EntryOperator(int d1, int d2, boolean symmetric) {
    super(d1, d2, symmetric);
  }

  /** Entries of a d×d matrix modelled as W W^T. */
  public static EntryOperator symmetric(int d) {
    return new EntryOperator(d, d, true);
  }

  /** Entries of a d1×d2 matrix modelled as W1 W2^T. */
  public static EntryOperator asymmetric(int d1, int d2) {
    return new EntryOperator(d1, d2, false);
  }

  @Override
  public String name() {
    return "entries";
  }

  @Override
  public void measure(Block block, double[] p, double[] q, int c, double[] out) {
    requireEntries(block);
    int n = block.rows;
    double[] a = block.a;
    double[] pr = rowMajor(p, d1, c);
    double[] qr = p == q ? pr : rowMajor(q, d2, c);
    for (int e = 0; e < n; e++) {
      int i = index(block, e, a[e], d1, "i");
      int j = index(block, e, a[e + n], d2, "j");
      double w = a[e + 2 * n];
      double v = dot(pr, i * c, qr, j * c, c);
      if (symmetric && p != q) {
        v = 0.5 * (v + dot(pr, j * c, qr, i * c, c));
      }
      out[e] = w * v;
    }
  }

  @Override
  public int adjointLength(int c) {
    return symmetric ? d1 * c : (d1 + d2) * c;
  }

  @Override
  public void addAdjoint(Block block, double[] phi, double[] v, double[] u, int c, double[] acc) {
    requireEntries(block);
    int n = block.rows;
    double[] a = block.a;
    double[] vr = rowMajor(v, d2, c);
    double[] ur = symmetric ? null : rowMajor(u, d1, c);
    // The accumulator is row-major (row i's c values together, where each entry scatters), column-major only when
    // applyAdjoint finishes it.
    int rightOffset = d1 * c;
    for (int e = 0; e < n; e++) {
      int i = index(block, e, a[e], d1, "i");
      int j = index(block, e, a[e + n], d2, "j");
      double s = phi[e] * a[e + 2 * n];
      if (s == 0) {
        continue;
      }
      if (symmetric) {
        double h = 0.5 * s;
        axpy(h, vr, j * c, acc, i * c, c);
        axpy(h, vr, i * c, acc, j * c, c);
      } else {
        axpy(s, vr, j * c, acc, i * c, c);
        axpy(s, ur, i * c, acc, rightOffset + j * c, c);
      }
    }
  }

  /** The row-major accumulator in column-major order: G V (d1×c), then G^T U (d2×c) when asymmetric. */
  @Override
  public double[] applyAdjoint(double[] acc, double[] v, double[] u, int c) {
    double[] out = new double[acc.length];
    toColumnMajor(acc, 0, d1, c, out);
    if (!symmetric) {
      toColumnMajor(acc, d1 * c, d2, c, out);
    }
    return out;
  }

  @Override
  public long bytesPerMeasurement() {
    return 8L * (WIDTH + 1);
  }

  private static void requireEntries(Block block) {
    if (block.d != WIDTH) {
      throw new IllegalArgumentException("block " + block.id + " has " + block.d + " columns; entry blocks hold "
          + "i, j, w (" + WIDTH + ")");
    }
  }

  private static int index(Block block, int e, double value, int bound, String name) {
    int k = (int) value;
    if (k != value || k < 0 || k >= bound) {
      throw new IllegalArgumentException("block " + block.id + ", entry " + e + ": " + name + " = " + value
          + " is not an integer in [0, " + bound + ")");
    }
    return k;
  }

  private static double[] rowMajor(double[] x, int rows, int c) {
    if (x.length != rows * c) {
      throw new IllegalArgumentException("factor must be " + rows + "x" + c + " (" + rows * c + " values), got "
          + x.length);
    }
    if (c == 1) {
      return x;
    }
    double[] t = new double[rows * c];
    for (int k = 0; k < c; k++) {
      for (int r = 0; r < rows; r++) {
        t[r * c + k] = x[r + k * rows];
      }
    }
    return t;
  }

  private static void toColumnMajor(double[] rowMajor, int offset, int rows, int c, double[] out) {
    for (int k = 0; k < c; k++) {
      for (int r = 0; r < rows; r++) {
        out[offset + r + k * rows] = rowMajor[offset + r * c + k];
      }
    }
  }

  private static double dot(double[] x, int xo, double[] y, int yo, int c) {
    double s = 0;
    for (int k = 0; k < c; k++) {
      s += x[xo + k] * y[yo + k];
    }
    return s;
  }

  private static void axpy(double alpha, double[] x, int xo, double[] y, int yo, int c) {
    for (int k = 0; k < c; k++) {
      y[yo + k] += alpha * x[xo + k];
    }
  }
}
