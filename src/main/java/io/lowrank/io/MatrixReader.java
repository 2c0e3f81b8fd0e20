package io.lowrank.io;

import static org.apache.spark.sql.functions.col;

import io.lowrank.data.Block;
import io.lowrank.data.MatrixRows;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.SparkThrowable;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.IntegralType;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.storage.StorageLevel;
import org.apache.spark.util.CollectionAccumulator;
import scala.Tuple2;

/**
 * Reads a matrix Y (N × M) stored as rows into {@link MatrixRows} blocks:
 * <ul>
 *   <li><b>CSV</b> with a header: an optional integer column {@code i} (the 0-based row index) and M numeric
 *       columns, in header order;</li>
 *   <li><b>Parquet</b>: an optional integer column {@code i} and either a column {@code row}
 *       ({@code array<double>}) or M numeric columns (schema order).</li>
 * </ul>
 * Without {@code i}, rows are numbered in file order. Values must be finite and rows of equal length; this is
 * checked at load, in the job that caches the blocks. That the indices cover 0..N−1 exactly once is checked on the
 * driver by the first pass ({@link io.lowrank.model.DenoisingKernel.Products#yTimesY(int)}).
 */
public final class MatrixReader {
  /** Name of the optional row-index column. */
  public static final String INDEX = "i";
  /** Name of the array column of a Parquet row. */
  public static final String ROW = "row";

  private MatrixReader() {}

  /**
   * Reads, validates, packs into blocks and caches the matrix at {@code path}.
   *
   * @param blockRows rows per block (0 = about 4 MB per block)
   * @return the cached blocks; {@link Measurements#rows()} = N, {@link Measurements#d()} = M
   */
  public static Measurements read(SparkSession spark, String path, Format format, int blockRows, StorageLevel level) {
    if (path == null || path.isBlank()) {
      throw new IllegalArgumentException("input path is empty");
    }
    if (blockRows < 0) {
      throw new IllegalArgumentException("block rows must be >= 0 (0 = default), got " + blockRows);
    }
    org.apache.hadoop.conf.Configuration conf = spark.sparkContext().hadoopConfiguration();
    InputFiles files = MeasurementReader.checkReadable(path, format, conf);
    if (format == Format.CSV && files.csvHeader(conf) == null) { // also refuses duplicate or empty column names
      throw new IllegalArgumentException(path + ": empty input: no header row and no matrix rows");
    }
    Dataset<Row> df;
    try {
      df = format == Format.CSV
          ? spark.read().option("header", "true").option("inferSchema", "true").option("mode", "FAILFAST").csv(path)
          : spark.read().parquet(path);
    } catch (Exception e) {
      throw new IllegalArgumentException(files.readFailure(e, format, conf), e);
    }
    MeasurementReader.requireUniqueNames(df.columns(), path);
    List<String> names = List.of(df.columns());
    boolean hasIndex = names.contains(INDEX);
    if (hasIndex && !(df.schema().apply(INDEX).dataType() instanceof IntegralType)) {
      throw new IllegalArgumentException(path + ": column " + INDEX + " (the 0-based row index) must hold integers, "
          + "found " + df.schema().apply(INDEX).dataType().simpleString());
    }
    if (!hasIndex && df.inputFiles().length > 1) {
      // Spark reads the files of a directory largest first, not in name order: the rows would be shuffled.
      throw new IllegalArgumentException(path + ": " + df.inputFiles().length + " files and no column " + INDEX
          + ": their rows have no defined order; add the 0-based row index column " + INDEX + " (or use one file)");
    }
    Column values;
    int m;
    List<String> columnNames = new ArrayList<>(); // the header's names of the entries (empty for an array column)
    if (format == Format.PARQUET && names.contains(ROW)) {
      if (!(df.schema().apply(ROW).dataType() instanceof ArrayType)) {
        throw new IllegalArgumentException(path + ": column " + ROW + " must be array<double>");
      }
      values = col(ROW).cast(DataTypes.createArrayType(DataTypes.DoubleType));
      m = -1;
    } else {
      List<Column> cols = new ArrayList<>();
      for (StructField f : df.schema().fields()) {
        if (f.name().equals(INDEX)) {
          continue;
        }
        if (!(f.dataType() instanceof NumericType)) {
          if (format == Format.CSV && df.isEmpty()) {
            // Inference calls every column of a header without rows a string column: the input is what is wrong.
            throw new IllegalArgumentException(path + ": empty input: a header and no matrix rows");
          }
          throw new IllegalArgumentException(path + ": column " + f.name() + " is " + f.dataType().simpleString()
              + ", expected numbers (matrix entries)");
        }
        cols.add(col("`" + f.name() + "`").cast(DataTypes.DoubleType));
        columnNames.add(f.name());
      }
      if (cols.isEmpty()) {
        throw new IllegalArgumentException(path + ": no matrix columns");
      }
      values = org.apache.spark.sql.functions.array(cols.toArray(new Column[0]));
      m = cols.size();
    }
    Dataset<Row> sel = hasIndex ? df.select(col(INDEX).cast(DataTypes.LongType), values) : df.select(values);
    JavaRDD<Tuple2<Long, Row>> indexed = hasIndex
        ? sel.javaRDD().map(r -> new Tuple2<>(r.isNullAt(0) ? -1L : r.getLong(0), r))
        : sel.javaRDD().zipWithIndex().map(t -> new Tuple2<>(t._2(), t._1()));
    int valueColumn = hasIndex ? 1 : 0;
    int expectedM = m;
    int capacity = blockRows;
    String where = path;
    String rowName = hasIndex ? "row with " + INDEX + " = " : "row (0-based, in file order) ";
    String[] entryNames = columnNames.toArray(new String[0]);
    // Bad rows are reported through an accumulator, not by failing the task: a failed task would print the
    // executor's stack traces before the one-line error.
    CollectionAccumulator<String> errors = spark.sparkContext().collectionAccumulator("bad rows of " + path);
    JavaRDD<Block> blocks = indexed.mapPartitionsWithIndex(
        (p, it) -> pack(p, it, valueColumn, expectedM, capacity, where, rowName, entryNames, errors), true).setName("matrix " + path).persist(level);
    long[] shape;
    try {
      // rows, min and max width, largest row index
      shape = blocks.map(b -> new long[] {b.rows, b.d, b.d, maxIndex(b)})
          .fold(new long[] {0, Long.MAX_VALUE, Long.MIN_VALUE, -1}, (a, b) -> new long[] {a[0] + b[0],
              Math.min(a[1], b[1]), Math.max(a[2], b[2]), Math.max(a[3], b[3])});
    } catch (Exception e) {
      blocks.unpersist(false);
      throw new IllegalArgumentException(files.readFailure(e, format, conf), e);
    }
    String error = null;
    List<String> bad = new ArrayList<>(errors.value());
    if (!bad.isEmpty()) {
      java.util.Collections.sort(bad);
      error = bad.get(0);
    } else if (shape[0] == 0) {
      error = path + ": empty input: no matrix rows";
    } else if (shape[1] != shape[2]) {
      error = path + ": rows of differing lengths (" + shape[1] + " and " + shape[2] + ")";
    } else if (shape[0] < 2 || shape[1] < 2) {
      error = path + ": N and M must be >= 2, got N = " + shape[0] + ", M = " + shape[1];
    } else if (shape[3] >= shape[0]) {
      error = path + ": row index " + shape[3] + " in column " + INDEX + " is outside [0, N = " + shape[0]
          + "): indices must be 0..N-1, each once";
    }
    if (error != null) {
      blocks.unpersist(false);
      throw new IllegalArgumentException(error);
    }
    return new Measurements(blocks, shape[0], (int) shape[1], path);
  }

  private static long maxIndex(Block b) {
    long max = -1;
    for (double i : b.y) {
      max = Math.max(max, (long) i);
    }
    return max;
  }

  /** The blocks of one partition, or none when a row is bad (its message then goes to {@code errors}). */
  private static Iterator<Block> pack(int partition, Iterator<Tuple2<Long, Row>> rows, int valueColumn, int m,
      int blockRows, String path, String rowName, String[] entryNames, CollectionAccumulator<String> errors) {
    try {
      return packRows(partition, rows, valueColumn, m, blockRows, path, rowName, entryNames);
    } catch (IllegalArgumentException e) {
      errors.add(e.getMessage());
    } catch (RuntimeException e) {
      if (!malformed(e)) {
        throw e; // I/O trouble, a cancelled task: Spark's to retry or report, not bad data
      }
      // Spark's reader quotes a malformed record whole: its first line, cut short.
      String first = MeasurementReader.firstLine(e);
      errors.add("cannot read " + path + ": " + (first.length() > 300 ? first.substring(0, 300) + "…" : first));
    }
    return java.util.Collections.emptyIterator();
  }

  /** Whether a reader failure is a malformed record (the data's fault), by Spark's error condition. */
  private static boolean malformed(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof SparkThrowable st && st.getCondition() != null && st.getCondition().startsWith("MALFORMED")) {
        return true;
      }
    }
    return false;
  }

  private static Iterator<Block> packRows(int partition, Iterator<Tuple2<Long, Row>> rows, int valueColumn, int m,
      int blockRows, String path, String rowName, String[] entryNames) {
    List<Block> out = new ArrayList<>();
    List<double[]> pending = new ArrayList<>();
    List<Long> pendingIdx = new ArrayList<>();
    int width = m;
    int made = 0;
    while (rows.hasNext()) {
      Tuple2<Long, Row> t = rows.next();
      long i = t._1();
      if (i < 0 || i > Integer.MAX_VALUE) {
        throw new IllegalArgumentException(path + ": bad row index " + (i < 0 ? "(null or negative)" : i)
            + " in column " + INDEX + "; indices must be 0..N-1");
      }
      Row r = t._2();
      if (r.isNullAt(valueColumn)) {
        throw new IllegalArgumentException(path + ": " + rowName + i + ": missing values");
      }
      List<Object> v = r.getList(valueColumn);
      if (width < 0) {
        width = v.size();
      }
      if (v.size() != width) {
        throw new IllegalArgumentException(path + ": " + rowName + i + " has " + v.size() + " values, expected "
            + width);
      }
      double[] row = new double[width];
      for (int j = 0; j < width; j++) {
        Object o = v.get(j);
        if (o == null || !Double.isFinite((Double) o)) {
          throw new IllegalArgumentException(path + ": " + rowName + i + ", column "
              + (j < entryNames.length ? entryNames[j] : "entry " + (j + 1)) + ": value " + o
              + "; matrix entries must be finite numbers");
        }
        row[j] = (Double) o;
      }
      String tooLarge = RowBounds.matrixRow(row,
          j -> "column " + (j < entryNames.length ? entryNames[j] : "entry " + (j + 1)));
      if (tooLarge != null) {
        throw new IllegalArgumentException(path + ": " + rowName + i + ", " + tooLarge);
      }
      pending.add(row);
      pendingIdx.add(i);
      int cap = blockRows > 0 ? blockRows : MatrixRows.defaultRows(width);
      if (pending.size() == cap) {
        out.add(block(partition, made++, pending, pendingIdx, width));
        pending.clear();
        pendingIdx.clear();
      }
    }
    if (!pending.isEmpty()) {
      out.add(block(partition, made, pending, pendingIdx, width));
    }
    return out.iterator();
  }

  private static Block block(int partition, int index, List<double[]> rows, List<Long> idx, int m) {
    int n = rows.size();
    double[] a = new double[n * m];
    double[] y = new double[n];
    for (int i = 0; i < n; i++) {
      double[] r = rows.get(i);
      for (int j = 0; j < m; j++) {
        a[i + j * n] = r[j];
      }
      y[i] = idx.get(i);
    }
    return new Block(((long) partition << 32) | index, n, m, a, y);
  }
}
