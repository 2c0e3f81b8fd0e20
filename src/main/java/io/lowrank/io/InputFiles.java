package io.lowrank.io;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.compress.CompressionCodec;
import org.apache.hadoop.io.compress.CompressionCodecFactory;

/**
 * The data files of an input path (a file, a directory of part files, or a glob), listed and checked on the driver
 * before any Spark job touches them, so that what Spark would report from inside a task (with an executor's stack
 * trace) is refused with one line naming the file: a directory mixing CSV and Parquet files, a file named for one
 * format read as the other, a Parquet file too short to be one (a writer that did not finish leaves 0 bytes), and,
 * for CSV, a header with duplicate or empty column names. Hidden files (names starting with {@code _} or
 * {@code .}, e.g. {@code _SUCCESS}, {@code .crc}) are skipped, as Spark's readers skip them; subdirectories are
 * listed too (Spark reads them as partitions).
 */
final class InputFiles {
  /**
   * Magic at both ends plus the 4-byte footer length: no Parquet file is shorter (an empty one is 0 bytes when its
   * writer died before the footer).
   */
  static final int MIN_PARQUET_BYTES = 12;
  /** Longest header line read on the driver: a longer one is binary data, not a CSV header. */
  private static final int MAX_HEADER_BYTES = 1 << 20;

  private final String path;
  private final List<FileStatus> files;

  private InputFiles(String path, List<FileStatus> files) {
    this.path = path;
    this.files = files;
  }

  /**
   * Lists the data files of {@code path}, in name order.
   *
   * @throws IllegalArgumentException when the path does not exist, names a directory without data files, or cannot
   *     be listed
   */
  static InputFiles list(String path, Configuration conf) {
    try {
      Path p = new Path(path);
      FileSystem fs = fileSystem(p, conf);
      FileStatus[] matches = fs.globStatus(p);
      if (matches == null || matches.length == 0) {
        throw new IllegalArgumentException("input path " + path + " does not exist");
      }
      List<FileStatus> files = new ArrayList<>();
      for (FileStatus st : matches) {
        if (st.isDirectory()) {
          int before = files.size();
          addFiles(fs, st.getPath(), files);
          if (files.size() == before) {
            throw new IllegalArgumentException("input directory " + st.getPath() + (st.getPath().toString()
                .endsWith(path) ? "" : " (from " + path + ")") + " holds no data files: empty input");
          }
        } else {
          files.add(st);
        }
      }
      files.sort(Comparator.comparing((FileStatus f) -> f.getPath().toString()));
      return new InputFiles(path, files);
    } catch (FileNotFoundException e) {
      throw new IllegalArgumentException("input path " + path + " does not exist", e);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read input path " + path + ": " + MeasurementReader.firstLine(e), e);
    }
  }

  /**
   * The file system of {@code p}; a scheme whose connector is not on the classpath (e.g. {@code s3a://} without
   * hadoop-aws, which Hadoop reports as a RuntimeException around a ClassNotFoundException) is bad input, said so.
   */
  static FileSystem fileSystem(Path p, Configuration conf) throws IOException {
    try {
      return p.getFileSystem(conf);
    } catch (RuntimeException e) {
      for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
        if (t instanceof ClassNotFoundException) {
          throw new IllegalArgumentException(p + ": no Hadoop FileSystem for scheme " + p.toUri().getScheme()
              + " on the classpath (" + t.getMessage() + "); add its connector, e.g. spark-submit --packages "
              + "org.apache.hadoop:hadoop-aws:3.5.0 for s3a", e);
        }
      }
      throw e;
    }
  }

  private static void addFiles(FileSystem fs, Path dir, List<FileStatus> into) throws IOException {
    for (FileStatus child : fs.listStatus(dir)) {
      if (hidden(child.getPath().getName())) {
        continue;
      }
      if (child.isDirectory()) {
        addFiles(fs, child.getPath(), into);
      } else {
        into.add(child);
      }
    }
  }

  private static String shown(Format f) {
    return f == Format.CSV ? "CSV" : "Parquet";
  }

  private static boolean hidden(String name) {
    return name.startsWith("_") || name.startsWith(".");
  }

  /** The data files, in name order (never empty). */
  List<FileStatus> files() {
    return files;
  }

  /** The format a file name says ({@code .csv}, {@code .csv.gz} and other compressions, {@code .parquet}), or null. */
  static Format formatOfName(String name) {
    String n = name.toLowerCase(Locale.ROOT);
    while (n.endsWith("/")) {
      n = n.substring(0, n.length() - 1);
    }
    if (n.endsWith(".parquet")) {
      return Format.PARQUET;
    }
    if (n.endsWith(".csv") || n.matches(".*\\.csv\\.(gz|bz2|deflate|lz4|snappy|zst|xz)")) {
      return Format.CSV;
    }
    return null;
  }

  /**
   * The one format the file names agree on, or null when no name tells.
   *
   * @throws IllegalArgumentException when names say both CSV and Parquet, naming one file of each
   */
  Format formatByNames() {
    Map<Format, FileStatus> first = new HashMap<>();
    for (FileStatus f : files) {
      Format k = formatOfName(f.getPath().getName());
      if (k != null) {
        first.putIfAbsent(k, f);
      }
    }
    if (first.size() > 1) {
      throw new IllegalArgumentException("input " + path + " mixes CSV and Parquet files (e.g. "
          + first.get(Format.CSV).getPath() + " and " + first.get(Format.PARQUET).getPath()
          + "): one input holds one format; move the others elsewhere");
    }
    return first.isEmpty() ? null : first.keySet().iterator().next();
  }

  /**
   * Checks the files against the format they are about to be read in: no file named for the other format, no
   * Parquet file too short to be one. Listing only (sizes and names): no file is opened.
   *
   * @throws IllegalArgumentException naming the first offending file
   */
  void checkFor(Format format) {
    formatByNames();
    for (FileStatus f : files) {
      Format named = formatOfName(f.getPath().getName());
      if (named != null && named != format) {
        throw new IllegalArgumentException(f.getPath() + " is a " + shown(named) + " file by its name but is read as "
            + shown(format) + " (format " + format.name().toLowerCase(Locale.ROOT) + "): pass --format "
            + named.name().toLowerCase(Locale.ROOT) + " or auto");
      }
      if (format == Format.PARQUET && f.getLen() < MIN_PARQUET_BYTES) {
        throw new IllegalArgumentException(f.getPath() + ": " + (f.getLen() == 0 ? "empty (0-byte) file"
            : "only " + f.getLen() + " bytes") + ", not a Parquet file (a writer that did not finish?); remove it or"
            + " write the data again");
      }
    }
  }

  /** Opens the first data file and reads a byte: a permission problem shows here, naming the path. */
  void checkOpens(Configuration conf) {
    Path first = files.get(0).getPath();
    try (InputStream in = first.getFileSystem(conf).open(first)) {
      in.read();
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read input " + first + ": " + MeasurementReader.firstLine(e), e);
    }
  }

  private static final java.util.regex.Pattern FILE_IN_MESSAGE =
      java.util.regex.Pattern.compile("while reading file (\\S+?)\\.?(?:\\s|$)");
  private static final String PARQUET_MAGIC = "PAR1";

  /**
   * Why reading failed, on one line naming the file when it can be told: for Parquet, the first file without
   * Parquet's magic bytes at both ends (looked for only now, after a failure); failing that, the file Spark names in
   * an outer exception ({@code FAILED_READ_FILE}) with the innermost reason; failing that, the only file.
   */
  String readFailure(Throwable e, Format format, Configuration conf) {
    if (format == Format.PARQUET) {
      for (FileStatus f : files) {
        String bad = parquetMagicProblem(f, conf);
        if (bad != null) {
          return f.getPath() + " is not a Parquet file (" + bad + ")";
        }
      }
    }
    // Spark's error conditions end in a SQLSTATE code, of no use to the user.
    String reason = MeasurementReader.firstLine(e).replaceAll("\\s*SQLSTATE: \\w+\\.?", "");
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      java.util.regex.Matcher m = FILE_IN_MESSAGE.matcher(String.valueOf(t.getMessage()));
      if (m.find()) {
        return "cannot read " + m.group(1) + ": " + reason;
      }
    }
    return "cannot read " + (files.size() == 1 ? files.get(0).getPath().toString() : path) + ": " + reason;
  }

  /** What is wrong with the magic bytes of a Parquet file, or null (also when the file cannot be read now). */
  private static String parquetMagicProblem(FileStatus f, Configuration conf) {
    if (f.getLen() < MIN_PARQUET_BYTES) {
      return f.getLen() + " bytes";
    }
    byte[] head = new byte[4];
    byte[] tail = new byte[4];
    try (org.apache.hadoop.fs.FSDataInputStream in = f.getPath().getFileSystem(conf).open(f.getPath())) {
      in.readFully(0, head);
      in.readFully(f.getLen() - 4, tail);
    } catch (IOException e) {
      return null;
    }
    if (!new String(head, StandardCharsets.US_ASCII).equals(PARQUET_MAGIC)) {
      return "it does not start with PAR1";
    }
    return new String(tail, StandardCharsets.US_ASCII).equals(PARQUET_MAGIC) ? null
        : "it does not end with PAR1: truncated or corrupt";
  }

  /** A CSV header: its column names as written and the file it was read from. */
  record Header(String file, String[] names) {}

  /**
   * The header of the first file (in name order) that has one, read on the driver, so that names are seen as written
   * (Spark renames duplicate names, e.g. {@code a,a} to {@code a0,a1}, and would report the wrong column) and no
   * Spark job runs to infer it.
   *
   * @return the header, or null when every file is empty (no header line)
   * @throws IllegalArgumentException on a duplicate (ignoring case, as Spark resolves names) or empty column name,
   *     naming the file and the columns
   */
  Header csvHeader(Configuration conf) {
    CompressionCodecFactory codecs = new CompressionCodecFactory(conf);
    for (FileStatus f : files) {
      if (f.getLen() == 0) {
        continue;
      }
      String line;
      try {
        line = firstNonBlankLine(f.getPath(), conf, codecs);
      } catch (IOException e) {
        throw new IllegalArgumentException("cannot read the CSV header of " + f.getPath() + ": "
            + MeasurementReader.firstLine(e), e);
      }
      if (line == null) {
        continue;
      }
      String file = f.getPath().toString();
      String[] names = splitHeader(line, file);
      checkNames(names, file);
      return new Header(file, names);
    }
    return null;
  }

  private static String firstNonBlankLine(Path p, Configuration conf, CompressionCodecFactory codecs)
      throws IOException {
    CompressionCodec codec = codecs.getCodec(p);
    InputStream raw = p.getFileSystem(conf).open(p);
    try (InputStream in = new BufferedInputStream(codec == null ? raw : codec.createInputStream(raw))) {
      ByteArrayOutputStream line = new ByteArrayOutputStream();
      int total = 0;
      for (int b = in.read(); ; b = in.read()) {
        if (b == '\n' || b == '\r' || b < 0) {
          String s = line.toString(StandardCharsets.UTF_8);
          if (!s.isBlank()) {
            return s;
          }
          if (b < 0) {
            return null;
          }
          line.reset();
        } else {
          line.write(b);
          if (++total > MAX_HEADER_BYTES) {
            throw new IOException("no line break in the first " + MAX_HEADER_BYTES + " bytes: not a CSV file");
          }
        }
      }
    }
  }

  /** The header's fields: commas outside double quotes separate them; quotes are removed ("" or \" is a quote). */
  static String[] splitHeader(String line, String file) {
    String s = line.startsWith("\uFEFF") ? line.substring(1) : line; // a UTF-8 byte-order mark is not part of the name
    List<String> names = new ArrayList<>();
    StringBuilder cur = new StringBuilder();
    boolean quoted = false;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (quoted) {
        if ((c == '"' || c == '\\') && i + 1 < s.length() && s.charAt(i + 1) == '"') {
          cur.append('"');
          i++;
        } else if (c == '"') {
          quoted = false;
        } else {
          cur.append(c);
        }
      } else if (c == '"') {
        quoted = true;
      } else if (c == ',') {
        names.add(cur.toString());
        cur.setLength(0);
      } else {
        cur.append(c);
      }
    }
    names.add(cur.toString());
    return names.toArray(new String[0]);
  }

  private static void checkNames(String[] names, String file) {
    Map<String, Integer> seen = new HashMap<>();
    List<String> repeated = new ArrayList<>();
    for (int i = 0; i < names.length; i++) {
      if (names[i].isBlank()) {
        throw new IllegalArgumentException(file + ": the header's column " + (i + 1) + " has no name"
            + (i == names.length - 1 && names.length > 1 ? " (a trailing comma?)" : "") + "; header: "
            + abbreviate(String.join(",", names)));
      }
      String key = names[i].toLowerCase(Locale.ROOT);
      Integer before = seen.putIfAbsent(key, i);
      if (before != null) {
        repeated.add(names[i] + " (columns " + (before + 1) + " and " + (i + 1)
            + (names[before].equals(names[i]) ? "" : ", as " + names[before] + ": Spark compares names ignoring case")
            + ")");
      }
    }
    if (!repeated.isEmpty()) {
      throw new IllegalArgumentException(file + ": duplicate column name" + (repeated.size() > 1 ? "s" : "")
          + " in the header: " + String.join(", ", repeated) + "; every column needs its own name");
    }
  }

  private static String abbreviate(String s) {
    return s.length() <= 120 ? s : s.substring(0, 117) + "...";
  }
}
