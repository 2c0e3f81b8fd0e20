package io.lowrank.io;

import java.io.IOException;
import java.util.Locale;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/** On-disk formats of measurement files. */
public enum Format {
  /** Text with a header row; column {@code y} plus one column per coordinate. */
  CSV,
  /** Columnar; {@code y} plus an array/Vector column {@code a} or one numeric column per coordinate. */
  PARQUET;

  /**
   * The format of {@code path}: {@code formatFlag} "csv" or "parquet" forces it; "auto" (or null/blank)
   * decides by extension ({@code .csv}, {@code .csv.gz} → CSV; {@code .parquet} → PARQUET) or, for a
   * directory, by the extension of the part files in it (as Spark's writers produce). Uses a default Hadoop
   * configuration to look at directories; see {@link #of(String, String, Configuration)}.
   *
   * @throws IllegalArgumentException if the flag is unknown or auto cannot decide
   */
  public static Format of(String path, String formatFlag) {
    return of(path, formatFlag, new Configuration());
  }

  /** As {@link #of(String, String)}, resolving directories through {@code conf} (e.g. Spark's Hadoop conf). */
  public static Format of(String path, String formatFlag, Configuration conf) {
    String flag = formatFlag == null ? "auto" : formatFlag.trim().toLowerCase(Locale.ROOT);
    switch (flag) {
      case "csv":
        return CSV;
      case "parquet":
        return PARQUET;
      case "auto":
      case "":
        break;
      default:
        throw new IllegalArgumentException("unknown format '" + formatFlag + "': use auto, csv or parquet");
    }
    Format byName = byExtension(path);
    if (byName != null) {
      return byName;
    }
    Format byParts = byPartFiles(path, conf);
    if (byParts != null) {
      return byParts;
    }
    throw new IllegalArgumentException("cannot tell the format of " + path
        + " from its name (expected .csv, .csv.gz, .parquet or a directory of such parts): pass --format csv or"
        + " --format parquet");
  }

  private static Format byExtension(String path) {
    String p = path.toLowerCase(Locale.ROOT);
    while (p.endsWith("/")) {
      p = p.substring(0, p.length() - 1);
    }
    if (p.endsWith(".csv") || p.endsWith(".csv.gz")) {
      return CSV;
    }
    if (p.endsWith(".parquet")) {
      return PARQUET;
    }
    return null;
  }

  /** A directory's format from its visible part files; null if not a directory or nothing tells. */
  private static Format byPartFiles(String path, Configuration conf) {
    try {
      Path dir = new Path(path);
      FileSystem fs = dir.getFileSystem(conf);
      if (!fs.exists(dir) || !fs.getFileStatus(dir).isDirectory()) {
        return null;
      }
      for (FileStatus st : fs.listStatus(dir)) {
        String name = st.getPath().getName();
        if (st.isFile() && !name.startsWith("_") && !name.startsWith(".")) {
          Format f = byExtension(name);
          if (f != null) {
            return f;
          }
        }
      }
      return null;
    } catch (IOException | IllegalArgumentException e) {
      // An unreadable location cannot tell its format; the caller's message says what to pass instead.
      return null;
    }
  }
}
