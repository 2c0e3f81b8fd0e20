package io.lowrank.model.sensing;

import io.lowrank.data.Block;
import io.lowrank.data.PackedSymmetric;
import io.lowrank.linalg.Linalg;
import io.lowrank.model.Loss;

/**
 * The stored dense symmetric Gaussian operator: blocks of packed A_i ({@link PackedSymmetric}, so Block.d is
 * p = d(d+1)/2). Per block: ⟨A_i, XX^T⟩ for all rows is one gemv with packed XX^T, and packed Σ ψ(r_i) A_i one
 * transposed gemv — O(p) = O(d²/2) flops per measurement, never Σ r_i A_i X per measurement. The loss only
 * rewrites the gemv's output in place (r_i → ψ(r_i)) between the two gemvs.
 */
public class PackedGaussianOperator implements SensingOperator {
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
}
