package io.lowrank.engine;

import io.lowrank.data.Block;
import io.lowrank.model.Aggregate;
import io.lowrank.model.BlockKernel;
import java.io.Serializable;
import java.util.List;

/** The in-process backend: the same kernels over a list of blocks in one JVM, in block order. */
public final class LocalEngine implements Engine {
  private final List<Block> blocks;
  private final long rows;
  private final int d;
  private long passes;

  public LocalEngine(List<Block> blocks) {
    if (blocks.isEmpty()) {
      throw new IllegalArgumentException("no measurements: the block list is empty");
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
  }

  @Override
  public <S extends Serializable, A extends Aggregate<A>> A pass(String description, S state, BlockKernel<S, A> kernel) {
    A acc = kernel.zero(state);
    for (Block b : blocks) {
      kernel.add(acc, b, state);
    }
    passes++;
    return acc;
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
    return 1;
  }

  @Override
  public String master() {
    return "in-process";
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

  @Override
  public void close() {}
}
