package io.lowrank.io;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.input_file_block_start;
import static org.apache.spark.sql.functions.input_file_name;
import static org.apache.spark.sql.functions.size;

import io.lowrank.data.Block;
import io.lowrank.io.FrameReader.Labels;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.TreeMap;
import java.util.function.BiConsumer;
import org.apache.hadoop.conf.Configuration;
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
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import org.apache.spark.unsafe.types.UTF8String;

/**
 * Reads phase-retrieval measurements (a_i, y_i) from CSV or Parquet into cached {@link Block}s, validating
 * every value in the same Spark job that materialises the cache.
 *
 * <p>CSV: a header row; column {@code y} is the intensity, every other column (in header order) one
 * coordinate of a_i. Parquet: a numeric column {@code y} and either a column {@code a} (array of numbers or a
 * Spark ML / MLlib Vector; other columns are then ignored) or per-coordinate numeric columns (all columns but
 * {@code y}, in schema order).
 *
 * <p>Errors are {@link IllegalArgumentException}s naming the file, the 1-based data row within that file
 * (header and blank lines not counted), the column and what is wrong; for bad values the first bad row
 * (first file in name order, then lowest row) is reported. Before any Spark job reads a row, the input is listed
 * and checked on the driver and a CSV header is read there ({@link InputFiles}: mixed formats, empty Parquet
 * parts, duplicate or empty column names). Values too large for the sums the kernels form are refused like bad
 * values ({@link RowBounds}).
 */
public final class MeasurementReader {
  static final String CORRUPT = "_lowrank_corrupt_record";
  static final String FILE = "_lowrank_input_file";
  static final String START = "_lowrank_block_start";

  private MeasurementReader() {}

  /**
   * {@link #read(SparkSession, String, Format, int, StorageLevel)} with the format from the path (extension, or the
   * files of a directory), default blocks, cached in memory: the call for a spark-shell session.
   */
  public static Measurements read(SparkSession spark, String path) {
    return read(spark, path, Format.of(path, "auto", spark.sparkContext().hadoopConfiguration()), 0,
        StorageLevel.MEMORY_ONLY());
  }

  /**
   * Reads, validates, packs into blocks and caches the measurements at {@code path}.
   *
   * @param path a file, directory or glob on any Hadoop FileSystem (file:, hdfs:, s3a:, plain local path)
   * @param blockRows rows per block; 0 for {@link Block#defaultRows(int)}
   * @param level storage level of the cached blocks
   * @return the blocks, persisted at {@code level} and materialised
   * @throws IllegalArgumentException if the path cannot be read or any value is invalid
   */
  public static Measurements read(SparkSession spark, String path, Format format, int blockRows,
      StorageLevel level) {
    return read(spark, path, format, blockRows, level, Labels.INTENSITIES, null);
  }

  /**
   * Reads sensing rows (y_i, a_i) whose responses are any finite numbers (an operator file's y_i = ⟨A_i, M*⟩ + noise
   * may be negative), as {@link #read(SparkSession, String, Format, int, StorageLevel)} does otherwise, but without
   * its n ≥ d rule (m &lt; d² measurements of a d×d matrix of rank r are the point of sensing).
   *
   * @param header checks the column names (CSV header as written, or Parquet schema order) and the file they come
   *     from on the driver, before any Spark job; it throws what is wrong
   */
  static Measurements readResponses(SparkSession spark, String path, Format format, int blockRows, StorageLevel level,
      BiConsumer<String, String[]> header) {
    return read(spark, path, format, blockRows, level, Labels.FINITE, header);
  }

  private static Measurements read(SparkSession spark, String path, Format format, int blockRows, StorageLevel level,
      Labels labels, BiConsumer<String, String[]> header) {
    if (path == null || path.isBlank()) {
      throw new IllegalArgumentException("input path is empty");
    }
    if (format == null) {
      throw new IllegalArgumentException("format of " + path + " is null: pass csv or parquet");
    }
    if (blockRows < 0) {
      throw new IllegalArgumentException("block rows must be >= 0 (0 = default), got " + blockRows);
    }
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    InputFiles files = checkReadable(path, format, conf);
    Plan plan = format == Format.CSV ? csvPlan(spark, path, files.csvHeader(conf), labels, header)
        : parquetPlan(spark, path, files, labels, header);
    int rows = blockRows == 0 ? Block.defaultRows(Math.max(1, plan.d)) : blockRows;
    // Intensities (phase retrieval, rank-one sensing) need n >= d; an operator file's m < d^2 is the point of sensing.
    return load(spark, path, plan, rows, level, e -> files.readFailure(e, format, conf), labels == Labels.INTENSITIES);
  }

  /** The columns to read and how to decode one row of them (also {@link EntryReader}'s). */
  static final class Plan {
    final Dataset<Row> df;
    final int d;
    final RowDecoder decoder;

    Plan(Dataset<Row> df, int d, RowDecoder decoder) {
      this.df = df;
      this.d = d;
      this.decoder = decoder;
    }
  }

  // ---------------------------------------------------------------------------------------------- paths

  /**
   * Lists and checks the input files on the driver (see {@link InputFiles}): fails early, with the path or file in
   * the message, rather than deep inside a Spark job.
   */
  static InputFiles checkReadable(String path, Format format, Configuration conf) {
    InputFiles files = InputFiles.list(path, conf);
    files.checkFor(format);
    files.checkOpens(conf);
    return files;
  }

  // ------------------------------------------------------------------------------------------------ CSV

  private static Plan csvPlan(SparkSession spark, String path, InputFiles.Header header, Labels labels,
      BiConsumer<String, String[]> check) {
    if (header == null) {
      throw new IllegalArgumentException(path + ": empty input: no header row and no data rows");
    }
    // The header as written, read on the driver (no Spark job, duplicate names seen as such).
    String[] names = header.names();
    if (check != null) {
      check.accept(header.file(), names);
    }
    int yIndex = indexOf(names, "y");
    if (yIndex < 0) {
      throw new IllegalArgumentException(header.file() + ": the header has no column 'y' (the intensity); columns are "
          + String.join(",", names));
    }
    if (names.length == 1) {
      throw new IllegalArgumentException(header.file() + ": no sensing columns: the header has only 'y'; add one column"
          + " per coordinate of a_i");
    }
    StructType schema = new StructType();
    List<Column> cols = new ArrayList<>();
    for (String name : names) {
      schema = schema.add(name, DataTypes.StringType, true);
      cols.add(col(quote(name)));
    }
    schema = schema.add(CORRUPT, DataTypes.StringType, true);
    cols.add(col(CORRUPT));
    cols.add(input_file_name().as(FILE));
    cols.add(input_file_block_start().as(START));
    Dataset<Row> df;
    try {
      // PERMISSIVE + a corrupt-record column: Spark 4.1 pads short rows with nulls and truncates long ones,
      // and sets the corrupt column to the raw line in both cases; that is how ragged rows are detected.
      // enforceSchema = false: every file's header must match the first one, or columns would be silently
      // swapped between files.
      df = spark.read().schema(schema).option("header", "true").option("mode", "PERMISSIVE")
          .option("columnNameOfCorruptRecord", CORRUPT).option("enforceSchema", "false").csv(path).select(cols.toArray(new Column[0]));
    } catch (Exception e) {
      throw new IllegalArgumentException("cannot read CSV " + path + ": " + firstLine(e), e);
    }
    int d = names.length - 1;
    return new Plan(df, d, new CsvDecoder(names, yIndex, names.length, labels));
  }

  /** Decodes one CSV row of strings: header-order columns, then the corrupt-record column. */
  private static final class CsvDecoder implements RowDecoder {
    private static final long serialVersionUID = 1L;
    private final String[] names;
    private final int yIndex;
    private final int corruptIndex;
    private final Labels labels;

    CsvDecoder(String[] names, int yIndex, int corruptIndex, Labels labels) {
      this.names = names;
      this.yIndex = yIndex;
      this.corruptIndex = corruptIndex;
      this.labels = labels;
    }

    @Override
    public String decode(InternalRow row, double[] a, int stride, int r, double[] y) {
      if (!row.isNullAt(corruptIndex)) {
        return ragged(row.getUTF8String(corruptIndex).toString());
      }
      int j = 0;
      for (int c = 0; c < names.length; c++) {
        if (row.isNullAt(c)) {
          return "column " + names[c] + ": empty value";
        }
        String s = row.getUTF8String(c).toString().trim();
        double v;
        try {
          v = Double.parseDouble(s);
        } catch (NumberFormatException e) {
          return "column " + names[c] + ": '" + s + "' is not a number";
        }
        String bad = c == yIndex ? checkResponse(v, names[c], labels) : checkFinite(v, names[c]);
        if (bad != null) {
          return bad;
        }
        if (c == yIndex) {
          y[r] = v;
        } else {
          a[r + j++ * stride] = v;
        }
      }
      return null;
    }

    @Override
    public String coordinate(int j) {
      return "column " + names[j < yIndex ? j : j + 1];
    }

    @Override
    public String intensity() {
      return "column " + names[yIndex];
    }

    private String ragged(String raw) {
      int fields = countFields(raw);
      if (fields < names.length) {
        return "column " + names[fields] + ": missing, the row has " + fields + " fields but the header has "
            + names.length + " (" + String.join(",", names) + ")";
      }
      if (fields > names.length) {
        return "extra fields after the last column " + names[names.length - 1] + ": the row has " + fields
            + " fields but the header has " + names.length + " (" + String.join(",", names) + ")";
      }
      return "malformed CSV record: " + abbreviate(raw);
    }
  }

  /** Fields of a raw CSV line, counting commas outside double quotes. */
  static int countFields(String raw) {
    int fields = 1;
    boolean quoted = false;
    for (int i = 0; i < raw.length(); i++) {
      char ch = raw.charAt(i);
      if (ch == '"') {
        quoted = !quoted;
      } else if (ch == ',' && !quoted) {
        fields++;
      }
    }
    return fields;
  }

  // -------------------------------------------------------------------------------------------- Parquet

  private static Plan parquetPlan(SparkSession spark, String path, InputFiles files, Labels labels,
      BiConsumer<String, String[]> check) {
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    Dataset<Row> raw;
    try {
      raw = spark.read().parquet(path);
    } catch (Exception e) {
      throw new IllegalArgumentException(files.readFailure(e, Format.PARQUET, conf), e);
    }
    StructType schema = raw.schema();
    String[] names = schema.fieldNames();
    requireUniqueNames(names, path);
    if (check != null) {
      check.accept(path, names);
    }
    if (indexOf(names, "y") < 0) {
      throw new IllegalArgumentException(path + ": no column 'y' (the intensity); columns are "
          + String.join(",", names));
    }
    DataType yType = schema.apply("y").dataType();
    if (!(yType instanceof NumericType)) {
      throw new IllegalArgumentException(path + ": column y has type " + yType.simpleString()
          + ", expected a number");
    }
    Column yCol = col("y").cast(DataTypes.DoubleType).as("y");
    if (indexOf(names, "a") >= 0) {
      DataType aType = schema.apply("a").dataType();
      Column aCol;
      if (aType instanceof org.apache.spark.ml.linalg.VectorUDT
          || aType instanceof org.apache.spark.mllib.linalg.VectorUDT) {
        aCol = org.apache.spark.ml.functions.vector_to_array(col("a"), "float64");
      } else if (aType instanceof ArrayType && ((ArrayType) aType).elementType() instanceof NumericType) {
        aCol = col("a").cast(DataTypes.createArrayType(DataTypes.DoubleType));
      } else {
        throw new IllegalArgumentException(path + ": column a has type " + aType.simpleString()
            + "; expected array<double> (or another numeric array) or a Spark ML Vector");
      }
      Dataset<Row> df = raw.select(yCol, aCol.as("a"), input_file_name().as(FILE),
          input_file_block_start().as(START));
      // The arrays fix d only when read; take it from the first row (a small job) so that every task can
      // check lengths against the same d while it packs blocks.
      List<Row> first;
      try {
        first = df.where(col("a").isNotNull()).select(size(col("a")), col(FILE)).takeAsList(1);
      } catch (Exception e) {
        throw new IllegalArgumentException(files.readFailure(e, Format.PARQUET, conf), e);
      }
      int d = first.isEmpty() ? 0 : first.get(0).getInt(0);
      String ref = first.isEmpty() ? "" : first.get(0).getString(1);
      if (!first.isEmpty() && d == 0) {
        throw new IllegalArgumentException(ref + ": no sensing columns: column a holds empty arrays");
      }
      return new Plan(df, d, new ArrayDecoder(d, ref, labels));
    }
    List<String> coords = new ArrayList<>();
    List<Column> cols = new ArrayList<>();
    cols.add(yCol);
    for (StructField f : schema.fields()) {
      if (f.name().equals("y")) {
        continue;
      }
      if (!(f.dataType() instanceof NumericType)) {
        throw new IllegalArgumentException(path + ": column " + f.name() + " has type "
            + f.dataType().simpleString() + "; sensing columns must be numeric (or use one column a of type"
            + " array<double> or Vector)");
      }
      coords.add(f.name());
      cols.add(col(quote(f.name())).cast(DataTypes.DoubleType));
    }
    if (coords.isEmpty()) {
      throw new IllegalArgumentException(path + ": no sensing columns: only 'y' is present; add a column a"
          + " (array<double> or Vector) or one numeric column per coordinate");
    }
    cols.add(input_file_name().as(FILE));
    cols.add(input_file_block_start().as(START));
    Dataset<Row> df = raw.select(cols.toArray(new Column[0]));
    return new Plan(df, coords.size(), new ColumnsDecoder(coords.toArray(new String[0]), labels));
  }

  /** Decodes (y double, a array<double>). */
  private static final class ArrayDecoder implements RowDecoder {
    private static final long serialVersionUID = 1L;
    private final int d;
    private final String reference;
    private final Labels labels;

    ArrayDecoder(int d, String reference, Labels labels) {
      this.d = d;
      this.reference = reference;
      this.labels = labels;
    }

    @Override
    public String decode(InternalRow row, double[] a, int stride, int r, double[] y) {
      String bad = checkY(row, labels);
      if (bad != null) {
        return bad;
      }
      double yv = row.getDouble(0);
      if (row.isNullAt(1)) {
        return "column a: missing value (null)";
      }
      ArrayData arr = row.getArray(1);
      int len = arr.numElements();
      if (len != d) {
        return "column a: array of length " + len + ", expected d = " + d
            + " (the length of the first array read, in " + reference + "); all arrays must have the same length";
      }
      for (int j = 0; j < d; j++) {
        if (arr.isNullAt(j)) {
          return "column a: entry " + (j + 1) + " is null";
        }
        double v = arr.getDouble(j);
        if (!Double.isFinite(v)) {
          return "column a: entry " + (j + 1) + " is " + v + "; values must be finite";
        }
        a[r + j * stride] = v;
      }
      y[r] = yv;
      return null;
    }

    @Override
    public String coordinate(int j) {
      return "column a, entry " + (j + 1);
    }
  }

  /** Decodes (y double, coordinate 1 double, ..., coordinate d double). */
  private static final class ColumnsDecoder implements RowDecoder {
    private static final long serialVersionUID = 1L;
    private final String[] names;
    private final Labels labels;

    ColumnsDecoder(String[] names, Labels labels) {
      this.names = names;
      this.labels = labels;
    }

    @Override
    public String decode(InternalRow row, double[] a, int stride, int r, double[] y) {
      String bad = checkY(row, labels);
      if (bad != null) {
        return bad;
      }
      double yv = row.getDouble(0);
      for (int j = 0; j < names.length; j++) {
        if (row.isNullAt(j + 1)) {
          return "column " + names[j] + ": missing value (null)";
        }
        double v = row.getDouble(j + 1);
        bad = checkFinite(v, names[j]);
        if (bad != null) {
          return bad;
        }
        a[r + j * stride] = v;
      }
      y[r] = yv;
      return null;
    }

    @Override
    public String coordinate(int j) {
      return "column " + names[j];
    }
  }

  // ----------------------------------------------------------------------------------- shared validation

  /** Writes row {@code r} of a block (stride = the block's row capacity) or says what is wrong with it. */
  interface RowDecoder extends Serializable {
    /** @return null if the row is valid, else "column c: what is wrong" */
    String decode(InternalRow row, double[] a, int stride, int r, double[] y);

    /** How messages name coordinate j (0-based) of a_i, e.g. "column a3". */
    String coordinate(int j);

    /** How messages name the intensity. */
    default String intensity() {
      return "column y";
    }
  }

  /** What is wrong with the response in column 0 of {@code row} (null, not finite, a negative intensity), or null. */
  private static String checkY(InternalRow row, Labels labels) {
    return row.isNullAt(0) ? "column y: missing value (null)" : checkResponse(row.getDouble(0), "y", labels);
  }

  private static String checkResponse(double v, String column, Labels labels) {
    return labels == Labels.INTENSITIES ? checkIntensity(v, column) : checkFinite(v, column);
  }

  static String checkFinite(double v, String column) {
    if (Double.isNaN(v)) {
      return "column " + column + ": value is NaN; values must be finite numbers";
    }
    if (Double.isInfinite(v)) {
      return "column " + column + ": value is " + v + "; values must be finite numbers";
    }
    return null;
  }

  private static String checkIntensity(double v, String column) {
    String bad = checkFinite(v, column);
    if (bad == null && v < 0) {
      bad = "column " + column + ": negative intensity " + v + "; intensities y must be >= 0";
    }
    return bad;
  }

  // -------------------------------------------------------------------------------- the one loading job

  static Measurements load(SparkSession spark, String path, Plan plan, int blockRows, StorageLevel level,
      java.util.function.Function<Exception, String> failure) {
    return load(spark, path, plan, blockRows, level, failure, true);
  }

  /** {@code atLeastD}: refuse fewer rows than sensing columns (measurements; not completion entries). */
  static Measurements load(SparkSession spark, String path, Plan plan, int blockRows, StorageLevel level,
      java.util.function.Function<Exception, String> failure, boolean atLeastD) {
    SegmentAccumulator segments = new SegmentAccumulator();
    spark.sparkContext().register(segments, "input segments of " + path);
    RowDecoder decoder = plan.decoder;
    int d = plan.d;
    int fileIndex = plan.df.schema().fieldIndex(FILE);
    int startIndex = plan.df.schema().fieldIndex(START);
    JavaRDD<Block> blocks = plan.df.queryExecution().toRdd().toJavaRDD()
        .mapPartitionsWithIndex((partition, rows) -> (Iterator<Block>) new BlockPacker(partition, rows, decoder, d,
            blockRows, fileIndex, startIndex, segments), true)
        .setName("measurements " + path)
        .persist(level);
    String previous = spark.sparkContext().getLocalProperty("spark.job.description");
    spark.sparkContext().setJobDescription("load, validate and cache measurements from " + path);
    try {
      blocks.count();
    } catch (Exception e) {
      blocks.unpersist(false);
      throw new IllegalArgumentException(failure.apply(e), e);
    } finally {
      spark.sparkContext().setJobDescription(previous);
    }
    long n = 0;
    String error = null;
    Map<String, List<InputSegment>> byFile = new TreeMap<>();
    for (InputSegment s : segments.value().values()) {
      byFile.computeIfAbsent(s.file, f -> new ArrayList<>()).add(s);
      n += s.rows;
    }
    for (Map.Entry<String, List<InputSegment>> e : byFile.entrySet()) {
      List<InputSegment> parts = e.getValue();
      parts.sort(Comparator.comparingLong(s -> s.start));
      long before = 0;
      for (InputSegment s : parts) {
        if (s.badRow >= 0) {
          String file = e.getKey().isEmpty() ? path : e.getKey();
          error = file + ": row " + (before + s.badRow + 1) + ", " + s.reason;
          break;
        }
        before += s.rows;
      }
      if (error != null) {
        break;
      }
    }
    if (error == null && n == 0) {
      error = path + ": empty input: no data rows";
    }
    if (error == null && atLeastD && n < d) {
      error = path + ": fewer measurements than dimensions: n = " + n + " rows but d = " + d
          + " coordinates; need n >= d";
    }
    if (error != null) {
      blocks.unpersist(false);
      throw new IllegalArgumentException(error);
    }
    return new Measurements(blocks, n, d, path);
  }

  /**
   * Packs one partition's rows into blocks of {@code capacity} rows (the last one shorter), decoding straight
   * into the block arrays. Tracks input segments; after the first bad row it keeps only validating (to count
   * rows and find each segment's first bad row) and emits nothing more, since the load will fail anyway.
   */
  private static final class BlockPacker implements Iterator<Block> {
    private final int partition;
    private final Iterator<InternalRow> rows;
    private final RowDecoder decoder;
    private final int d;
    private final int capacity;
    private final int fileIndex;
    private final int startIndex;
    private final SegmentAccumulator segments;
    private double[] a;
    private double[] y;
    private int fill;
    private int blocksMade;
    private boolean failed;
    private boolean finished;
    private InputSegment current;
    private UTF8String currentFile;
    private Block next;

    BlockPacker(int partition, Iterator<InternalRow> rows, RowDecoder decoder, int d, int capacity, int fileIndex,
        int startIndex, SegmentAccumulator segments) {
      this.partition = partition;
      this.rows = rows;
      this.decoder = decoder;
      this.d = d;
      this.capacity = capacity;
      this.fileIndex = fileIndex;
      this.startIndex = startIndex;
      this.segments = segments;
      this.a = new double[capacity * d];
      this.y = new double[capacity];
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
        track(row);
        // After a failure, rows are decoded into row 0 as scratch: only their validity matters now.
        int r = failed ? 0 : fill;
        String error = decoder.decode(row, a, capacity, r, y);
        if (error == null) {
          error = RowBounds.measurement(a, capacity, r, d, y[r], decoder::coordinate, decoder.intensity());
        }
        long local = current.rows++;
        if (error != null) {
          if (current.badRow < 0) {
            current.badRow = local;
            current.reason = error;
          }
          failed = true;
          continue;
        }
        if (!failed && ++fill == capacity) {
          Block b = new Block(id(), capacity, d, a, y);
          a = new double[capacity * d];
          y = new double[capacity];
          fill = 0;
          return b;
        }
      }
      if (!finished) {
        finished = true;
        if (current != null) {
          segments.add(current);
        }
        if (!failed && fill > 0) {
          double[] ta = new double[fill * d];
          for (int j = 0; j < d; j++) {
            System.arraycopy(a, j * capacity, ta, j * fill, fill);
          }
          double[] ty = java.util.Arrays.copyOf(y, fill);
          return new Block(id(), fill, d, ta, ty);
        }
      }
      return null;
    }

    private long id() {
      return ((long) partition << 32) | blocksMade++;
    }

    private void track(InternalRow row) {
      UTF8String file = row.isNullAt(fileIndex) ? UTF8String.EMPTY_UTF8 : row.getUTF8String(fileIndex);
      long start = row.isNullAt(startIndex) ? -1 : row.getLong(startIndex);
      if (current == null || current.start != start || !currentFile.equals(file)) {
        if (current != null) {
          segments.add(current);
        }
        currentFile = file.clone(); // the row's bytes are reused by the next row
        current = new InputSegment(currentFile.toString(), start);
      }
    }
  }

  // ---------------------------------------------------------------------------------------------- helpers

  private static int indexOf(String[] names, String name) {
    for (int i = 0; i < names.length; i++) {
      if (names[i].equals(name)) {
        return i;
      }
    }
    return -1;
  }

  /**
   * Refuses repeated column names (ignoring case, as Spark resolves them), which Spark would otherwise report as an
   * ambiguous reference or a column that was never asked for.
   */
  static void requireUniqueNames(String[] names, String where) {
    java.util.Map<String, String> seen = new java.util.HashMap<>();
    List<String> repeated = new ArrayList<>();
    for (String name : names) {
      String before = seen.putIfAbsent(name.toLowerCase(java.util.Locale.ROOT), name);
      if (before != null) {
        repeated.add(before.equals(name) ? name : before + " and " + name + " (Spark compares names ignoring case)");
      }
    }
    if (!repeated.isEmpty()) {
      throw new IllegalArgumentException(where + ": duplicate column name" + (repeated.size() > 1 ? "s " : " ")
          + String.join(", ", repeated) + "; every column needs its own name");
    }
  }

  /** Backquotes a column name so dots or spaces in CSV headers are not read as struct paths. */
  static String quote(String name) {
    return "`" + name.replace("`", "``") + "`";
  }

  private static String abbreviate(String s) {
    return s.length() <= 80 ? s : s.substring(0, 77) + "...";
  }

  /** The innermost cause's message on one line: Spark wraps task errors several times. */
  static String firstLine(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    String m = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    return m.strip().replaceAll("\\s*\\R\\s*", "; ");
  }
}
