package io.lowrank.model.factor;

import io.lowrank.data.Block;
import io.lowrank.linalg.Linalg;

/**
 * Dense stored measurements: row i of a block is vec(A_i), column-major (Block.d = d1·d2, entry (r, s) of A_i at
 * r + s·d1), as a user's operator file or a generated Gaussian instance holds them. A pass costs two gemvs per block,
 * ⟨A_i, P Q^T⟩ = a_i · vec(P Q^T) and A*(φ) += a^T φ; the d1×d2 A*(φ) is applied to the factors once on the driver.
 * Symmetric: non-symmetric A_i act through (A_i + A_i^T)/2, which is what ⟨A_i, W W^T⟩ sees.
 */
public final class DenseOperator extends FactorShape {
  private static final long serialVersionUID = 1L;

  private DenseOperator(int d1, int d2, boolean symmetric) {
    super(d1, d2, symmetric);
    if ((long) d1 * d2 > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("dense operators need d1*d2 < 2^31, got " + d1 + "x" + d2);
    }
  }

  /** d×d matrices modelled as W W^T. */
  public static DenseOperator symmetric(int d) {
    return new DenseOperator(d, d, true);
  }

  /** d1×d2 matrices modelled as W1 W2^T. */
  public static DenseOperator asymmetric(int d1, int d2) {
    return new DenseOperator(d1, d2, false);
  }

  @Override
  public String name() {
    return "dense";
  }

  @Override
  public void measure(Block block, double[] p, double[] q, int c, double[] out) {
    requireWidth(block);
    double[] m = new double[d1 * d2];
    Linalg.gemm(false, true, d1, d2, c, 1.0, p, q, 0.0, m);
    if (symmetric && p != q) {
      Linalg.symmetricPart(m, d1);
    }
    double[] z = new double[block.rows];
    Linalg.multiply(block.a, block.rows, d1 * d2, m, z);
    System.arraycopy(z, 0, out, 0, block.rows);
  }

  @Override
  public int adjointLength(int c) {
    return d1 * d2;
  }

  @Override
  public void addAdjoint(Block block, double[] phi, double[] v, double[] u, int c, double[] acc) {
    requireWidth(block);
    Linalg.addTransposeTimes(1.0, block.a, block.rows, d1 * d2, phi, acc);
  }

  @Override
  public double[] applyAdjoint(double[] acc, double[] v, double[] u, int c) {
    if (symmetric) {
      double[] g = acc.clone();
      Linalg.symmetricPart(g, d1);
      double[] out = new double[d1 * c];
      Linalg.gemm(false, false, d1, c, d1, 1.0, g, v, 0.0, out);
      return out;
    }
    double[] out = new double[(d1 + d2) * c];
    double[] gv = new double[d1 * c];
    double[] gtu = new double[d2 * c];
    Linalg.gemm(false, false, d1, c, d2, 1.0, acc, v, 0.0, gv);
    Linalg.gemm(true, false, d2, c, d1, 1.0, acc, u, 0.0, gtu);
    System.arraycopy(gv, 0, out, 0, gv.length);
    System.arraycopy(gtu, 0, out, gv.length, gtu.length);
    return out;
  }

  @Override
  public long bytesPerMeasurement() {
    return 8L * (size() + 1);
  }

  private void requireWidth(Block block) {
    if (block.d != d1 * d2) {
      throw new IllegalArgumentException("block " + block.id + " has " + block.d + " sensing values per row, expected "
          + "d1*d2 = " + d1 * d2 + " for " + d1 + "x" + d2 + " matrices");
    }
  }
}
