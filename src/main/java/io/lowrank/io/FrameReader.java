package io.lowrank.io;

import static org.apache.spark.sql.functions.col;

import io.lowrank.data.Block;
import java.io.Serializable;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.TreeMap;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.util.ArrayData;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import org.apache.spark.util.AccumulatorV2;

/**
 * Turns a DataFrame of measurements into cached {@link Block}s: one column of sensing vectors a_i (a Spark ML or
 * MLlib {@code Vector}, dense or sparse, or an array of numbers such as {@code array<double>} or
 * {@code array<float>}) and one numeric column of responses y_i. Rows are decoded straight into the blocks'
 * column-major arrays (no text, no per-row objects) and validated in the same Spark job that caches them.
 *
 * <p>Errors are {@link IllegalArgumentException}s on one line naming the column and, for bad values, the first
 * bad row: rows are numbered from 1 in the DataFrame's order (partition by partition, as {@code collect()} returns
 * them). Refused: a missing column (the message lists the columns there are), a column of the wrong type, null,
 * NaN or infinite values, vectors of differing lengths, empty vectors, negative intensities ({@link
 * Labels#INTENSITIES}), an empty DataFrame and fewer rows than dimensions.
 */
public final class FrameReader {
  /** What the label column holds, and so which values are refused beyond null, NaN and ±∞. */
  public enum Labels {
    /** Intensities y_i = (a_i^T x*)² or ‖X*^T a_i‖²: negative values are refused, as {@link MeasurementReader} does. */
    INTENSITIES,
    /** Any finite response (noisy measurements whose noise may push y below 0). */
    FINITE
  }

  private FrameReader() {}

  /**
   * {@link #read(Dataset, String, String, Labels, int, StorageLevel)} for intensities, with default blocks, cached
   * in memory: what the estimators and {@code Input.frame} use.
   */
  public static Measurements read(Dataset<?> frame, String featuresCol, String labelCol) {
    return read(frame, featuresCol, labelCol, Labels.INTENSITIES, 0, StorageLevel.MEMORY_ONLY());
  }

  /**
   * Reads, validates, packs into blocks and caches the rows of {@code frame}.
   *
   * @param featuresCol the column of sensing vectors a_i (Vector or numeric array)
   * @param labelCol the numeric column of responses y_i
   * @param labels which label values are valid
   * @param blockRows rows per block; 0 for {@link Block#defaultRows(int)}
   * @param level storage level of the cached blocks
   * @return the blocks, persisted at {@code level} and materialised; {@link Measurements#path()} describes the frame
   * @throws IllegalArgumentException on a missing or mistyped column or any invalid value
   */
  public static Measurements read(Dataset<?> frame, String featuresCol, String labelCol, Labels labels, int blockRows,
      StorageLevel level) {
    if (frame == null) {
      throw new IllegalArgumentException("the DataFrame is null");
    }
    if (labels == null || level == null) {
      throw new IllegalArgumentException("labels and storage level must not be null");
    }
    if (blockRows < 0) {
      throw new IllegalArgumentException("block rows must be >= 0 (0 = default), got " + blockRows);
    }
    FeaturesKind kind = checkSchema(frame.schema(), featuresCol, labelCol);
    Column features = kind == FeaturesKind.VECTOR ? col(quote(featuresCol))
        : col(quote(featuresCol)).cast(DataTypes.createArrayType(DataTypes.DoubleType));
    Dataset<Row> df = frame.toDF().select(features, col(quote(labelCol)).cast(DataTypes.DoubleType));
    String source = "DataFrame[" + featuresCol + ", " + labelCol + "]";
    Decoder decoder = new Decoder(kind, featuresCol, labelCol, labels);
    return load(frame.sparkSession(), df, source, decoder, blockRows, level);
  }

  /** How the features column is stored. */
  public enum FeaturesKind {
    /** A Spark ML or MLlib {@code Vector} (its UDT's struct: type, size, indices, values). */
    VECTOR,
    /** An array of numbers, read as {@code array<double>}. */
    ARRAY
  }

  /**
   * Checks that {@code schema} has a features column of sensing vectors and a numeric label column, as the
   * estimators' {@code transformSchema} does before any data is read.
   *
   * @param labelCol the label column, or null to check the features column only (a model's {@code transform})
   * @return how the features are stored
   * @throws IllegalArgumentException naming the column and listing the columns there are, or naming its type
   */
  public static FeaturesKind checkSchema(StructType schema, String featuresCol, String labelCol) {
    DataType ft = field(schema, featuresCol, "the features column");
    FeaturesKind kind = featuresKind(ft);
    if (kind == null) {
      throw new IllegalArgumentException("DataFrame column " + featuresCol + " (the features column) has type "
          + ft.simpleString() + "; expected a Spark ML Vector or an array of numbers (array<double>, array<float>)");
    }
    if (labelCol != null) {
      DataType lt = field(schema, labelCol, "the label column");
      if (!(lt instanceof NumericType)) {
        throw new IllegalArgumentException("DataFrame column " + labelCol + " (the label column) has type "
            + lt.simpleString() + "; expected a number");
      }
    }
    return kind;
  }

  /** The storage of a features column of type {@code t}, or null when it holds no sensing vectors. */
  public static FeaturesKind featuresKind(DataType t) {
    if (t instanceof org.apache.spark.ml.linalg.VectorUDT || t instanceof org.apache.spark.mllib.linalg.VectorUDT) {
      return FeaturesKind.VECTOR;
    }
    if (t instanceof ArrayType a && a.elementType() instanceof NumericType) {
      return FeaturesKind.ARRAY;
    }
    return null;
  }

  private static DataType field(StructType schema, String name, String role) {
    if (name == null || name.isEmpty()) {
      throw new IllegalArgumentException(role + " is not set (empty column name)");
    }
    for (var f : schema.fields()) {
      if (f.name().equals(name)) {
        return f.dataType();
      }
    }
    String[] names = schema.fieldNames();
    throw new IllegalArgumentException("DataFrame has no column " + name + " (" + role + "); columns are: "
        + (names.length == 0 ? "(none)" : String.join(", ", names)));
  }

  // ----------------------------------------------------------------------------------------------- decoding

  /** Decodes (features, label double) rows into a block, or says what is wrong with a row. */
  private static final class Decoder implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final byte SPARSE = 0;
    private final FeaturesKind kind;
    private final String featuresCol;
    private final String labelCol;
    private final Labels labels;

    Decoder(FeaturesKind kind, String featuresCol, String labelCol, Labels labels) {
      this.kind = kind;
      this.featuresCol = featuresCol;
      this.labelCol = labelCol;
      this.labels = labels;
    }

    /** The length of the row's sensing vector (before it is checked), or -1 when it is null. */
    int length(InternalRow row) {
      if (row.isNullAt(0)) {
        return -1;
      }
      if (kind == FeaturesKind.ARRAY) {
        return row.getArray(0).numElements();
      }
      InternalRow v = row.getStruct(0, 4);
      return v.getByte(0) == SPARSE ? v.getInt(1) : v.getArray(3).numElements();
    }

    /**
     * Writes row {@code r} of a block of row capacity {@code stride} and dimension {@code d}.
     *
     * @return null if the row is valid, else "column c: what is wrong"
     */
    String decode(InternalRow row, int d, double[] a, int stride, int r, double[] y) {
      if (row.isNullAt(1)) {
        return "column " + labelCol + ": missing value (null)";
      }
      double yv = row.getDouble(1);
      if (!Double.isFinite(yv)) {
        return "column " + labelCol + ": value is " + yv + "; values must be finite numbers";
      }
      if (yv < 0 && labels == Labels.INTENSITIES) {
        return "column " + labelCol + ": negative intensity " + yv + "; intensities must be >= 0";
      }
      if (row.isNullAt(0)) {
        return "column " + featuresCol + ": missing value (null)";
      }
      int len = length(row);
      if (len == 0) {
        return "column " + featuresCol + ": empty vector (length 0); sensing vectors need d >= 1 entries";
      }
      if (len != d) {
        return "column " + featuresCol + ": vector of length " + len + ", expected d = " + d
            + " (the length in row 1); all rows must have the same length";
      }
      if (kind == FeaturesKind.ARRAY) {
        return dense(row.getArray(0), d, a, stride, r, y, yv);
      }
      InternalRow v = row.getStruct(0, 4);
      if (v.getByte(0) != SPARSE) {
        return dense(v.getArray(3), d, a, stride, r, y, yv);
      }
      // Sparse: zeros, then the active entries (indices are checked by Vectors.sparse when the vector is built).
      for (int j = 0; j < d; j++) {
        a[r + j * stride] = 0;
      }
      ArrayData indices = v.getArray(2);
      ArrayData values = v.getArray(3);
      for (int k = 0; k < values.numElements(); k++) {
        int j = indices.getInt(k);
        double x = values.getDouble(k);
        if (!Double.isFinite(x)) {
          return entry(j, x);
        }
        a[r + j * stride] = x;
      }
      y[r] = yv;
      return null;
    }

    private String dense(ArrayData values, int d, double[] a, int stride, int r, double[] y, double yv) {
      for (int j = 0; j < d; j++) {
        if (values.isNullAt(j)) {
          return "column " + featuresCol + ": entry " + (j + 1) + " is null";
        }
        double x = values.getDouble(j);
        if (!Double.isFinite(x)) {
          return entry(j, x);
        }
        a[r + j * stride] = x;
      }
      y[r] = yv;
      return null;
    }

    private String entry(int j, double x) {
      return "column " + featuresCol + ": entry " + (j + 1) + " is " + x + "; values must be finite numbers";
    }
  }

  // ------------------------------------------------------------------------------------- the one loading job

  private static Measurements load(SparkSession spark, Dataset<Row> df, String source, Decoder decoder,
      int blockRows, StorageLevel level) {
    PartitionAccumulator parts = new PartitionAccumulator();
    spark.sparkContext().register(parts, "partitions of " + source);
    JavaRDD<Block> blocks = df.queryExecution().toRdd().toJavaRDD()
        .mapPartitionsWithIndex((partition, rows) -> (Iterator<Block>) new FramePacker(partition, rows, decoder,
            blockRows, parts), true)
        .setName("measurements " + source)
        .persist(level);
    String previous = spark.sparkContext().getLocalProperty("spark.job.description");
    spark.sparkContext().setJobDescription("load, validate and cache measurements from " + source);
    try {
      blocks.count();
    } catch (RuntimeException e) {
      blocks.unpersist(false);
      throw new IllegalArgumentException("cannot read " + source + ": " + MeasurementReader.firstLine(e), e);
    } finally {
      spark.sparkContext().setJobDescription(previous);
    }
    // Partitions in index order are the DataFrame's row order: the first error in that order is reported.
    long n = 0;
    int d = -1;
    String error = null;
    for (PartitionReport p : new TreeMap<>(parts.value()).values()) {
      if (p.rows == 0) {
        continue;
      }
      if (d < 0 && p.d > 0) {
        d = p.d;
      } else if (p.d > 0 && p.d != d) {
        // The partition's first row set its d: that row is the first that disagrees with row 1.
        error = source + ": row " + (n + 1) + ", column " + decoder.featuresCol + ": vector of length " + p.d
            + ", expected d = " + d + " (the length in row 1); all rows must have the same length";
        break;
      }
      if (p.badRow >= 0) {
        error = source + ": row " + (n + p.badRow + 1) + ", " + p.reason;
        break;
      }
      n += p.rows;
    }
    if (error == null && n == 0) {
      error = source + ": the DataFrame is empty: no rows to fit";
    }
    if (error == null && n < d) {
      error = source + ": fewer rows than dimensions: n = " + n + " rows but d = " + d + "; need n >= d";
    }
    if (error != null) {
      blocks.unpersist(false);
      throw new IllegalArgumentException(error);
    }
    return new Measurements(blocks, n, d, source);
  }

  /** What one task saw of its partition: rows, the length of its first sensing vector, the first bad row. */
  private static final class PartitionReport implements Serializable {
    private static final long serialVersionUID = 1L;
    final int partition;
    long rows;
    /** Length of the partition's first sensing vector; -1 before it is known (or when it was null). */
    int d = -1;
    /** 0-based index of the first bad row within the partition, or -1. */
    long badRow = -1;
    String reason;

    PartitionReport(int partition) {
      this.partition = partition;
    }
  }

  /**
   * Collects one report per partition, keyed by partition index, so a re-executed task replaces its earlier report
   * rather than adding to it (accumulators updated inside transformations may be applied more than once).
   */
  private static final class PartitionAccumulator extends AccumulatorV2<PartitionReport, Map<Integer, PartitionReport>> {
    private static final long serialVersionUID = 1L;
    private final HashMap<Integer, PartitionReport> reports = new HashMap<>();

    @Override
    public boolean isZero() {
      return reports.isEmpty();
    }

    @Override
    public PartitionAccumulator copy() {
      PartitionAccumulator c = new PartitionAccumulator();
      c.reports.putAll(reports);
      return c;
    }

    @Override
    public void reset() {
      reports.clear();
    }

    @Override
    public void add(PartitionReport r) {
      reports.put(r.partition, r);
    }

    @Override
    public void merge(AccumulatorV2<PartitionReport, Map<Integer, PartitionReport>> other) {
      reports.putAll(other.value());
    }

    @Override
    public Map<Integer, PartitionReport> value() {
      return reports;
    }
  }

  /**
   * Packs one partition's rows into blocks of {@code capacity} rows (the last one shorter), decoding straight into
   * the block arrays; d is the length of the partition's first sensing vector (the driver checks that partitions
   * agree). After the first bad row it only counts rows and emits nothing more: the load will fail anyway.
   */
  private static final class FramePacker implements Iterator<Block> {
    private final int partition;
    private final Iterator<InternalRow> rows;
    private final Decoder decoder;
    private final int requestedRows;
    private final PartitionAccumulator reports;
    private final PartitionReport report;
    private int capacity;
    private double[] a;
    private double[] y;
    private int fill;
    private int blocksMade;
    private boolean failed;
    private boolean finished;
    private Block next;

    FramePacker(int partition, Iterator<InternalRow> rows, Decoder decoder, int requestedRows,
        PartitionAccumulator reports) {
      this.partition = partition;
      this.rows = rows;
      this.decoder = decoder;
      this.requestedRows = requestedRows;
      this.reports = reports;
      this.report = new PartitionReport(partition);
    }

    @Override
    public boolean hasNext() {
      if (next == null) {
        next = advance();
      }
      return next != null;
    }

    @Override
    public Block next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      Block b = next;
      next = null;
      return b;
    }

    private Block advance() {
      while (rows.hasNext()) {
        InternalRow row = rows.next();
        long local = report.rows++;
        if (local == 0) {
          start(row);
        }
        String error = failed ? null : decoder.decode(row, report.d, a, capacity, fill, y);
        if (error != null) {
          report.badRow = local;
          report.reason = error;
          failed = true;
          continue;
        }
        if (!failed && ++fill == capacity) {
          Block b = new Block(id(), capacity, report.d, a, y);
          a = new double[capacity * report.d];
          y = new double[capacity];
          fill = 0;
          return b;
        }
      }
      if (!finished) {
        finished = true;
        reports.add(report);
        if (!failed && fill > 0) {
          int d = report.d;
          double[] ta = new double[fill * d];
          for (int j = 0; j < d; j++) {
            System.arraycopy(a, j * capacity, ta, j * fill, fill);
          }
          return new Block(id(), fill, d, ta, Arrays.copyOf(y, fill));
        }
      }
      return null;
    }

    /** Fixes d from the first row (a null or empty first vector fails in decode) and allocates the first block. */
    private void start(InternalRow first) {
      int len = decoder.length(first);
      if (len <= 0) {
        // decode reports the null or empty vector as this row's error; nothing is written.
        capacity = 1;
        a = new double[0];
        y = new double[1];
        return;
      }
      report.d = len;
      capacity = requestedRows > 0 ? requestedRows : Block.defaultRows(len);
      a = new double[capacity * len];
      y = new double[capacity];
    }

    private long id() {
      return ((long) partition << 32) | blocksMade++;
    }
  }

  /** Backquotes a column name so dots or spaces in it are not read as struct paths. */
  private static String quote(String name) {
    return "`" + name.replace("`", "``") + "`";
  }
}
