package io.lowrank.io;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.input_file_block_start;
import static org.apache.spark.sql.functions.input_file_name;

import io.lowrank.data.Block;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import scala.Tuple2;

/**
 * Reads observed matrix entries — rows {@code i,j,y} and an optional weight {@code w} (1 when absent) — from CSV (a
 * header naming the columns, any order) or Parquet (numeric columns i, j, y[, w]) into cached blocks in the layout of
 * {@code model.factor.EntryOperator} (Block.d = 3: i, j, w; then y), validating every row in the job that
 * materialises the cache, with {@link MeasurementReader}'s machinery: the first bad row is reported as
 * "file: row N, column c: what is wrong" (1-based data rows within the file). Rules:
 * <ul>
 *   <li>i and j are 0-based integers (CSV: integer literals; Parquet: integral values), in [0, d1) and [0, d2) when
 *       the shape is given, else the shape is (max i + 1) × (max j + 1) (square, max(i, j) + 1, when symmetric);</li>
 *   <li>y and w finite (NaN and ±Inf refused); no other columns;</li>
 *   <li><b>duplicates are refused</b>: an entry (i, j) listed twice is an error naming the first duplicate in (i, j)
 *       order — a repeated observation is not averaged silently (combine repeats beforehand, e.g. by their mean,
 *       with w their count). For a symmetric model (i, j) and (j, i) are the same entry.</li>
 * </ul>
 */
public final class EntryReader {
  /** Rows per block: 2^17 entries, 4 MB of i, j, w, y. */
  public static final int BLOCK_ROWS = 1 << 17;
  private static final List<String> COLUMNS = List.of("i", "j", "y", "w");

  private EntryReader() {}

  /**
   * The entries and the shape of the matrix they observe.
   *
   * @param measurements the cached blocks (rows = entries, d = 3)
   */
  public record Entries(Measurements measurements, int d1, int d2) {}

  /**
   * Reads, validates, packs and caches the entries at {@code path}.
   *
   * @param d1 rows of the matrix (0 = from the largest i)
   * @param d2 columns (0 = from the largest j)
   * @param symmetric whether (i, j) and (j, i) are one entry (a W W^T model; the shape is then square)
   * @throws IllegalArgumentException for unreadable input, a bad row (named), a duplicate entry (named)
   */
  public static Entries read(SparkSession spark, String path, Format format, int d1, int d2, boolean symmetric,
      StorageLevel level) {
    if (path == null || path.isBlank()) {
      throw new IllegalArgumentException("input path is empty");
    }
    if (d1 < 0 || d2 < 0) {
      throw new IllegalArgumentException("the matrix shape must be >= 0 (0 = from the indices), got " + d1 + "x" + d2);
    }
    int bound1 = d1 > 0 ? d1 : (symmetric && d2 > 0 ? d2 : Integer.MAX_VALUE);
    int bound2 = d2 > 0 ? d2 : (symmetric && d1 > 0 ? d1 : Integer.MAX_VALUE);
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    InputFiles files = MeasurementReader.checkReadable(path, format, conf);
    MeasurementReader.Plan plan = format == Format.CSV
        ? csvPlan(spark, path, files.csvHeader(conf), bound1, bound2)
        : parquetPlan(spark, path, files, conf, bound1, bound2);
    Measurements m = MeasurementReader.load(spark, path, plan, BLOCK_ROWS, level,
        e -> files.readFailure(e, format, conf), false);
    long[] max = m.blocks().map(b -> maxIndices(b)).fold(new long[] {-1, -1},
        (a, b) -> new long[] {Math.max(a[0], b[0]), Math.max(a[1], b[1])});
    int rows = d1 > 0 ? d1 : (int) (symmetric ? Math.max(max[0], max[1]) + 1 : max[0] + 1);
    int cols = d2 > 0 ? d2 : (symmetric ? rows : (int) max[1] + 1);
    if (symmetric && rows != cols) {
      m.unpersist();
      throw new IllegalArgumentException(path + ": a symmetric model needs a square matrix, got " + rows + "x" + cols);
    }
    String duplicate = firstDuplicate(m, cols, symmetric);
    if (duplicate != null) {
      m.unpersist();
      throw new IllegalArgumentException(path + ": " + duplicate);
    }
    return new Entries(m, rows, cols);
  }

  private static long[] maxIndices(Block b) {
    long mi = -1;
    long mj = -1;
    for (int e = 0; e < b.rows; e++) {
      mi = Math.max(mi, (long) b.a[e]);
      mj = Math.max(mj, (long) b.a[e + b.rows]);
    }
    return new long[] {mi, mj};
  }

  /** The message for the smallest (i, j) listed more than once, or null (one shuffle of 8-byte keys). */
  private static String firstDuplicate(Measurements m, int cols, boolean symmetric) {
    long width = Math.max(cols, 1);
    JavaPairRDD<Long, Integer> counts = m.blocks().flatMapToPair(b -> {
      List<Tuple2<Long, Integer>> keys = new ArrayList<>(b.rows);
      for (int e = 0; e < b.rows; e++) {
        long i = (long) b.a[e];
        long j = (long) b.a[e + b.rows];
        if (symmetric && j < i) {
          long t = i;
          i = j;
          j = t;
        }
        keys.add(new Tuple2<>(i * width + j, 1));
      }
      return keys.iterator();
    }).reduceByKey(Integer::sum).filter(t -> t._2() > 1);
    List<Long> first = counts.keys().takeOrdered(1);
    if (first.isEmpty()) {
      return null;
    }
    long key = first.get(0);
    long count = counts.lookup(key).get(0);
    return "entry (i, j) = (" + key / width + ", " + key % width + ") is listed " + count + " times"
        + (symmetric ? " (counting (j, i): one entry of a symmetric model)" : "") + " (the first duplicate in (i, j) "
        + "order); each observed entry must appear once: duplicates are refused, not averaged (combine them first)";
  }

  // ------------------------------------------------------------------------------------------------ CSV

  private static MeasurementReader.Plan csvPlan(SparkSession spark, String path, InputFiles.Header header, int bound1,
      int bound2) {
    if (header == null) {
      throw new IllegalArgumentException(path + ": empty input: no header row and no entries");
    }
    String[] names = header.names();
    int[] at = positions(names, header.file());
    StructType schema = new StructType();
    List<Column> cols = new ArrayList<>();
    for (String name : names) {
      schema = schema.add(name, DataTypes.StringType, true);
      cols.add(col(MeasurementReader.quote(name)));
    }
    schema = schema.add(MeasurementReader.CORRUPT, DataTypes.StringType, true);
    cols.add(col(MeasurementReader.CORRUPT));
    cols.add(input_file_name().as(MeasurementReader.FILE));
    cols.add(input_file_block_start().as(MeasurementReader.START));
    Dataset<Row> df;
    try {
      df = spark.read().schema(schema).option("header", "true").option("mode", "PERMISSIVE")
          .option("columnNameOfCorruptRecord", MeasurementReader.CORRUPT).option("enforceSchema", "false").csv(path)
          .select(cols.toArray(new Column[0]));
    } catch (Exception e) {
      throw new IllegalArgumentException("cannot read CSV " + path + ": " + MeasurementReader.firstLine(e), e);
    }
    return new MeasurementReader.Plan(df, 3, new Decoder(at, names.length, true, bound1, bound2));
  }

  /** Where i, j, y, w are among {@code names} (w: −1 when absent); refuses missing and unknown columns. */
  private static int[] positions(String[] names, String where) {
    int[] at = {-1, -1, -1, -1};
    for (int c = 0; c < names.length; c++) {
      int k = COLUMNS.indexOf(names[c]);
      if (k < 0) {
        throw new IllegalArgumentException(where + ": unexpected column '" + names[c] + "'; completion entries have "
            + "columns i, j, y and optionally w (columns are " + String.join(",", names) + ")");
      }
      at[k] = c;
    }
    for (int k = 0; k < 3; k++) {
      if (at[k] < 0) {
        throw new IllegalArgumentException(where + ": no column '" + COLUMNS.get(k) + "'; completion entries have "
            + "columns i, j, y and optionally w (columns are " + String.join(",", names) + ")");
      }
    }
    return at;
  }

  // -------------------------------------------------------------------------------------------- Parquet

  private static MeasurementReader.Plan parquetPlan(SparkSession spark, String path, InputFiles files,
      Configuration conf, int bound1, int bound2) {
    Dataset<Row> raw;
    try {
      raw = spark.read().parquet(path);
    } catch (Exception e) {
      throw new IllegalArgumentException(files.readFailure(e, Format.PARQUET, conf), e);
    }
    String[] names = raw.schema().fieldNames();
    MeasurementReader.requireUniqueNames(names, path);
    int[] at = positions(names, path);
    List<Column> cols = new ArrayList<>();
    int[] pos = {-1, -1, -1, -1};
    for (int k = 0; k < 4; k++) {
      if (at[k] < 0) {
        continue;
      }
      DataType t = raw.schema().apply(COLUMNS.get(k)).dataType();
      if (!(t instanceof NumericType)) {
        throw new IllegalArgumentException(path + ": column " + COLUMNS.get(k) + " has type " + t.simpleString()
            + ", expected numbers");
      }
      pos[k] = cols.size();
      cols.add(col(COLUMNS.get(k)).cast(DataTypes.DoubleType));
    }
    int n = cols.size();
    cols.add(input_file_name().as(MeasurementReader.FILE));
    cols.add(input_file_block_start().as(MeasurementReader.START));
    return new MeasurementReader.Plan(raw.select(cols.toArray(new Column[0])), 3,
        new Decoder(pos, n, false, bound1, bound2));
  }

  // ------------------------------------------------------------------------------------------------ rows

  /** Decodes one row (CSV strings, or Parquet doubles) into (i, j, w) and y, with the checks of the class. */
  private static final class Decoder implements MeasurementReader.RowDecoder {
    private static final long serialVersionUID = 1L;
    private final int[] at;
    private final int fields;
    private final boolean text;
    private final int bound1;
    private final int bound2;

    Decoder(int[] at, int fields, boolean text, int bound1, int bound2) {
      this.at = at;
      this.fields = fields;
      this.text = text;
      this.bound1 = bound1;
      this.bound2 = bound2;
    }

    @Override
    public String decode(InternalRow row, double[] a, int stride, int r, double[] y) {
      if (text && !row.isNullAt(fields)) {
        int found = MeasurementReader.countFields(row.getUTF8String(fields).toString());
        return "the row has " + found + " fields but the header has " + fields;
      }
      double[] v = new double[4];
      for (int k = 0; k < 4; k++) {
        if (at[k] < 0) {
          v[k] = 1.0; // w absent
          continue;
        }
        String name = COLUMNS.get(k);
        if (row.isNullAt(at[k])) {
          return "column " + name + ": missing value";
        }
        if (text) {
          String s = row.getUTF8String(at[k]).toString().trim();
          if (k < 2) {
            try {
              v[k] = Long.parseLong(s);
            } catch (NumberFormatException e) {
              return "column " + name + ": '" + s + "' is not an integer (a 0-based index)";
            }
          } else {
            try {
              v[k] = Double.parseDouble(s);
            } catch (NumberFormatException e) {
              return "column " + name + ": '" + s + "' is not a number";
            }
          }
        } else {
          v[k] = row.getDouble(at[k]);
          if (k < 2 && v[k] != Math.rint(v[k])) {
            return "column " + name + ": " + v[k] + " is not an integer (a 0-based index)";
          }
        }
        if (k < 2) {
          int bound = k == 0 ? bound1 : bound2;
          if (v[k] < 0 || v[k] >= bound) {
            return "column " + name + ": index " + (long) v[k] + " is outside [0, " + (bound == Integer.MAX_VALUE
                ? "2^31 - 1" : (k == 0 ? "d1 = " : "d2 = ") + bound) + ")";
          }
        } else {
          String bad = MeasurementReader.checkFinite(v[k], name);
          if (bad != null) {
            return bad;
          }
        }
      }
      a[r] = v[0];
      a[r + stride] = v[1];
      a[r + 2 * stride] = v[3];
      y[r] = v[2];
      return null;
    }

    @Override
    public String coordinate(int k) {
      return "column " + (k == 0 ? "i" : k == 1 ? "j" : "w");
    }
  }
}
