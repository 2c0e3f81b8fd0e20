package io.lowrank.model.sensing;

import io.lowrank.data.Block;
import io.lowrank.data.GaussianSensing;
import io.lowrank.data.PackedSymmetric;
import io.lowrank.linalg.Linalg;
import io.lowrank.model.Loss;
import java.util.Arrays;

/**
 * The dense symmetric Gaussian operator generated on the fly: blocks hold only y (Block.d = 0), and each task
 * regenerates the packed A_i of its rows from the counter-based stream (seed, i) in chunks of a few MB, then runs
 * the same two gemvs as {@link PackedGaussianOperator}. Memory is O(m) instead of O(m d²), at the price of p
 * Gaussian draws per measurement per pass (measured several times slower than reading stored values; see
 * the sensing section of README.md). Requires blocks laid out as {@link GaussianSensing#onTheFly} makes them (block b holds rows
 * b·blockRows onwards). As a {@link io.lowrank.model.factor.FactorOperator}, {@link #measure} and {@link #addAdjoint}
 * regenerate the rows each: a factored pass that calls both draws the A_i twice.
 */
public final class GeneratedGaussianOperator extends PackedGaussianOperator {
  private static final long serialVersionUID = 1L;
  private static final long CHUNK_BYTES = 2L << 20;
  private final long operatorSeed;
  private final int blockRows;

  /** The operator of an on-the-fly {@link GaussianSensing} instance. */
  public GeneratedGaussianOperator(GaussianSensing instance) {
    this(instance.d(), instance.m(), instance.operatorSeed(), instance.blockRows());
  }

  public GeneratedGaussianOperator(int d, long m, long operatorSeed, int blockRows) {
    super(d, m);
    if (blockRows < 1) {
      throw new IllegalArgumentException("block rows must be >= 1, got " + blockRows);
    }
    this.operatorSeed = operatorSeed;
    this.blockRows = blockRows;
  }

  @Override
  public String name() {
    return "generated";
  }

  @Override
  public void accumulate(SensingStats acc, Block block, double[] x, int r, double[] packedXxt, Loss loss) {
    requireOnTheFly(block);
    forEachChunk(block, (a, start, rows) -> fold(acc, a, rows, block.y, start, packedXxt, loss));
  }

  @Override
  public long bytesPerMeasurement() {
    return 0;
  }

  @Override
  public void measure(Block block, double[] p, double[] q, int c, double[] out) {
    requireOnTheFly(block);
    double[] packed = packedProduct(p, q, c);
    forEachChunk(block, (a, start, rows) -> {
      double[] z = new double[rows];
      Linalg.multiply(a, rows, packed.length, packed, z);
      System.arraycopy(z, 0, out, start, rows);
    });
  }

  @Override
  public void addAdjoint(Block block, double[] phi, double[] v, double[] u, int c, double[] acc) {
    requireOnTheFly(block);
    int p = aggregateLength();
    forEachChunk(block, (a, start, rows) -> Linalg.addTransposeTimes(1.0, a, rows, p,
        Arrays.copyOfRange(phi, start, start + rows), acc));
  }

  /** What is done with each regenerated chunk: its packed rows (column-major rows × p) and where they start. */
  private interface Chunk {
    void accept(double[] a, int start, int rows);
  }

  /** Regenerates the block's packed rows in chunks of about {@link #CHUNK_BYTES}. */
  private void forEachChunk(Block block, Chunk chunkAction) {
    int p = PackedSymmetric.length(d);
    int chunk = (int) Math.max(8, Math.min(block.rows, CHUNK_BYTES / (8L * p)));
    double[] buffer = new double[chunk * p];
    long first = block.id * blockRows;
    for (int start = 0; start < block.rows; start += chunk) {
      int rows = Math.min(chunk, block.rows - start);
      double[] a = rows == chunk ? buffer : new double[rows * p];
      GaussianSensing.fillPackedRows(operatorSeed, m, d, first + start, rows, a);
      chunkAction.accept(a, start, rows);
    }
  }

  private static void requireOnTheFly(Block block) {
    if (block.d != 0) {
      throw new IllegalArgumentException("block " + block.id + " stores sensing values (d = " + block.d
          + "); the generated operator expects y-only blocks");
    }
  }
}
