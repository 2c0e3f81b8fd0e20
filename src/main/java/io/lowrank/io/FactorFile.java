package io.lowrank.io;

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
 * sensing} writes X* (and Y*) in it.
 */
public final class FactorFile {
  private FactorFile() {}

  /**
   * Reads the factor of a d×d matrix.
   *
   * @return the factor, column-major d×k, as a {@link LowRankTruth}
   * @throws IllegalArgumentException if the file is missing, a value is not a finite number, rows differ in length,
   *     or the file does not hold exactly d rows
   */
  public static LowRankTruth read(String path, int d, Configuration conf) {
    LowRankTruth t = read(path, conf);
    if (t.d() != d) {
      throw new IllegalArgumentException("truth file " + path + " has " + t.d() + " rows, expected d = " + d);
    }
    return t;
  }

  /**
   * Reads a factor whatever its number of rows d (the size of the matrix it is the factor of).
   *
   * @throws IllegalArgumentException if the file is missing or empty, a value is not a finite number, or rows differ in
   *     length
   */
  public static LowRankTruth read(String path, Configuration conf) {
    Path p = new Path(path);
    List<double[]> rows = new ArrayList<>();
    try {
      FileSystem fs = p.getFileSystem(conf);
      if (!fs.exists(p) || fs.getFileStatus(p).isDirectory()) {
        throw new IllegalArgumentException("truth file " + path + " does not exist or is a directory");
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
              throw new IllegalArgumentException("truth file " + path + ", line " + lineNo + ": '" + cells[k].trim()
                  + "' is not a number");
            }
            if (!Double.isFinite(row[k])) {
              throw new IllegalArgumentException("truth file " + path + ", line " + lineNo + ": value is not finite");
            }
          }
          if (!rows.isEmpty() && row.length != rows.get(0).length) {
            throw new IllegalArgumentException("truth file " + path + ", line " + lineNo + ": " + row.length
                + " values, expected " + rows.get(0).length + " like the first row");
          }
          rows.add(row);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read truth file " + path, e);
    }
    if (rows.isEmpty()) {
      throw new IllegalArgumentException("truth file " + path + " has no rows");
    }
    int d = rows.size();
    int k = rows.get(0).length;
    double[] x = new double[d * k];
    for (int i = 0; i < d; i++) {
      for (int j = 0; j < k; j++) {
        x[i + j * d] = rows.get(i)[j];
      }
    }
    try {
      return LowRankTruth.ofFactor(x, d, k);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("truth file " + path + ": " + e.getMessage(), e);
    }
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
