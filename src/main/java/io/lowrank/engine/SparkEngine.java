package io.lowrank.engine;

import io.lowrank.data.Block;
import io.lowrank.data.BlockSource;
import io.lowrank.model.Aggregate;
import io.lowrank.model.BlockKernel;
import java.io.IOException;
import java.io.ObjectOutputStream;
import java.io.OutputStream;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.SparkEnv;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.storage.BlockManagerMaster;
import org.apache.spark.storage.BlockStatus;
import org.apache.spark.storage.RDDBlockId;
import org.apache.spark.storage.StorageLevel;
import scala.collection.immutable.Range$;
import scala.jdk.javaapi.CollectionConverters;
import scala.reflect.ClassTag;
import scala.reflect.ClassTag$;
import scala.runtime.AbstractFunction2;
import scala.runtime.BoxedUnit;

/**
 * The Spark backend: blocks cached on the executors, each pass one job that folds every partition's blocks into
 * one aggregate ({@code runJob}, partials merged here in partition order; beyond 16 partitions a
 * {@code treeReduce}). A state up to 512 KiB serialised (d-vectors, the denoiser's (x, y) of a few ten thousand
 * entries) travels in the task closure, which Spark broadcasts with the stage anyway (it warns above 1000 KiB); a
 * larger one gets a broadcast of its own, destroyed when the job ends (≈ 12 ms more per pass in local mode).
 */
public final class SparkEngine implements Engine {
  private static final int TREE_DEPTH = 2;
  // Up to this many partitions the driver merges the partial aggregates itself: a tree level costs more than it saves.
  private static final int FLAT_REDUCE_PARTITIONS = 16;
  // States up to this size travel inside the task closure; larger ones (long vectors) in a broadcast of their own.
  private static final long CLOSURE_STATE_BYTES = 512 << 10;

  private final JavaSparkContext jsc;
  private final JavaRDD<Block> blocks;
  private final long rows;
  private final int d;
  private final String jobGroup;
  private long passes;
  private long broadcastPasses;

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
    long[] shape;
    try {
      shape = this.blocks.map(b -> new long[] {b.rows, b.d, b.d})
          .fold(new long[] {0, Long.MAX_VALUE, Long.MIN_VALUE}, SparkEngine::mergeShape);
    } catch (RuntimeException e) {
      this.blocks.unpersist(false); // what was cached before the failure
      throw e;
    } finally {
      jsc.clearJobGroup();
    }
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
    jsc.setJobGroup(jobGroup, description, false);
    // Spark already broadcasts each stage's task binary: a small state rides along in it.
    Broadcast<S> shared = serializedSize(state) <= CLOSURE_STATE_BYTES ? null : jsc.broadcast(state);
    if (shared != null) {
      broadcastPasses++;
    }
    try {
      A result = blocks.getNumPartitions() <= FLAT_REDUCE_PARTITIONS ? foldFlat(new FoldPartition<>(state, shared, kernel))
          // Each level's merge ships its result on: seal it again (e.g. a sketch travels as its compact image).
          : blocks.mapPartitions(new FoldPartition<>(state, shared, kernel))
              .treeReduce((x, y) -> x.merge(y).seal(), TREE_DEPTH);
      passes++;
      return result;
    } finally {
      jsc.clearJobGroup();
      if (shared != null) {
        shared.destroy();
      }
    }
  }

  /**
   * One job straight on the cached RDD, its partials merged here in partition order. {@code SparkContext.runJob}
   * with a named function class: {@code reduce} and {@code mapPartitions} wrap the function in Scala closures
   * whose cleaning re-reads Spark's class files with ASM on every job (≈ 4 ms of driver CPU per pass).
   */
  @SuppressWarnings("unchecked")
  private <S, A extends Aggregate<A>> A foldFlat(FoldPartition<S, A> fold) {
    int count = blocks.getNumPartitions();
    Object[] partials = new Object[count];
    jsc.sc().runJob(blocks.rdd(), fold, Range$.MODULE$.apply(0, count), new Collect<A>(partials),
        (ClassTag<A>) (ClassTag<?>) ClassTag$.MODULE$.apply(Aggregate.class));
    A acc = (A) partials[0];
    for (int i = 1; i < count; i++) {
      acc = acc.merge((A) partials[i]);
    }
    return acc;
  }

  private static long serializedSize(Serializable state) {
    ByteCounter counter = new ByteCounter();
    try (ObjectOutputStream out = new ObjectOutputStream(counter)) {
      out.writeObject(state);
    } catch (IOException e) {
      throw new IllegalStateException("the pass state " + state.getClass().getName() + " does not serialise", e);
    }
    return counter.count;
  }

  /** Counts bytes written (to size a state without keeping its serialised copy). */
  private static final class ByteCounter extends OutputStream {
    long count;

    @Override
    public void write(int b) {
      count++;
    }

    @Override
    public void write(byte[] b, int off, int len) {
      count += len;
    }
  }

  /**
   * Folds a partition's blocks into one sealed aggregate: a task's function for {@code runJob}, and for
   * {@code mapPartitions} where a tree reduce follows. A named class, so Spark's closure cleaner has nothing to
   * analyse, and it captures only the state (or its broadcast) and the kernel, never this engine.
   */
  private static final class FoldPartition<S, A extends Aggregate<A>>
      extends AbstractFunction2<TaskContext, scala.collection.Iterator<Block>, A>
      implements FlatMapFunction<Iterator<Block>, A>, Serializable {
    private static final long serialVersionUID = 1L;
    private final S state;
    private final Broadcast<S> shared;
    private final BlockKernel<S, A> kernel;

    FoldPartition(S state, Broadcast<S> shared, BlockKernel<S, A> kernel) {
      this.state = shared == null ? state : null;
      this.shared = shared;
      this.kernel = kernel;
    }

    @Override
    public A apply(TaskContext context, scala.collection.Iterator<Block> blocks) {
      return call(CollectionConverters.asJava(blocks)).next();
    }

    @Override
    public Iterator<A> call(Iterator<Block> blocks) {
      return Collections.singletonList(kernel.fold(blocks, shared == null ? state : shared.value())).iterator();
    }
  }

  /** Stores each partition's result at its index (runs on the driver). */
  private static final class Collect<A> extends AbstractFunction2<Object, A, BoxedUnit> {
    private final Object[] slots;

    Collect(Object[] slots) {
      this.slots = slots;
    }

    @Override
    public BoxedUnit apply(Object index, A result) {
      slots[(Integer) index] = result;
      return BoxedUnit.UNIT;
    }
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

  /** Passes whose state travelled by broadcast rather than in the task closure. */
  long broadcastPasses() {
    return broadcastPasses;
  }

  /** Memory the cached blocks take in the executors' storage, as Spark's block manager reports it. */
  @Override
  public long cachedBytes() {
    return storage(blocks.id(), blocks.getNumPartitions())[1];
  }

  /**
   * How many partitions of the blocks are in Spark's storage: fewer than {@link #partitions()} when it ran out
   * (MEMORY_ONLY drops what does not fit, silently), and the missing ones are then recomputed by every pass.
   */
  public int cachedPartitions() {
    return cachedPartitions(blocks.id(), blocks.getNumPartitions());
  }

  /** How many of the {@code partitions} partitions of RDD {@code rddId} are in Spark's storage. */
  public static int cachedPartitions(int rddId, int partitions) {
    return (int) storage(rddId, partitions)[0];
  }

  /**
   * {cached partitions, bytes} of an RDD, asked of the block manager master, which answers from the executors
   * now; SparkContext.getRDDStorageInfo reads a status store that a listener fills in later, and can still say 0
   * right after the caching job.
   */
  private static long[] storage(int rddId, int partitions) {
    BlockManagerMaster master = SparkEnv.get().blockManager().master();
    long cached = 0;
    long bytes = 0;
    for (int p = 0; p < partitions; p++) {
      var replicas = master.getBlockStatus(new RDDBlockId(rddId, p), true);
      var cachedReplica = replicas.values().find(BlockStatus::isCached);
      if (cachedReplica.isDefined()) {
        cached++;
        bytes += cachedReplica.get().memSize() + cachedReplica.get().diskSize();
      }
    }
    return new long[] {cached, bytes};
  }

  /**
   * Copies the cached blocks to the driver, one partition at a time (for an in-process engine over the same data:
   * under a local master the passes then cost no Spark job). The caller closes this engine afterwards to free the
   * cached copy.
   */
  public List<Block> collectBlocks() {
    jsc.setJobGroup(jobGroup, jobGroup + ": copy the cached blocks to the driver", false);
    try {
      List<Block> out = new ArrayList<>();
      blocks.toLocalIterator().forEachRemaining(out::add);
      return out;
    } finally {
      jsc.clearJobGroup();
    }
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
