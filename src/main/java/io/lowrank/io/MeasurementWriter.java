package io.lowrank.io;

import io.lowrank.data.Block;
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
 * Writes blocks with Spark's writers in the layouts the readers read: measurements for {@link MeasurementReader}
 * (Parquet columns {@code y} (double) and {@code a} (array&lt;double&gt;); CSV header {@code y,a1,...,ad}) and
 * matrix rows for {@link MatrixReader} (Parquet {@code i} (long) and {@code row} (array&lt;double&gt;); CSV
 * {@code i,c1,...,cM}), and operator rows for {@link OperatorFile} (header {@code y,a_0,...,a_{D−1}}, Parquet with the
 * same flat columns). Doubles round-trip exactly in both (Spark's CSV writer prints doubles with
 * {@link Double#toString(double)}, which parses back to the same bits).
 */
public final class MeasurementWriter {
  private MeasurementWriter() {}

  /** Column names of a layout: the per-row scalar (Block.y), the vector column and the CSV prefix of its entries. */
  private record Columns(String scalar, boolean scalarIsIndex, String vector, String flatPrefix, int firstIndex,
      boolean flatParquet) implements java.io.Serializable {}

  private static final Columns MEASUREMENTS = new Columns("y", false, "a", "a", 1, false);
  private static final Columns MATRIX_ROWS = new Columns(MatrixReader.INDEX, true, MatrixReader.ROW, "c", 1, false);
  /** Operator files: y,a_0,...,a_{D−1} in CSV and Parquet alike (the header is what the reader recognises). */
  private static final Columns OPERATOR_ROWS = new Columns("y", false, null, OperatorFile.PREFIX, 0, true);

  /** As {@link #write(SparkSession, JavaRDD, String, Format, boolean)} without overwriting an existing path. */
  public static void write(SparkSession spark, JavaRDD<Block> blocks, String path, Format format) {
    write(spark, blocks, path, format, false);
  }

  /**
   * Writes measurement {@code blocks} (y_i, a_i) to the directory {@code path} (one part file per partition).
   *
   * @param overwrite replace an existing {@code path}; otherwise an existing path is an error
   * @throws IllegalArgumentException if the blocks are empty, disagree on d, the path exists (without
   *     {@code overwrite}) or cannot be written (checked before the blocks are computed)
   */
  public static void write(SparkSession spark, JavaRDD<Block> blocks, String path, Format format, boolean overwrite) {
    write(spark, blocks, path, format, overwrite, MEASUREMENTS);
  }

  /**
   * Writes the rows of a matrix held as {@link MatrixRows} blocks (the row index in {@code Block.y}) to the
   * directory {@code path}, as {@link MatrixReader} reads them back.
   *
   * @param overwrite replace an existing {@code path}; otherwise an existing path is an error
   * @throws IllegalArgumentException if the blocks are empty, disagree on the row length, the path exists (without
   *     {@code overwrite}) or cannot be written (checked before the blocks are computed)
   */
  public static void writeMatrix(SparkSession spark, JavaRDD<Block> blocks, String path, Format format,
      boolean overwrite) {
    write(spark, blocks, path, format, overwrite, MATRIX_ROWS);
  }

  /**
   * Writes operator rows (y_i, vec(A_i)) to the directory {@code path} under the header y,a_0,...,a_{D−1}, as
   * {@link OperatorFile#read} reads them back.
   */
  static void writeOperator(SparkSession spark, JavaRDD<Block> blocks, String path, Format format, boolean overwrite) {
    write(spark, blocks, path, format, overwrite, OPERATOR_ROWS);
  }

  private static void write(SparkSession spark, JavaRDD<Block> blocks, String path, Format format, boolean overwrite,
      Columns columns) {
    if (format == null) {
      throw new IllegalArgumentException("output format for " + path + " is null: pass csv or parquet");
    }
    // Before the blocks are computed (they may be generated right here): a path that cannot be written is refused
    // now, not by the writer's tasks.
    OutputPath.requireWritable("output path", path, true, overwrite, "write with overwrite to replace it",
        spark.sparkContext().hadoopConfiguration());
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
    StructType schema = new StructType().add(columns.scalar(),
        columns.scalarIsIndex() ? DataTypes.LongType : DataTypes.DoubleType, false);
    boolean flat = format != Format.PARQUET || columns.flatParquet();
    if (flat) {
      for (int j = 0; j < d; j++) {
        schema = schema.add(columns.flatPrefix() + (j + columns.firstIndex()), DataTypes.DoubleType, false);
      }
    } else {
      schema = schema.add(columns.vector(), DataTypes.createArrayType(DataTypes.DoubleType, false), false);
    }
    boolean index = columns.scalarIsIndex();
    df = spark.createDataFrame(blocks.mapPartitions(it -> new RowsOf(it, flat, index)), schema);
    SaveMode mode = overwrite ? SaveMode.Overwrite : SaveMode.ErrorIfExists;
    try {
      if (format == Format.PARQUET) {
        df.write().mode(mode).parquet(path);
      } else {
        df.write().mode(mode).option("header", "true").csv(path);
      }
    } catch (Exception e) {
      throw new IllegalArgumentException("cannot write " + format + " to " + path + ": "
          + MeasurementReader.firstLine(e), e);
    }
  }

  /** Rows of a partition's blocks, made lazily one at a time (the writer consumes them as they come). */
  private static final class RowsOf implements Iterator<Row> {
    private final Iterator<Block> blocks;
    private final boolean flat;
    private final boolean index;
    private Block block;
    private int i;

    RowsOf(Iterator<Block> blocks, boolean flat, boolean index) {
      this.blocks = blocks;
      this.flat = flat;
      this.index = index;
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
      Object scalar = index ? (Object) (long) block.y[i] : (Object) block.y[i];
      Row row;
      if (flat) {
        Object[] v = new Object[d + 1];
        v[0] = scalar;
        for (int j = 0; j < d; j++) {
          v[j + 1] = block.a[i + j * block.rows];
        }
        row = RowFactory.create(v);
      } else {
        double[] ai = new double[d];
        for (int j = 0; j < d; j++) {
          ai[j] = block.a[i + j * block.rows];
        }
        row = RowFactory.create(scalar, ai);
      }
      i++;
      return row;
    }
  }
}
