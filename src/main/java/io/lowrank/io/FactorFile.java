package io.lowrank.io;

import io.lowrank.data.FactorTruth;
import io.lowrank.data.LowRankTruth;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * A d×k factor as text on any Hadoop FileSystem: d non-empty lines, each with k comma-separated numbers (row i of
 * the factor). With k = 1 it is the phase-retrieval truth format (one number per line); {@code lowrank sensing}
 * writes its estimate.csv in this format, and reads --truth X* (M* = X*X*^T) from it; {@code lowrank generate --kind
 * sensing} writes X* (and Y*) in it; {@code lowrank sensing --operator completion|asymmetric} reads --truth X* and
 * --truth-right Y* (M* = X*Y*^T) from it.
 */
public final class FactorFile {
  private FactorFile() {}

  /**
   * Reads the factor X* of a d×d matrix M* = X* X*^T.
   *
   * @param d the rows the file must hold (0 = as many as it holds)
   * @return the factor, column-major d×k, as a {@link LowRankTruth}
   * @throws IllegalArgumentException if the file is missing or empty, a value is not a finite number, rows differ in
   *     length, the file does not hold exactly d rows, or the columns are dependent
   */
  public static LowRankTruth read(String path, int d, Configuration conf) {
    Values x = values(path, d, conf);
    try {
      return LowRankTruth.ofFactor(x.values(), x.rows(), x.cols());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("truth file " + path + ": " + e.getMessage(), e);
    }
  }

  /**
   * Reads M* = X* Y*^T from the factor files of X* ({@code left}, d1 rows) and Y* ({@code right}, d2 rows), each of
   * full column rank r*.
   *
   * @param d1 the rows of X* (0 = as many as the file holds)
   * @param d2 the rows of Y* (0 = as many as the file holds)
   * @throws IllegalArgumentException as {@link #read}, naming the file and the factor (X* or Y*), or when the factors
   *     differ in rank
   */
  public static FactorTruth readPair(String left, int d1, String right, int d2, Configuration conf) {
    LowRankTruth x = read(left, d1, conf);
    Values y = values(right, d2, conf);
    if (y.cols() != x.rank()) {
      throw new IllegalArgumentException("the truth's factors differ in rank: " + left + " (X*) has " + x.rank()
          + " columns, " + right + " (Y*) has " + y.cols());
    }
    try {
      LowRankTruth.gramEigenvalues(y.values(), y.rows(), y.cols(), "Y*");
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("truth file " + right + ": " + e.getMessage(), e);
    }
    return FactorTruth.of(x.factor(), x.d(), y.values(), y.rows(), x.rank());
  }

  /** Reads a factor whatever its number of rows d (the size of the matrix it is the factor of). */
  public static LowRankTruth read(String path, Configuration conf) {
    return read(path, 0, conf);
  }

  /**
   * A factor file's values, column-major {@code rows x cols}.
   *
   * @param values the entries, column-major
   * @param rows the lines of the file
   * @param cols the values per line
   */
  public record Values(double[] values, int rows, int cols) {}

  /** The values of a truth factor file of {@code d} rows (0 = as many as it holds), checked as numbers. */
  private static Values values(String path, int d, Configuration conf) {
    return values(path, d, conf, "truth file");
  }

  /**
   * A factor file read as a plain matrix, without the rank check of a truth (e.g. a start point, which may be rank
   * deficient); errors name the file as {@code what} (e.g. "start file (escape.x0)").
   *
   * @param d the rows it must have (0 = as many as it holds)
   * @throws IllegalArgumentException if the file is missing or empty, a value is not a finite number, rows differ in
   *     length, or it does not hold d rows
   */
  public static Values values(String path, int d, Configuration conf, String what) {
    Path p = new Path(path);
    List<double[]> rows = new ArrayList<>();
    try {
      FileSystem fs = p.getFileSystem(conf);
      if (!fs.exists(p) || fs.getFileStatus(p).isDirectory()) {
        throw new IllegalArgumentException(what + " " + path + " does not exist or is a directory");
      }
      try (BufferedReader in = new BufferedReader(new InputStreamReader(fs.open(p), StandardCharsets.UTF_8))) {
        String line;
        int lineNo = 0;
        while ((line = in.readLine()) != null) {
          lineNo++;
          if (line.isBlank()) {
            continue;
          }
          String[] cells = line.split(",");
          double[] row = new double[cells.length];
          for (int k = 0; k < cells.length; k++) {
            try {
              row[k] = Double.parseDouble(cells[k].trim());
            } catch (NumberFormatException e) {
              throw new IllegalArgumentException(what + " " + path + ", line " + lineNo + ": '" + cells[k].trim()
                  + "' is not a number");
            }
            if (!Double.isFinite(row[k])) {
              throw new IllegalArgumentException(what + " " + path + ", line " + lineNo + ": value is not finite");
            }
          }
          if (!rows.isEmpty() && row.length != rows.get(0).length) {
            throw new IllegalArgumentException(what + " " + path + ", line " + lineNo + ": " + row.length
                + " values, expected " + rows.get(0).length + " like the first row");
          }
          rows.add(row);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + what + " " + path, e);
    }
    if (d > 0 && rows.size() != d) {
      throw new IllegalArgumentException(what + " " + path + " has " + rows.size() + " rows, expected d = " + d);
    }
    if (rows.isEmpty()) {
      throw new IllegalArgumentException(what + " " + path + " has no rows");
    }
    int n = rows.size();
    int k = rows.get(0).length;
    double[] x = new double[n * k];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < k; j++) {
        x[i + j * n] = rows.get(i)[j];
      }
    }
    return new Values(x, n, k);
  }

  /**
   * Writes the d×k factor {@code x} (column-major) in this format, d lines of k values in full precision, replacing
   * any existing file atomically (see {@link TruthFile#write}).
   *
   * @throws IllegalArgumentException if a value is not finite or the file cannot be written
   */
  public static void write(String path, double[] x, int d, int k, Configuration conf) {
    if (x.length != (long) d * k) {
      throw new IllegalArgumentException("cannot write factor file " + path + ": " + x.length + " values, expected "
          + d + "x" + k);
    }
    for (int j = 0; j < x.length; j++) {
      if (!Double.isFinite(x[j])) {
        throw new IllegalArgumentException("cannot write factor file " + path + ": entry (" + (j % d + 1) + ", "
            + (j / d + 1) + ") is " + x[j]);
      }
    }
    TruthFile.writeText(path, "factor file", w -> {
      StringBuilder sb = new StringBuilder();
      for (int i = 0; i < d; i++) {
        sb.setLength(0);
        for (int j = 0; j < k; j++) {
          sb.append(j == 0 ? "" : ",").append(x[i + j * d]);
        }
        w.write(sb.append('\n').toString());
      }
    }, conf);
  }
}
