package io.lowrank.model.sensing;

import io.lowrank.data.Block;
import io.lowrank.data.PackedSymmetric;
import io.lowrank.linalg.Linalg;
import io.lowrank.model.Loss;
import io.lowrank.model.factor.FactorOperator;

/**
 * The stored dense symmetric Gaussian operator: blocks of packed A_i ({@link PackedSymmetric}, so Block.d is
 * p = d(d+1)/2). Per block: ⟨A_i, XX^T⟩ for all rows is one gemv with packed XX^T, and packed Σ ψ(r_i) A_i one
 * transposed gemv — O(p) = O(d²/2) flops per measurement, never Σ r_i A_i X per measurement. The loss only
 * rewrites the gemv's output in place (r_i → ψ(r_i)) between the two gemvs.
 *
 * <p>It is also a symmetric {@link FactorOperator} (for the factored passes and the landscape probes): ⟨A_i, P Q^T⟩
 * is the same gemv with the packed symmetric part of P Q^T, and A*(φ) = Σ φ_i A_i is accumulated packed (length p)
 * and unpacked once on the driver before it multiplies the factor. The packing scales off-diagonal entries by √2 on
 * both sides ({@link PackedSymmetric}), so a packed dot product is ⟨A, M⟩ and a packed sum Σ φ_i a_i unpacks to
 * Σ φ_i A_i.
 */
public class PackedGaussianOperator implements SensingOperator, FactorOperator {
  private static final long serialVersionUID = 1L;
  protected final int d;
  protected final long m;

  /**
   * @param d matrix dimension
   * @param m number of measurements (the normalisation 1/m is already in the stored values)
   */
  public PackedGaussianOperator(int d, long m) {
    if (d < 1) {
      throw new IllegalArgumentException("d must be >= 1, got " + d);
    }
    if (m < 1) {
      throw new IllegalArgumentException("m must be >= 1, got " + m);
    }
    this.d = d;
    this.m = m;
  }

  @Override
  public String name() {
    return "gaussian";
  }

  @Override
  public int d() {
    return d;
  }

  @Override
  public long m() {
    return m;
  }

  @Override
  public int aggregateLength() {
    return PackedSymmetric.length(d);
  }

  /** Packed XX^T. */
  @Override
  public double[] prepare(double[] x, int r) {
    double[] xxt = new double[d * d];
    Linalg.gemm(false, true, d, d, r, 1.0, x, x, 0.0, xxt);
    return PackedSymmetric.pack(xxt, d);
  }

  @Override
  public void accumulate(SensingStats acc, Block block, double[] x, int r, double[] packedXxt, Loss loss) {
    int p = aggregateLength();
    if (block.d != p) {
      throw new IllegalArgumentException("block " + block.id + " has " + block.d + " columns, expected the packed "
          + "dimension d(d+1)/2 = " + p + " for d = " + d);
    }
    fold(acc, block.a, block.rows, block.y, 0, packedXxt, loss);
  }

  /**
   * Folds {@code rows} packed rows (column-major {@code rows x p}) with responses y[yOffset..] under {@code loss}:
   * gemv for ⟨A_i, XX^T⟩, r_i → ψ(r_i) in place, transposed gemv for Σ ψ(r_i) A_i.
   */
  protected final void fold(SensingStats acc, double[] a, int rows, double[] y, int yOffset, double[] packedXxt,
      Loss loss) {
    int p = packedXxt.length;
    double[] res = new double[rows];
    Linalg.multiply(a, rows, p, packedXxt, res);
    double ss = 0;
    double s = 0;
    for (int i = 0; i < rows; i++) {
      double ri = res[i] - y[yOffset + i];
      res[i] = ri;
      ss += ri * ri;
      s += ri;
    }
    acc.sumLoss += loss.toWeights(res, rows);
    Linalg.addTransposeTimes(1.0, a, rows, p, res, acc.sum);
    acc.sumSquares += ss;
    acc.sumResiduals += s;
    acc.rows += rows;
  }

  @Override
  public double[] symmetricMatrix(SensingStats stats) {
    return PackedSymmetric.unpack(stats.sum, d);
  }

  /** E[Σ y_i A_i] = M*: the estimate is −G at X = 0. */
  @Override
  public long bytesPerMeasurement() {
    return 8L * aggregateLength();
  }

  // FactorOperator: the symmetric model W W^T over the same packed blocks.

  @Override
  public int rows() {
    return d;
  }

  @Override
  public int cols() {
    return d;
  }

  @Override
  public boolean symmetric() {
    return true;
  }

  @Override
  public void measure(Block block, double[] p, double[] q, int c, double[] out) {
    requirePacked(block);
    double[] z = new double[block.rows];
    Linalg.multiply(block.a, block.rows, aggregateLength(), packedProduct(p, q, c), z);
    System.arraycopy(z, 0, out, 0, block.rows);
  }

  @Override
  public int adjointLength(int c) {
    return aggregateLength();
  }

  @Override
  public void addAdjoint(Block block, double[] phi, double[] v, double[] u, int c, double[] acc) {
    requirePacked(block);
    Linalg.addTransposeTimes(1.0, block.a, block.rows, aggregateLength(), phi, acc);
  }

  @Override
  public double[] applyAdjoint(double[] acc, double[] v, double[] u, int c) {
    double[] out = new double[d * c];
    Linalg.gemm(false, false, d, c, d, 1.0, PackedSymmetric.unpack(acc, d), v, 0.0, out);
    return out;
  }

  /** The packed symmetric part of P Q^T (d×c factors, column-major): what a packed row is dotted with. */
  protected final double[] packedProduct(double[] p, double[] q, int c) {
    if (p.length != d * c || q.length != d * c) {
      throw new IllegalArgumentException("factors must be " + d + "x" + c + " (" + d * c + " values), got "
          + p.length + " and " + q.length);
    }
    double[] m = new double[d * d];
    Linalg.gemm(false, true, d, d, c, 1.0, p, q, 0.0, m);
    if (p != q) {
      // pack reads the upper triangle: put the symmetric part (M + M^T)/2 there.
      for (int k = 0; k < d; k++) {
        for (int j = 0; j < k; j++) {
          m[j + k * d] = 0.5 * (m[j + k * d] + m[k + j * d]);
        }
      }
    }
    return PackedSymmetric.pack(m, d);
  }

  private void requirePacked(Block block) {
    if (block.d != aggregateLength()) {
      throw new IllegalArgumentException("block " + block.id + " has " + block.d + " columns, expected the packed "
          + "dimension d(d+1)/2 = " + aggregateLength() + " for d = " + d);
    }
  }
}
