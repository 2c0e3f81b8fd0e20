package io.lowrank.io;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * A run's output directory on any Hadoop FileSystem ({@code file:}, {@code hdfs://}, {@code s3a://}), written
 * atomically per run: every output first goes to a hidden staging directory {@code DIR/.staging-<uuid>/}, and
 * only {@link #commit()} moves each one into {@code DIR/}, replacing an older output of the same name. {@link
 * #abort()}, or {@link #close()} without a commit, deletes the staging directory, so a failed run leaves no
 * half-written file and never touches the files of an earlier successful run.
 *
 * <pre>{@code
 * try (OutputDir out = OutputDir.open(dir, spark.sparkContext().hadoopConfiguration())) {
 *   out.writeText("config.conf", config.render());
 *   ...
 *   out.commit();
 * }
 * }</pre>
 *
 * Not thread-safe. On the local file system no {@code .crc} side files are written.
 */
public final class OutputDir implements AutoCloseable {
  /** Prefix of staging directories inside the target. */
  public static final String STAGING_PREFIX = ".staging-";
  /** Where {@link #commit()} sets an older output aside (inside the staging directory) before moving the new one. */
  public static final String PREVIOUS = ".previous";

  private final FileSystem fs;
  private final Path target;
  private final Path staging;
  private final Set<String> names = new LinkedHashSet<>();
  private boolean finished;

  private final OutputLock ownLock;

  private OutputDir(FileSystem fs, Path target, Path staging, OutputLock ownLock) {
    this.fs = fs;
    this.target = target;
    this.staging = staging;
    this.ownLock = ownLock;
  }

  /**
   * Takes {@code dir}'s {@link OutputLock} (creating the directory if needed) and a fresh staging directory inside
   * it; {@link #close()} releases the lock.
   *
   * @param dir a path or URL; relative paths are relative to the file system's working directory
   * @param hadoopConf e.g. {@code spark.sparkContext().hadoopConfiguration()}, or {@code new Configuration()}
   * @throws IllegalArgumentException when {@code dir} is empty, names an existing file, is not writable or is in
   *     use by another run
   */
  public static OutputDir open(String dir, Configuration hadoopConf) throws IOException {
    OutputLock lock = OutputLock.acquire(dir, hadoopConf);
    try {
      return open(lock, lock);
    } catch (IOException | RuntimeException e) {
      lock.close();
      throw e;
    }
  }

  /**
   * A fresh staging directory in a directory this run holds (a run that commits several times, or that took the
   * lock before reading its data); closing it leaves the lock held.
   */
  public static OutputDir open(OutputLock lock) throws IOException {
    return open(lock, null);
  }

  private static OutputDir open(OutputLock lock, OutputLock own) throws IOException {
    FileSystem fs = lock.fileSystem();
    Path staging = new Path(lock.dir(), STAGING_PREFIX + UUID.randomUUID());
    if (!fs.mkdirs(staging)) {
      throw new IOException("cannot create " + staging);
    }
    return new OutputDir(fs, lock.dir(), staging, own);
  }

  /** The output directory (fully qualified). */
  public Path target() {
    return target;
  }

  /** The staging directory (removed by commit or abort). */
  public Path staging() {
    return staging;
  }

  /** Writes {@code text} (UTF-8) as output {@code name}. */
  public void writeText(String name, String text) throws IOException {
    writeBytes(name, text.getBytes(StandardCharsets.UTF_8));
  }

  /** Writes {@code bytes} as output {@code name}. */
  public void writeBytes(String name, byte[] bytes) throws IOException {
    try (OutputStream out = create(name)) {
      out.write(bytes);
    }
  }

  /** Opens output {@code name} for streaming; close the stream before {@link #commit()}. */
  public OutputStream create(String name) throws IOException {
    FSDataOutputStream out = fs.create(stagingPath(name), false);
    return out;
  }

  /**
   * Where a writer that manages its own files (e.g. Spark's {@code df.write().parquet(path)}) should write
   * output {@code name}; a directory there is committed like a file.
   */
  public Path stagingPath(String name) {
    checkOpen();
    if (name == null || name.isEmpty() || name.contains("/") || name.startsWith(".") || name.equals("..")) {
      throw new IllegalArgumentException("bad output name '" + name + "' (a plain file name, not hidden)");
    }
    if (!names.add(name)) {
      throw new IllegalStateException("output '" + name + "' written twice");
    }
    return new Path(staging, name);
  }

  /**
   * Moves every staged output into the target directory, replacing older outputs of the same names, and removes
   * the staging directory. If a move fails, the ones already made are undone (older outputs put back), so the
   * directory holds the earlier run's files, not a mix.
   */
  public void commit() throws IOException {
    checkOpen();
    finished = true;
    Path previous = new Path(staging, PREVIOUS);
    List<Path> staged = new ArrayList<>();
    for (FileStatus s : fs.listStatus(staging)) {
      if (!s.getPath().getName().startsWith(".")) {
        staged.add(s.getPath());
      }
    }
    List<Path[]> done = new ArrayList<>(); // {committed output, the older one set aside or null}
    boolean restoreFailed = false;
    try {
      for (Path src : staged) {
        Path dest = new Path(target, src.getName());
        Path aside = null;
        if (fs.exists(dest)) {
          fs.mkdirs(previous);
          aside = new Path(previous, src.getName());
          rename(dest, aside);
        }
        try {
          rename(src, dest);
        } catch (IOException e) {
          if (aside != null) {
            fs.rename(aside, dest); // best effort: put the older output back
          }
          throw e;
        }
        done.add(new Path[] {dest, aside});
      }
    } catch (IOException e) {
      for (int k = done.size() - 1; k >= 0; k--) { // back to the earlier run's files
        try {
          fs.delete(done.get(k)[0], true);
          if (done.get(k)[1] != null) {
            rename(done.get(k)[1], done.get(k)[0]);
          }
        } catch (IOException restore) {
          e.addSuppressed(restore);
          restoreFailed = true;
        }
      }
      throw e;
    } finally {
      // An older output that could not be put back is still under .previous in the staging directory: keep it.
      if (!restoreFailed) {
        fs.delete(staging, true);
      }
    }
  }

  /** Discards everything written so far (idempotent; a no-op after commit). */
  public void abort() throws IOException {
    if (finished) {
      return;
    }
    finished = true;
    fs.delete(staging, true);
  }

  /** Aborts unless committed, and releases the lock {@link #open(String, Configuration)} took. */
  @Override
  public void close() throws IOException {
    try {
      abort();
    } finally {
      if (ownLock != null) {
        ownLock.close();
      }
    }
  }

  private void rename(Path from, Path to) throws IOException {
    if (!fs.rename(from, to)) {
      throw new IOException("cannot move " + from + " to " + to);
    }
  }

  private void checkOpen() {
    if (finished) {
      throw new IllegalStateException("output directory " + target + " already committed or aborted");
    }
  }
}
