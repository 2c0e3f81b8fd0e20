package io.lowrank.engine;

import io.lowrank.data.Block;
import io.lowrank.model.Aggregate;
import io.lowrank.model.BlockKernel;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The in-process backend: the same kernels over a list of blocks in one JVM. With one thread the blocks are
 * folded in order; with several, each thread folds a contiguous run of blocks and the partial aggregates are
 * merged in run order, so results are deterministic for a given thread count. This is also the
 * "single-process limit" the benchmark compares Spark against.
 */
public final class LocalEngine implements Engine {
  private final List<Block> blocks;
  private final long rows;
  private final int d;
  private final int threads;
  private final ExecutorService pool;
  private long passes;

  /** A single-threaded engine. */
  public LocalEngine(List<Block> blocks) {
    this(blocks, 1);
  }

  /**
   * @param threads threads folding blocks in parallel (≥ 1)
   */
  public LocalEngine(List<Block> blocks, int threads) {
    if (blocks.isEmpty()) {
      throw new IllegalArgumentException("no measurements: the block list is empty");
    }
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be >= 1, got " + threads);
    }
    this.blocks = List.copyOf(blocks);
    this.d = blocks.get(0).d;
    long n = 0;
    for (Block b : blocks) {
      if (b.d != d) {
        throw new IllegalArgumentException("block " + b.id + " has dimension " + b.d + ", expected " + d);
      }
      n += b.rows;
    }
    this.rows = n;
    this.threads = Math.min(threads, blocks.size());
    this.pool = this.threads > 1 ? Executors.newFixedThreadPool(this.threads, r -> {
      Thread t = new Thread(r, "lowrank-local-engine");
      t.setDaemon(true);
      return t;
    }) : null;
  }

  @Override
  public <S extends Serializable, A extends Aggregate<A>> A pass(String description, S state, BlockKernel<S, A> kernel) {
    passes++;
    if (pool == null) {
      return fold(0, blocks.size(), state, kernel);
    }
    List<Future<A>> parts = new ArrayList<>(threads);
    for (int t = 0; t < threads; t++) {
      int from = (int) ((long) blocks.size() * t / threads);
      int to = (int) ((long) blocks.size() * (t + 1) / threads);
      parts.add(pool.submit(() -> fold(from, to, state, kernel)));
    }
    try {
      A acc = parts.get(0).get();
      for (int t = 1; t < threads; t++) {
        acc = acc.merge(parts.get(t).get());
      }
      return acc;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("pass interrupted: " + description, e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException re) {
        throw re;
      }
      throw new IllegalStateException("pass failed: " + description, e.getCause());
    }
  }

  private <S, A extends Aggregate<A>> A fold(int from, int to, S state, BlockKernel<S, A> kernel) {
    return kernel.fold(blocks.subList(from, to).iterator(), state); // sealed as on Spark: tests run the same path
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
    return threads;
  }

  @Override
  public String master() {
    return threads == 1 ? "in-process" : "in-process[" + threads + "]";
  }

  @Override
  public long passes() {
    return passes;
  }

  @Override
  public long cachedBytes() {
    long bytes = 0;
    for (Block b : blocks) {
      bytes += b.bytes();
    }
    return bytes;
  }

  /** The blocks, in order. */
  public List<Block> blocks() {
    return blocks;
  }

  @Override
  public void close() {
    if (pool != null) {
      pool.shutdownNow();
    }
  }
}
