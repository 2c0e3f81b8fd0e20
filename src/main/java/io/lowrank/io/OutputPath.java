package io.lowrank.io;

import java.io.IOException;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Checks, before anything is computed, that a path can be written: what Spark's writers would otherwise find out
 * only after the data were generated, from inside a task, with a few hundred lines of stack traces.
 */
public final class OutputPath {
  private static final String PROBE_PREFIX = ".lowrank-write-check-";

  private OutputPath() {}

  /** A local path without its scheme (as the user typed it), others in full. */
  private static String shown(Path p) {
    return "file".equals(p.toUri().getScheme()) ? p.toUri().getPath() : p.toString();
  }

  /**
   * Refuses {@code path} unless it can be written: it exists only when {@code replace} is set (and is then of the
   * {@code directory} kind asked for), and the directory that will hold it — its nearest existing ancestor — is a
   * directory in which a file can be created. The last is tried for real (a hidden empty file created and deleted at
   * once): permission bits do not tell on every file system, nor for root, nor on a read-only mount.
   *
   * @param role how messages name the path, e.g. "out" or "truth"
   * @param directory whether {@code path} is written as a directory (Spark's writers) rather than a file
   * @param replace whether an existing {@code path} will be replaced
   * @param replaceHint how to ask for that, e.g. "pass --overwrite to replace it"
   * @throws IllegalArgumentException on one line naming the path or directory and what is wrong
   */
  public static void requireWritable(String role, String path, boolean directory, boolean replace, String replaceHint,
      Configuration conf) {
    if (path == null || path.isBlank()) {
      throw new IllegalArgumentException(role + " is empty: give a path");
    }
    Path target = new Path(path);
    try {
      FileSystem fs = InputFiles.fileSystem(target, conf);
      if (fs instanceof LocalFileSystem local) {
        fs = local.getRawFileSystem(); // the probe must not leave a .crc file behind
      }
      target = fs.makeQualified(target);
      Path holder = target.getParent();
      if (fs.exists(target)) {
        FileStatus st = fs.getFileStatus(target);
        if (!replace) {
          throw new IllegalArgumentException(role + " " + path + " already exists: " + replaceHint);
        }
        if (st.isDirectory() != directory) {
          throw new IllegalArgumentException(role + " " + path + " exists and is a " + (st.isDirectory() ? "directory"
              : "file") + "; it is written as a " + (directory ? "directory" : "file") + ": give another path");
        }
      }
      while (holder != null && !fs.exists(holder)) {
        holder = holder.getParent();
      }
      if (holder == null) {
        throw new IllegalArgumentException(role + " " + path + ": no directory to write it in");
      }
      if (!fs.getFileStatus(holder).isDirectory()) {
        throw new IllegalArgumentException(role + " " + path + ": " + shown(holder) + " is a file, not a directory");
      }
      Path probe = new Path(holder, PROBE_PREFIX + UUID.randomUUID());
      try {
        fs.create(probe, false).close();
      } catch (IOException e) {
        // The local file system's message quotes the probe's path: only the reason is of interest.
        String why = MeasurementReader.firstLine(e).replace(probe.toUri().getPath(), "").replace(probe.toString(), "")
            .replaceAll("^[\\s:]*\\((.*)\\)$", "$1").strip();
        throw new IllegalArgumentException(role + " " + path + ": directory " + shown(holder) + " is not writable"
            + (why.isEmpty() ? "" : " (" + why + ")"), e);
      }
      fs.delete(probe, false);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot check " + role + " " + path + ": " + MeasurementReader.firstLine(e),
          e);
    }
  }
}
