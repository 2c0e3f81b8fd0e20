package io.lowrank.data;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Writes blocks with Spark's writers in the layout {@link MeasurementReader} reads: Parquet with columns
 * {@code y} (double) and {@code a} (array&lt;double&gt;); CSV with header {@code y,a1,...,ad}. Doubles
 * round-trip exactly in both (Spark's CSV writer prints doubles with {@link Double#toString(double)}, which
 * parses back to the same bits).
 */
public final class MeasurementWriter {
  private MeasurementWriter() {}

  /** As {@link #write(SparkSession, JavaRDD, String, Format, boolean)} without overwriting an existing path. */
  public static void write(SparkSession spark, JavaRDD<Block> blocks, String path, Format format) {
    write(spark, blocks, path, format, false);
  }

  /**
   * Writes {@code blocks} to the directory {@code path} (one part file per partition).
   *
   * @param overwrite replace an existing {@code path}; otherwise an existing path is an error
   * @throws IllegalArgumentException if the blocks are empty, disagree on d, or the path exists
   */
  public static void write(SparkSession spark, JavaRDD<Block> blocks, String path, Format format, boolean overwrite) {
    if (format == null) {
      throw new IllegalArgumentException("output format for " + path + " is null: pass csv or parquet");
    }
    // d is needed for the schema before writing; a reduce over the (usually cached) blocks is cheap.
    int[] range = blocks.map(b -> new int[] {b.d, b.d}).fold(new int[] {Integer.MAX_VALUE, Integer.MIN_VALUE},
        (x, z) -> new int[] {Math.min(x[0], z[0]), Math.max(x[1], z[1])});
    if (range[0] == Integer.MAX_VALUE) {
      throw new IllegalArgumentException("nothing to write to " + path + ": no blocks");
    }
    if (range[0] != range[1]) {
      throw new IllegalArgumentException("cannot write " + path + ": blocks disagree on d (" + range[0] + " vs "
          + range[1] + ")");
    }
    int d = range[0];
    Dataset<Row> df;
    if (format == Format.PARQUET) {
      StructType schema = new StructType().add("y", DataTypes.DoubleType, false)
          .add("a", DataTypes.createArrayType(DataTypes.DoubleType, false), false);
      df = spark.createDataFrame(blocks.mapPartitions(it -> new RowsOf(it, false)), schema);
    } else {
      StructType schema = new StructType().add("y", DataTypes.DoubleType, false);
      for (int j = 1; j <= d; j++) {
        schema = schema.add("a" + j, DataTypes.DoubleType, false);
      }
      df = spark.createDataFrame(blocks.mapPartitions(it -> new RowsOf(it, true)), schema);
    }
    SaveMode mode = overwrite ? SaveMode.Overwrite : SaveMode.ErrorIfExists;
    try {
      if (format == Format.PARQUET) {
        df.write().mode(mode).parquet(path);
      } else {
        df.write().mode(mode).option("header", "true").csv(path);
      }
    } catch (Exception e) {
      throw new IllegalArgumentException("cannot write " + format + " to " + path + ": "
          + MeasurementReader.firstLine(e) + (overwrite ? "" : " (pass overwrite to replace it)"), e);
    }
  }

  /** Rows of a partition's blocks, made lazily one at a time (the writer consumes them as they come). */
  private static final class RowsOf implements Iterator<Row> {
    private final Iterator<Block> blocks;
    private final boolean flat;
    private Block block;
    private int i;

    RowsOf(Iterator<Block> blocks, boolean flat) {
      this.blocks = blocks;
      this.flat = flat;
    }

    @Override
    public boolean hasNext() {
      while (block == null || i == block.rows) {
        if (!blocks.hasNext()) {
          return false;
        }
        block = blocks.next();
        i = 0;
      }
      return true;
    }

    @Override
    public Row next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      int d = block.d;
      Row row;
      if (flat) {
        Object[] v = new Object[d + 1];
        v[0] = block.y[i];
        for (int j = 0; j < d; j++) {
          v[j + 1] = block.a[i + j * block.rows];
        }
        row = RowFactory.create(v);
      } else {
        double[] ai = new double[d];
        for (int j = 0; j < d; j++) {
          ai[j] = block.a[i + j * block.rows];
        }
        row = RowFactory.create(block.y[i], ai);
      }
      i++;
      return row;
    }
  }
}
