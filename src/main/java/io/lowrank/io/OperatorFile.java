package io.lowrank.io;

import io.lowrank.data.Block;
import io.lowrank.data.PackedSymmetric;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.apache.spark.util.LongAccumulator;

/**
 * Operator files: a user's own sensing matrices, one measurement per row under the header {@code y,a_0,...,a_{D−1}}:
 * the response y_i and vec(A_i) column-major (entry (r, s) of the d1×d2 matrix A_i in column a_{r + s·d1}), with
 * D = d² for square A_i or d1·d2 for a {@link Shape} given by the user. CSV, or Parquet with numeric columns of these
 * names in this order. The values mean what they say: the residual at M is r_i = ⟨A_i, M⟩ − y_i.
 *
 * <p>Read ({@link #read}) into blocks of D raw values per row, every value checked finite (file and row named);
 * for the symmetric model W Wᵀ of the packed operators, {@link #symmetricPacked} turns each row into the packed
 * symmetric part c·pack((A_i + A_iᵀ)/2) and c·y_i with c = 1/√m: ⟨A, W Wᵀ⟩ = ⟨(A + Aᵀ)/2, W Wᵀ⟩, and the packed
 * operators hold a Gaussian operator normalised so that E‖A(M)‖² = ‖M‖_F², which unit-scale A_i (entries N(0, 1),
 * off-diagonal N(0, 1/2) when symmetric) become under c. Written by {@link #write} ({@code lowrank generate --kind
 * sensing}); Spark's CSV writer prints doubles that parse back to the same bits.
 */
public final class OperatorFile {
  /** The prefix of the sensing columns: a_0, a_1, ... */
  public static final String PREFIX = "a_";
  private static final Pattern SHAPE = Pattern.compile("\\s*(\\d+)\\s*[xX]\\s*(\\d+)\\s*");
  private static final double SQRT2 = Math.sqrt(2.0);

  private OperatorFile() {}

  /**
   * The shape d1×d2 of the A_i.
   *
   * @param d1 rows
   * @param d2 columns
   */
  public record Shape(int d1, int d2) implements java.io.Serializable {
    public Shape {
      if (d1 < 1 || d2 < 1 || (long) d1 * d2 > Integer.MAX_VALUE - 1) {
        throw new IllegalArgumentException("the shape d1xd2 needs d1, d2 >= 1 and d1*d2 < 2^31, got " + d1 + "x" + d2);
      }
    }

    /** d×d. */
    public static Shape square(int d) {
      return new Shape(d, d);
    }

    /**
     * Parses "d1xd2" (e.g. 20x30), naming {@code what} (a flag or key) in the error.
     *
     * @throws IllegalArgumentException if the text is not two positive integers joined by x
     */
    public static Shape parse(String text, String what) {
      Matcher m = SHAPE.matcher(text);
      if (!m.matches()) {
        throw new IllegalArgumentException(what + " must be d1xd2 (two positive integers, e.g. 20x30), got '" + text
            + "'");
      }
      try {
        return new Shape(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(what + " = " + text + ": a dimension is too large", e);
      }
    }

    /** D = d1·d2 values per row. */
    public int width() {
      return d1 * d2;
    }

    public boolean isSquare() {
      return d1 == d2;
    }

    @Override
    public String toString() {
      return d1 + "x" + d2;
    }
  }

  /** The raw rows of an operator file and the shape of its A_i. */
  public record Loaded(Measurements measurements, Shape shape) {}

  /**
   * Whether column names are an operator file's: a column named a_0 (the new layout is recognised by its header;
   * {@link #shapeOf} then says what else is wrong with it).
   */
  public static boolean isOperatorHeader(String[] names) {
    for (String n : names) {
      if (n.equals(PREFIX + 0)) {
        return true;
      }
    }
    return false;
  }

  /**
   * The column names of the input at {@code path} (a CSV header as written, or the Parquet schema), read on the
   * driver after the input is listed and checked ({@link InputFiles}), so a bad path fails as for any input.
   */
  public static String[] columns(SparkSession spark, String path, Format format) {
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    InputFiles files = MeasurementReader.checkReadable(path, format, conf);
    if (format == Format.CSV) {
      InputFiles.Header h = files.csvHeader(conf);
      if (h == null) {
        throw new IllegalArgumentException(path + ": empty input: no header row and no data rows");
      }
      return h.names();
    }
    try {
      return spark.read().parquet(path).schema().fieldNames();
    } catch (Exception e) {
      throw new IllegalArgumentException(files.readFailure(e, Format.PARQUET, conf), e);
    }
  }

  /**
   * Checks a header against the layout y,a_0,...,a_{D−1} and returns the shape of the A_i: {@code shape} when given
   * (D must be d1·d2), else d×d with D = d².
   *
   * @param file the file the names come from, for the message
   * @param shape the shape the user gave, or null for square
   * @throws IllegalArgumentException naming the file, the column and what was expected
   */
  public static Shape shapeOf(String file, String[] names, Shape shape) {
    String layout = "an operator file's header is y,a_0,...,a_{D-1} (y_i, then vec(A_i) column-major), in this order";
    if (names.length < 2) {
      throw new IllegalArgumentException(file + ": header " + String.join(",", names) + " has no sensing columns: "
          + layout);
    }
    if (!names[0].equals("y")) {
      throw new IllegalArgumentException(file + ": column 1 is '" + names[0] + "', expected y: " + layout);
    }
    for (int j = 1; j < names.length; j++) {
      if (!names[j].equals(PREFIX + (j - 1))) {
        throw new IllegalArgumentException(file + ": column " + (j + 1) + " is '" + names[j] + "', expected "
            + PREFIX + (j - 1) + ": " + layout);
      }
    }
    int width = names.length - 1;
    if (shape != null) {
      if (width != shape.width()) {
        throw new IllegalArgumentException(file + ": " + width + " sensing columns a_0..a_" + (width - 1)
            + ", expected D = d1*d2 = " + shape.d1() + "*" + shape.d2() + " = " + shape.width() + " for --shape "
            + shape + " (one column per entry of A_i)");
      }
      return shape;
    }
    int d = (int) Math.round(Math.sqrt(width));
    if ((long) d * d != width) {
      throw new IllegalArgumentException(file + ": " + width + " sensing columns a_0..a_" + (width - 1)
          + " is not a square d^2 (" + d + "^2 = " + (long) d * d + ", " + (d + 1) + "^2 = " + (long) (d + 1) * (d + 1)
          + "): a square operator file has D = d^2 columns; give --shape d1xd2 for rectangular A_i");
    }
    return Shape.square(d);
  }

  /**
   * Reads, validates (every value finite, the header of the layout) and caches the raw rows of an operator file:
   * blocks of D = d1·d2 values per row, y as given.
   *
   * @param shape the shape the user gave, or null for square (D = d²)
   */
  public static Loaded read(SparkSession spark, String path, Format format, Shape shape, StorageLevel level) {
    Shape[] found = new Shape[1];
    Measurements m = MeasurementReader.readResponses(spark, path, format, 0, level,
        (file, names) -> found[0] = shapeOf(file, names, shape));
    return new Loaded(m, found[0]);
  }

  /**
   * The packed symmetric rows of raw d×d blocks (not yet computed; the caller caches them): row i becomes
   * c·pack((A_i + A_iᵀ)/2) and y_i becomes c·y_i, c = 1/√m, the convention of the stored Gaussian operator.
   *
   * @param nonSymmetric counts the rows whose A_i is not symmetric (entries compared exactly), when not null
   */
  public static JavaRDD<Block> symmetricPacked(JavaRDD<Block> raw, int d, long m, LongAccumulator nonSymmetric) {
    double c = 1.0 / Math.sqrt(m);
    return raw.map(b -> {
      Block packed = symmetricPacked(b, d, c);
      if (nonSymmetric != null) {
        nonSymmetric.add(nonSymmetricRows(b, d));
      }
      return packed;
    });
  }

  /**
   * One block of raw d×d rows as packed symmetric rows: entry (j, k), j ≤ k, at k(k+1)/2 + j is c·A_kk on the
   * diagonal and c·√2·(A_jk + A_kj)/2 off it ({@link PackedSymmetric} of the symmetric part, times c); y times c.
   */
  public static Block symmetricPacked(Block raw, int d, double c) {
    if (raw.d != d * d) {
      throw new IllegalArgumentException("block " + raw.id + " has " + raw.d + " values per row, expected d^2 = "
          + d * d);
    }
    int rows = raw.rows;
    int p = PackedSymmetric.length(d);
    double[] out = new double[rows * p];
    for (int k = 0; k < d; k++) {
      int base = k * (k + 1) / 2;
      for (int j = 0; j <= k; j++) {
        int outCol = (base + j) * rows;
        int upper = (j + k * d) * rows; // A_jk
        int lower = (k + j * d) * rows; // A_kj
        for (int i = 0; i < rows; i++) {
          out[outCol + i] = j == k ? c * raw.a[upper + i]
              : c * (SQRT2 * (0.5 * (raw.a[upper + i] + raw.a[lower + i])));
        }
      }
    }
    double[] y = new double[rows];
    for (int i = 0; i < rows; i++) {
      y[i] = c * raw.y[i];
    }
    return new Block(raw.id, rows, p, out, y);
  }

  /** Rows of a raw d×d block whose A_i differs from its transpose in some entry. */
  static long nonSymmetricRows(Block raw, int d) {
    long count = 0;
    for (int i = 0; i < raw.rows; i++) {
      outer:
      for (int k = 0; k < d; k++) {
        for (int j = 0; j < k; j++) {
          if (raw.a[i + (j + k * d) * raw.rows] != raw.a[i + (k + j * d) * raw.rows]) {
            count++;
            break outer;
          }
        }
      }
    }
    return count;
  }

  /**
   * The raw rows of packed symmetric blocks of the stored Gaussian operator (values c·pack(A_i), responses c·y_i):
   * vec(A_i) = unpack/c and y_i/c, what {@link #write} puts in a file so that {@link #symmetricPacked} gives the
   * blocks back (up to rounding: ×√m then ÷√m and the √2 of the packing are not exact in floating point).
   */
  public static Block unpackedRows(Block packed, int d, double c) {
    int rows = packed.rows;
    int p = PackedSymmetric.length(d);
    if (packed.d != p) {
      throw new IllegalArgumentException("block " + packed.id + " has " + packed.d + " values per row, expected the "
          + "packed dimension d(d+1)/2 = " + p);
    }
    double[] out = new double[rows * d * d];
    for (int k = 0; k < d; k++) {
      int base = k * (k + 1) / 2;
      for (int j = 0; j <= k; j++) {
        int in = (base + j) * rows;
        int upper = (j + k * d) * rows;
        int lower = (k + j * d) * rows;
        for (int i = 0; i < rows; i++) {
          double v = j == k ? packed.a[in + i] / c : packed.a[in + i] / (SQRT2 * c);
          out[upper + i] = v;
          out[lower + i] = v;
        }
      }
    }
    double[] y = new double[rows];
    for (int i = 0; i < rows; i++) {
      y[i] = packed.y[i] / c;
    }
    return new Block(packed.id, rows, d * d, out, y);
  }

  /** Rows of vec(A_i) and y_i divided by c (the unit-scale rows of an operator normalised by c = 1/√m). */
  public static Block unitScale(Block normalised, double c) {
    double[] a = new double[normalised.a.length];
    for (int q = 0; q < a.length; q++) {
      a[q] = normalised.a[q] / c;
    }
    double[] y = new double[normalised.rows];
    for (int i = 0; i < y.length; i++) {
      y[i] = normalised.y[i] / c;
    }
    return new Block(normalised.id, normalised.rows, normalised.d, a, y);
  }

  /**
   * Writes raw operator rows (blocks of D = d1·d2 values per row) to the directory {@code path} under the header
   * y,a_0,...,a_{D−1} (Parquet: numeric columns of these names).
   */
  public static void write(SparkSession spark, JavaRDD<Block> blocks, String path, Format format, boolean overwrite) {
    MeasurementWriter.writeOperator(spark, blocks, path, format, overwrite);
  }
}
