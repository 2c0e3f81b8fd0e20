package io.lowrank.io;

import io.lowrank.data.Block;
import io.lowrank.data.BlockSource;

/**
 * A generated Gaussian sensing instance in an operator file's row layout: vec(A_i) column-major and y_i per row (Block.d
 * = d1·d2), the instance's normalised values divided by c (packed symmetric rows unpacked by
 * {@link OperatorFile#unpackedRows}, vec(A_i) rows scaled by {@link OperatorFile#unitScale}). With c = 1/√m these are
 * the unit-scale rows {@code lowrank generate --kind sensing} writes; with c = 1 the normalised operator itself
 * (E‖A(M)‖² = ‖M‖_F²) as {@code model.factor.DenseOperator} blocks, which the escape runs on.
 */
public final class OperatorRows implements BlockSource {
  private static final long serialVersionUID = 1L;
  private final BlockSource instance;
  private final int packedD;
  private final double c;

  private OperatorRows(BlockSource instance, int packedD, double c) {
    this.instance = instance;
    this.packedD = packedD;
    this.c = c;
  }

  /**
   * The unit-scale rows of an operator file (c = 1/√m).
   *
   * @param packedD d of packed symmetric blocks, 0 for blocks of vec(A_i)
   */
  public static OperatorRows unitScale(BlockSource instance, long m, int packedD) {
    return new OperatorRows(instance, packedD, 1.0 / Math.sqrt(m));
  }

  /** The normalised d×d A_i of packed symmetric blocks as vec(A_i) rows (c = 1). */
  public static OperatorRows normalised(BlockSource packedInstance, int d) {
    return new OperatorRows(packedInstance, d, 1.0);
  }

  /** c: the rows are the instance's values divided by it. */
  public double c() {
    return c;
  }

  @Override
  public int blockCount() {
    return instance.blockCount();
  }

  @Override
  public Block block(int b) {
    Block block = instance.block(b);
    return packedD > 0 ? OperatorFile.unpackedRows(block, packedD, c) : OperatorFile.unitScale(block, c);
  }
}
