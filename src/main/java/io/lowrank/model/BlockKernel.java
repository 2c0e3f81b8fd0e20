package io.lowrank.model;

import io.lowrank.data.Block;
import java.io.Serializable;
import java.util.Iterator;

/**
 * The per-block math of one pass: given the broadcast state {@code S} (the small iterate), fold every block
 * of a partition into an aggregate {@code A}. Kernels hold no mutable state of their own, so the same kernel
 * runs unchanged in Spark tasks and in the in-process backend.
 */
public interface BlockKernel<S, A extends Aggregate<A>> extends Serializable {
  /** An empty aggregate for this state. */
  A zero(S state);

  /** Folds one block into {@code acc}. */
  void add(A acc, Block block, S state);

  /**
   * Folds {@code blocks} into one sealed aggregate: what one partition (Spark) or one thread (in-process)
   * contributes to a pass.
   */
  default A fold(Iterator<Block> blocks, S state) {
    A acc = zero(state);
    while (blocks.hasNext()) {
      add(acc, blocks.next(), state);
    }
    return acc.seal();
  }
}
