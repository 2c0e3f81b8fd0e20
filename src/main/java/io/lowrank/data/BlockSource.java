package io.lowrank.data;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/** Blocks computed from their index alone (seeded generators): any executor can rebuild any block, lost or not. */
public interface BlockSource extends Serializable {
  int blockCount();

  /** Block {@code b}, 0 ≤ b &lt; {@link #blockCount()}; the same whoever asks. */
  Block block(int b);

  /** All blocks, in order (for the in-process backend). */
  default List<Block> blocks() {
    List<Block> list = new ArrayList<>(blockCount());
    for (int b = 0; b < blockCount(); b++) {
      list.add(block(b));
    }
    return list;
  }

  /** Checks the σ of a generator's additive Gaussian noise: finite and ≥ 0. */
  static double checkNoise(double noise) {
    if (!(noise >= 0) || Double.isInfinite(noise)) {
      throw new IllegalArgumentException("noise must be finite and >= 0, got " + noise);
    }
    return noise;
  }
}
