package io.lowrank.data;

import java.io.Serializable;

/** Blocks computed from their index alone (seeded generators): any executor can rebuild any block, lost or not. */
public interface BlockSource extends Serializable {
  int blockCount();

  /** Block {@code b}, 0 ≤ b &lt; {@link #blockCount()}; the same whoever asks. */
  Block block(int b);
}
