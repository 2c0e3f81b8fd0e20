package io.lowrank.io;

import java.io.IOException;
import java.util.Locale;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
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
   * @throws IllegalArgumentException if the flag is unknown, auto cannot decide, or a directory's files are named
   *     for both formats
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
    Format byName = InputFiles.formatOfName(path);
    if (byName != null) {
      return byName;
    }
    Format byParts = byPartFiles(path, conf);
    if (byParts != null) {
      return byParts;
    }
    throw new IllegalArgumentException("cannot tell the format of " + path
        + " from its name (expected .csv, .csv.gz, .parquet or a directory of such parts" + whatIsThere(path, conf)
        + "): pass --format csv or --format parquet");
  }

  /** What the path holds, for the message of a format that cannot be told (an input may not exist, or be empty). */
  private static String whatIsThere(String path, Configuration conf) {
    if (!exists(path, conf)) {
      return "; and it does not exist";
    }
    if (!isDirectory(path, conf)) {
      return "";
    }
    return hasDataFiles(path, conf) ? "; nor do the names of the files in it" : "; it is a directory without data files";
  }

  /**
   * A directory's (or glob's) format from the names of its visible files; null if nothing tells or the path cannot
   * be listed (the reader then says why).
   *
   * @throws IllegalArgumentException when the names say both CSV and Parquet
   */
  private static Format byPartFiles(String path, Configuration conf) {
    if (!exists(path, conf)) {
      return null;
    }
    InputFiles files;
    try {
      files = InputFiles.list(path, conf);
    } catch (IllegalArgumentException e) {
      return null; // an empty directory cannot tell its format; the reader reports it as empty input
    }
    return files.formatByNames();
  }

  private static boolean hasDataFiles(String path, Configuration conf) {
    try {
      return !InputFiles.list(path, conf).files().isEmpty();
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  private static boolean isDirectory(String path, Configuration conf) {
    Path p = new Path(path);
    try {
      return InputFiles.fileSystem(p, conf).getFileStatus(p).isDirectory();
    } catch (IOException e) {
      return false;
    }
  }

  /** Whether anything matches {@code path}; a scheme without its connector is refused (not "does not exist"). */
  private static boolean exists(String path, Configuration conf) {
    Path p = new Path(path);
    try {
      FileStatus[] matches = InputFiles.fileSystem(p, conf).globStatus(p);
      return matches != null && matches.length > 0;
    } catch (IOException e) {
      return false;
    }
  }
}
