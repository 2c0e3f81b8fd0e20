package io.lowrank.io;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongPredicate;
import java.util.function.LongToDoubleFunction;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Which measurements a generator corrupted: a CSV text file with the header {@code i,s} and one line per corrupted
 * measurement, its 0-based index i (the row of the data, part files in name order) and the outlier s_i added to its
 * response, in the units of the data as written. {@code lowrank generate --kind sensing --outliers p} writes it beside
 * the truth, for landscape probes and diagnostics; no solver reads it.
 *
 * @param index the corrupted measurements, increasing
 * @param outlier s_i of each
 */
public record OutlierRecord(long[] index, double[] outlier) {
  /** The header line. */
  public static final String HEADER = "i,s";

  /**
   * Writes the record of measurements 0..m−1 atomically (see {@link TruthFile#write}), computing it as it goes.
   *
   * @param corrupted whether measurement i is corrupted
   * @param outlier s_i of a corrupted measurement i
   */
  public static void write(String path, long m, LongPredicate corrupted, LongToDoubleFunction outlier,
      Configuration conf) {
    TruthFile.writeText(path, "outlier record", w -> {
      w.write(HEADER + "\n");
      StringBuilder sb = new StringBuilder();
      for (long i = 0; i < m; i++) {
        if (corrupted.test(i)) {
          sb.setLength(0);
          w.write(sb.append(i).append(',').append(outlier.applyAsDouble(i)).append('\n').toString());
        }
      }
    }, conf);
  }

  /**
   * Reads a record.
   *
   * @throws IllegalArgumentException if the file is missing, its header is not i,s, or a line is not an index and a
   *     finite number
   */
  public static OutlierRecord read(String path, Configuration conf) {
    Path p = new Path(path);
    List<long[]> idx = new ArrayList<>();
    List<Double> s = new ArrayList<>();
    try {
      FileSystem fs = p.getFileSystem(conf);
      if (!fs.exists(p) || fs.getFileStatus(p).isDirectory()) {
        throw new IllegalArgumentException("outlier record " + path + " does not exist or is a directory");
      }
      try (BufferedReader in = new BufferedReader(new InputStreamReader(fs.open(p), StandardCharsets.UTF_8))) {
        String header = in.readLine();
        if (header == null || !header.trim().equals(HEADER)) {
          throw new IllegalArgumentException("outlier record " + path + ": the first line must be " + HEADER);
        }
        String line;
        int lineNo = 1;
        while ((line = in.readLine()) != null) {
          lineNo++;
          if (line.isBlank()) {
            continue;
          }
          String[] cells = line.split(",");
          try {
            long i = Long.parseLong(cells[0].trim());
            double v = Double.parseDouble(cells[1].trim());
            if (cells.length != 2 || i < 0 || !Double.isFinite(v)) {
              throw new NumberFormatException();
            }
            idx.add(new long[] {i});
            s.add(v);
          } catch (RuntimeException e) {
            throw new IllegalArgumentException("outlier record " + path + ", line " + lineNo + ": expected an index >= 0"
                + " and a finite number, got '" + line.trim() + "'");
          }
        }
      }
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read outlier record " + path + ": " + e.getMessage(), e);
    }
    long[] index = new long[idx.size()];
    double[] outlier = new double[idx.size()];
    for (int k = 0; k < index.length; k++) {
      index[k] = idx.get(k)[0];
      outlier[k] = s.get(k);
    }
    return new OutlierRecord(index, outlier);
  }
}
