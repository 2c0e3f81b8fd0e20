package io.lowrank.engine;

import io.lowrank.model.Aggregate;
import io.lowrank.model.BlockKernel;
import java.io.Serializable;

/**
 * Cached measurements plus the one operation every solver iterates on: a pass that ships the small state to
 * every block, folds each block with a kernel and merges the partial aggregates. Implemented on Spark
 * ({@link SparkEngine}) and in one JVM ({@link LocalEngine}); solvers see only this interface.
 */
public interface Engine extends AutoCloseable {
  /**
   * Runs one pass over all blocks.
   *
   * @param description what the pass is for (shown in the Spark UI), e.g. {@code "bwgd iter 3: amplitude"}
   */
  <S extends Serializable, A extends Aggregate<A>> A pass(String description, S state, BlockKernel<S, A> kernel);

  /** Number of measurements n. */
  long rows();

  /** Dimension d of each sensing vector. */
  int dimension();

  /** Number of partitions (1 for the in-process backend). */
  int partitions();

  /** Where the passes run: the Spark master URL, or {@code "in-process"}. */
  String master();

  /** Passes run so far. */
  long passes();

  /** Bytes of the cached blocks (sensing values and responses). */
  long cachedBytes();

  /** Releases the cached blocks. */
  @Override
  void close();
}
