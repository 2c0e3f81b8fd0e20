package io.lowrank.io;

import java.io.BufferedReader;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;

/** The signal x* as a text file: one number per line (blank lines ignored), on any Hadoop FileSystem. */
public final class TruthFile {
  private TruthFile() {}

  /**
   * Reads a truth vector of length {@code d}.
   *
   * @throws IllegalArgumentException if the file is missing or unreadable, has a non-numeric or non-finite
   *     line, or does not hold exactly d values
   */
  public static double[] read(String path, int d, Configuration conf) {
    if (d < 1) {
      throw new IllegalArgumentException("truth file " + path + ": d must be >= 1, got " + d);
    }
    Path p = new Path(path);
    double[] x = new double[d];
    int count = 0;
    try {
      FileSystem fs = p.getFileSystem(conf);
      if (!fs.exists(p)) {
        throw new IllegalArgumentException("truth file " + path + " does not exist");
      }
      if (fs.getFileStatus(p).isDirectory()) {
        throw new IllegalArgumentException("truth file " + path + " is a directory, expected a text file");
      }
      try (BufferedReader in = new BufferedReader(new InputStreamReader(fs.open(p), StandardCharsets.UTF_8))) {
        String line;
        int lineNo = 0;
        while ((line = in.readLine()) != null) {
          lineNo++;
          String s = line.trim();
          if (s.isEmpty()) {
            continue;
          }
          double v;
          try {
            v = Double.parseDouble(s);
          } catch (NumberFormatException e) {
            throw new IllegalArgumentException("truth file " + path + ", line " + lineNo + ": '" + s
                + "' is not a number");
          }
          if (!Double.isFinite(v)) {
            throw new IllegalArgumentException("truth file " + path + ", line " + lineNo + ": value " + v
                + " is not finite");
          }
          // Keep counting past d so the message can say how many values there really are.
          if (count < d) {
            x[count] = v;
          }
          count++;
        }
      }
    } catch (FileNotFoundException e) {
      throw new IllegalArgumentException("truth file " + path + " does not exist", e);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read truth file " + path + ": " + e.getMessage(), e);
    }
    if (count != d) {
      throw new IllegalArgumentException("truth file " + path + " has " + count + " values, expected d = " + d);
    }
    return x;
  }

  /**
   * Writes {@code x}, one value per line in full precision, replacing any existing file. The data go to a
   * hidden temporary file in the same directory that is then renamed, so readers never see half a file.
   *
   * @throws IllegalArgumentException if a value is not finite or the file cannot be written
   */
  public static void write(String path, double[] x, Configuration conf) {
    for (int j = 0; j < x.length; j++) {
      if (!Double.isFinite(x[j])) {
        throw new IllegalArgumentException("cannot write truth file " + path + ": entry " + (j + 1) + " is " + x[j]);
      }
    }
    writeText(path, "truth file", w -> {
      StringBuilder sb = new StringBuilder();
      for (double v : x) {
        sb.setLength(0);
        w.write(sb.append(v).append('\n').toString());
      }
    }, conf);
  }

  /** Writes the text of a small file. */
  interface Text {
    void writeTo(Writer w) throws IOException;
  }

  /**
   * Writes a small text file (a truth, a factor, a record beside them), replacing any existing file: the text goes to
   * a hidden temporary file in the same directory that is then renamed, so readers never see half a file.
   *
   * @param what names the file in the error, e.g. "truth file"
   * @throws IllegalArgumentException if the file cannot be written
   */
  static void writeText(String path, String what, Text text, Configuration conf) {
    Path target = new Path(path);
    Path parent = target.getParent();
    Path tmp = new Path(parent, "." + target.getName() + ".tmp-" + UUID.randomUUID());
    try {
      FileSystem fs = target.getFileSystem(conf);
      if (fs instanceof LocalFileSystem local) {
        fs = local.getRawFileSystem(); // no .crc side file beside a user's truth file
      }
      if (parent != null && !fs.exists(parent)) {
        fs.mkdirs(parent);
      }
      try (OutputStream out = fs.create(tmp, false);
          Writer w = new OutputStreamWriter(out, StandardCharsets.UTF_8)) {
        text.writeTo(w);
      }
      // Hadoop's rename does not replace an existing target on every FileSystem (HDFS refuses).
      if (fs.exists(target) && !fs.delete(target, false)) {
        throw new IOException("cannot replace existing " + target);
      }
      if (!fs.rename(tmp, target)) {
        throw new IOException("rename of " + tmp + " to " + target + " failed");
      }
    } catch (IOException e) {
      try {
        tmp.getFileSystem(conf).delete(tmp, false);
      } catch (IOException ignored) {
        // The write already failed; the original error is the one to report.
      }
      throw new IllegalArgumentException("cannot write " + what + " " + path + ": " + e.getMessage(), e);
    }
  }
}
