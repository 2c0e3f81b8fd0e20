package io.lowrank.model.factor;

import io.lowrank.data.AsymmetricGaussianSensing;
import io.lowrank.data.Block;
import io.lowrank.data.GaussianSensing;

/**
 * The asymmetric Gaussian operator generated on the fly: blocks hold only y (Block.d = 0), and each task regenerates
 * vec(A_i) of its rows from the counter-based stream (operator seed, i) ({@link GaussianSensing#fillRows}), then
 * runs {@link DenseOperator}'s two gemvs on them. Memory is O(m) instead of O(m d1 d2), at the price of d1·d2 Gaussian
 * draws per measurement per pass. The loss pass calls {@link #measure} and then {@link #addAdjoint} on the same block:
 * the rows regenerated for the first are kept (one block per thread) for the second, so a pass draws each A_i once.
 * Requires blocks laid out as {@link AsymmetricGaussianSensing#onTheFly} makes them (block b holds rows
 * b·blockRows onwards).
 */
public final class GeneratedDenseOperator implements FactorOperator {
  private static final long serialVersionUID = 1L;
  private final DenseOperator dense;
  private final long m;
  private final long operatorSeed;
  private final int blockRows;
  // The last block's regenerated rows, per thread: measure fills it, addAdjoint of the same block reads it.
  private transient ThreadLocal<Generated> last;

  private record Generated(long id, double[] a) {}

  /** The operator of an on-the-fly {@link AsymmetricGaussianSensing} instance. */
  public GeneratedDenseOperator(AsymmetricGaussianSensing instance) {
    this(instance.truth().d1(), instance.truth().d2(), instance.m(), instance.operatorSeed(), instance.blockRows());
  }

  public GeneratedDenseOperator(int d1, int d2, long m, long operatorSeed, int blockRows) {
    if (blockRows < 1 || m < 1) {
      throw new IllegalArgumentException("block rows and m must be >= 1, got " + blockRows + " and " + m);
    }
    this.dense = DenseOperator.asymmetric(d1, d2);
    this.m = m;
    this.operatorSeed = operatorSeed;
    this.blockRows = blockRows;
  }

  @Override
  public String name() {
    return "generated";
  }

  @Override
  public int rows() {
    return dense.rows();
  }

  @Override
  public int cols() {
    return dense.cols();
  }

  @Override
  public boolean symmetric() {
    return false;
  }

  @Override
  public void measure(Block block, double[] p, double[] q, int c, double[] out) {
    dense.measure(regenerate(block, true), p, q, c, out);
  }

  @Override
  public int adjointLength(int c) {
    return dense.adjointLength(c);
  }

  @Override
  public void addAdjoint(Block block, double[] phi, double[] v, double[] u, int c, double[] acc) {
    dense.addAdjoint(regenerate(block, false), phi, v, u, c, acc);
  }

  @Override
  public double[] applyAdjoint(double[] acc, double[] v, double[] u, int c) {
    return dense.applyAdjoint(acc, v, u, c);
  }

  @Override
  public long bytesPerMeasurement() {
    return 0;
  }

  /** The block with its rows vec(A_i) regenerated (or taken from the thread's last block and released). */
  private Block regenerate(Block block, boolean keep) {
    if (block.d != 0) {
      throw new IllegalArgumentException("block " + block.id + " stores sensing values (d = " + block.d
          + "); the generated operator expects y-only blocks");
    }
    if (last == null) {
      last = new ThreadLocal<>();
    }
    Generated g = last.get();
    int width = dense.rows() * dense.cols();
    double[] a;
    if (g != null && g.id() == block.id && g.a().length == block.rows * width) {
      a = g.a();
    } else {
      a = new double[block.rows * width];
      GaussianSensing.fillRows(operatorSeed, m, width, block.id * blockRows, block.rows, a);
    }
    last.set(keep ? new Generated(block.id, a) : null);
    return new Block(block.id, block.rows, width, a, block.y);
  }
}
