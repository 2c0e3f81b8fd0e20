package io.lowrank.io;

import io.lowrank.data.Block;
import org.apache.spark.api.java.JavaRDD;

/**
 * Measurements loaded into Spark: the cached, already materialised blocks plus their shape and where they
 * came from. The caller owns the cache and calls {@link #unpersist()} when done.
 */
public final class Measurements {
  private final JavaRDD<Block> blocks;
  private final long rows;
  private final int d;
  private final String path;

  /** Wraps blocks that are already persisted and counted. */
  public Measurements(JavaRDD<Block> blocks, long rows, int d, String path) {
    this.blocks = blocks;
    this.rows = rows;
    this.d = d;
    this.path = path;
  }

  /** The blocks, persisted at the level given to the reader and materialised. */
  public JavaRDD<Block> blocks() {
    return blocks;
  }

  /** Number of measurements n (data rows). */
  public long rows() {
    return rows;
  }

  /** Dimension d of the sensing vectors. */
  public int d() {
    return d;
  }

  /** The input path as given to the reader. */
  public String path() {
    return path;
  }

  /** Drops the cached blocks (non-blocking). */
  public void unpersist() {
    blocks.unpersist(false);
  }

  @Override
  public String toString() {
    return "Measurements(" + path + ": n = " + rows + ", d = " + d + ")";
  }
}
