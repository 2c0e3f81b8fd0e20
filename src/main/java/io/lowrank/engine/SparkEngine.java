package io.lowrank.engine;

import io.lowrank.data.Block;
import io.lowrank.data.BlockSource;
import io.lowrank.model.Aggregate;
import io.lowrank.model.BlockKernel;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.storage.RDDInfo;
import org.apache.spark.storage.StorageLevel;

/**
 * The Spark backend: blocks cached on the executors, each pass one job of {@code mapPartitions} (fold the
 * partition's blocks into one aggregate) and a reduce of the partials ({@code treeReduce} beyond 16 partitions),
 * with the state broadcast for the job and destroyed after it.
 */
public final class SparkEngine implements Engine {
  private static final int TREE_DEPTH = 2;
  // Up to this many partitions the driver merges the partial aggregates itself: a tree level costs more than it saves.
  private static final int FLAT_REDUCE_PARTITIONS = 16;

  private final JavaSparkContext jsc;
  private final JavaRDD<Block> blocks;
  private final long rows;
  private final int d;
  private final String jobGroup;
  private long passes;

  /**
   * Caches {@code blocks} and counts them (one job).
   *
   * @param jobGroup label for the Spark UI job group (e.g. the solver name)
   */
  public SparkEngine(JavaSparkContext jsc, JavaRDD<Block> blocks, String jobGroup, StorageLevel level) {
    this.jsc = jsc;
    this.jobGroup = jobGroup;
    this.blocks = blocks.persist(level);
    jsc.setJobGroup(jobGroup, jobGroup + ": load and cache measurements", false);
    long[] shape = this.blocks.map(b -> new long[] {b.rows, b.d, b.d})
        .fold(new long[] {0, Long.MAX_VALUE, Long.MIN_VALUE}, SparkEngine::mergeShape);
    jsc.clearJobGroup();
    if (shape[0] == 0) {
      this.blocks.unpersist(false);
      throw new IllegalArgumentException("no measurements: the input has no rows");
    }
    if (shape[1] != shape[2]) {
      this.blocks.unpersist(false);
      throw new IllegalArgumentException("blocks disagree on the dimension d (" + shape[1] + " vs " + shape[2] + ")");
    }
    this.rows = shape[0];
    this.d = (int) shape[1];
  }

  /**
   * An engine over generated blocks: block indices are spread over {@code partitions} and each block is built on
   * the executor that holds it, so a lost block is recomputed from its seed.
   */
  public static SparkEngine generated(JavaSparkContext jsc, BlockSource source, int partitions, String jobGroup,
      StorageLevel level) {
    List<Integer> indices = new ArrayList<>(source.blockCount());
    for (int b = 0; b < source.blockCount(); b++) {
      indices.add(b);
    }
    int slices = partitions > 0 ? partitions : jsc.defaultParallelism();
    return new SparkEngine(jsc, jsc.parallelize(indices, Math.max(1, Math.min(slices, indices.size()))).map(source::block),
        jobGroup, level);
  }

  private static long[] mergeShape(long[] x, long[] y) {
    return new long[] {x[0] + y[0], Math.min(x[1], y[1]), Math.max(x[2], y[2])};
  }

  @Override
  public <S extends Serializable, A extends Aggregate<A>> A pass(String description, S state, BlockKernel<S, A> kernel) {
    Broadcast<S> shared = jsc.broadcast(state);
    jsc.setJobGroup(jobGroup, description, false);
    try {
      JavaRDD<A> partials = blocks.mapPartitions(foldPartition(shared, kernel));
      A result = blocks.getNumPartitions() <= FLAT_REDUCE_PARTITIONS ? partials.reduce(Aggregate::merge)
          : partials.treeReduce(Aggregate::merge, TREE_DEPTH);
      passes++;
      return result;
    } finally {
      jsc.clearJobGroup();
      shared.destroy();
    }
  }

  // Static so the closure captures only the broadcast and the kernel, never this engine.
  private static <S, A extends Aggregate<A>> FlatMapFunction<Iterator<Block>, A> foldPartition(
      Broadcast<S> shared, BlockKernel<S, A> kernel) {
    return it -> {
      S state = shared.value();
      A acc = kernel.zero(state);
      while (it.hasNext()) {
        kernel.add(acc, it.next(), state);
      }
      return Collections.singletonList(acc).iterator();
    };
  }

  @Override
  public long rows() {
    return rows;
  }

  @Override
  public int dimension() {
    return d;
  }

  @Override
  public int partitions() {
    return blocks.getNumPartitions();
  }

  @Override
  public String master() {
    return jsc.master();
  }

  @Override
  public long passes() {
    return passes;
  }

  /** Memory the cached blocks take in the executors' storage, as Spark's block manager reports it. */
  @Override
  public long cachedBytes() {
    long bytes = 0;
    for (RDDInfo info : jsc.sc().getRDDStorageInfo()) {
      if (info.id() == blocks.id()) {
        bytes += info.memSize() + info.diskSize();
      }
    }
    return bytes;
  }

  /** The cached blocks (for jobs that write or inspect them). */
  public JavaRDD<Block> blocks() {
    return blocks;
  }

  @Override
  public void close() {
    blocks.unpersist(true);
  }
}
