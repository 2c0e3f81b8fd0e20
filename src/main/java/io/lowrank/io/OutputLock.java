package io.lowrank.io;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileAlreadyExistsException;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.security.AccessControlException;

/**
 * One run's hold on an output directory: the file {@code DIR/.lock} (host, pid, start time, a token), created only
 * if absent, deleted on {@link #close()}. Taken before any data is read, so a run whose outputs could not be
 * written (a file in the way, a read-only directory, another run writing there) fails at once instead of after the
 * solve; and two runs never write into one directory at the same time (one would lose the other's rows). A lock
 * left by a run on this host whose process is gone is stale and taken over; one from another host is reported with
 * its holder (remove the file when that run is known to be gone).
 */
public final class OutputLock implements AutoCloseable {
  /** Name of the lock file inside the output directory. */
  public static final String NAME = ".lock";

  private final FileSystem fs;
  private final Path dir;
  private final Path file;
  private final String token;
  /** Whether acquiring created the directory: a run that fails before writing anything leaves none behind. */
  private final boolean created;
  private boolean released;

  private OutputLock(FileSystem fs, Path dir, Path file, String token, boolean created) {
    this.fs = fs;
    this.dir = dir;
    this.file = file;
    this.token = token;
    this.created = created;
  }

  /**
   * Creates {@code dir} if needed and takes its lock.
   *
   * @throws IllegalArgumentException when {@code dir} is empty, is a file, cannot be created or written, or is
   *     held by another live run
   */
  public static OutputLock acquire(String dir, Configuration hadoopConf) throws IOException {
    if (dir == null || dir.isBlank()) {
      throw new IllegalArgumentException("out is required: give --out DIR");
    }
    Path path = new Path(dir);
    FileSystem fs = path.getFileSystem(hadoopConf);
    if (fs instanceof LocalFileSystem local) {
      fs = local.getRawFileSystem(); // no .crc side files in a user's output directory
    }
    Path target = fs.makeQualified(path);
    boolean created;
    try {
      if (fs.exists(target) && !fs.getFileStatus(target).isDirectory()) {
        throw new IllegalArgumentException("out " + dir + " exists and is not a directory");
      }
      created = !fs.exists(target);
      if (!fs.mkdirs(target)) {
        throw new IllegalArgumentException("out " + dir + ": cannot create the directory");
      }
    } catch (AccessControlException | java.nio.file.AccessDeniedException e) {
      throw notWritable(dir, e);
    } catch (IOException e) {
      if (isPermission(e)) {
        throw notWritable(dir, e);
      }
      throw e;
    }
    Path file = new Path(target, NAME);
    String token = UUID.randomUUID().toString();
    String holder = holder(token);
    for (int attempt = 0; attempt < 2; attempt++) {
      try (OutputStream out = fs.create(file, false)) {
        out.write(holder.getBytes(StandardCharsets.UTF_8));
        return new OutputLock(fs, target, file, token, created);
      } catch (FileAlreadyExistsException e) {
        String[] other = read(fs, file);
        if (other == null && abandoned(fs, file) && attempt == 0) {
          fs.delete(file, false);
          continue;
        }
        if (other == null || !stale(other)) {
          throw new IllegalArgumentException("out " + dir + " is in use by another run"
              + (other == null ? "" : " (pid " + other[1] + " on " + other[0] + ", since " + other[2] + ")")
              + "; wait for it, give another --out, or remove " + file + " if that run is gone");
        }
        fs.delete(file, false); // its process is gone: take over
      } catch (IOException e) {
        if (isPermission(e)) {
          throw notWritable(dir, e);
        }
        if (fs.exists(file)) { // the local file system reports an existing file as a plain IOException
          String[] other = read(fs, file);
          if ((other != null ? stale(other) : abandoned(fs, file)) && attempt == 0) {
            fs.delete(file, false);
            continue;
          }
          throw new IllegalArgumentException("out " + dir + " is in use by another run"
              + (other == null ? "" : " (pid " + other[1] + " on " + other[0] + ", since " + other[2] + ")")
              + "; wait for it, give another --out, or remove " + file + " if that run is gone");
        }
        throw e;
      }
    }
    throw new IllegalArgumentException("out " + dir + ": cannot take " + file);
  }

  /** The output directory (fully qualified). */
  public Path dir() {
    return dir;
  }

  /** The file system of the directory (raw on the local file system). */
  FileSystem fileSystem() {
    return fs;
  }

  /**
   * Releases the directory (deletes the lock file if it is still ours, and the directory if this run created it and
   * left it empty); idempotent.
   */
  @Override
  public void close() throws IOException {
    if (released) {
      return;
    }
    released = true;
    String[] now = read(fs, file);
    if (now != null && now.length > 3 && now[3].equals(token)) {
      fs.delete(file, false);
    }
    if (created && fs.listStatus(dir).length == 0) {
      fs.delete(dir, false);
    }
  }

  private static String holder(String token) {
    return host() + "\n" + ProcessHandle.current().pid() + "\n" + Instant.now() + "\n" + token + "\n";
  }

  /** {host, pid, since, token} of a lock file, or null when it cannot be read (being written, removed). */
  private static String[] read(FileSystem fs, Path file) {
    try (InputStream in = fs.open(file)) {
      String[] f = new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n");
      return f.length >= 4 ? f : null;
    } catch (IOException e) {
      return null;
    }
  }

  /** A run writes its lock's four lines right after creating it: a partial lock this old was left by a killed run. */
  static final long PARTIAL_LOCK_GRACE_MS = 60_000;

  /** Whether an unreadable (partial) lock file is older than {@link #PARTIAL_LOCK_GRACE_MS}. */
  private static boolean abandoned(FileSystem fs, Path file) {
    try {
      return System.currentTimeMillis() - fs.getFileStatus(file).getModificationTime() > PARTIAL_LOCK_GRACE_MS;
    } catch (IOException e) {
      return false;
    }
  }

  /** A lock of this host whose process no longer runs. */
  private static boolean stale(String[] holder) {
    if (!holder[0].equals(host())) {
      return false;
    }
    try {
      return ProcessHandle.of(Long.parseLong(holder[1])).map(p -> !p.isAlive()).orElse(true);
    } catch (NumberFormatException e) {
      return false;
    }
  }

  private static String host() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      return "localhost";
    }
  }

  private static boolean isPermission(IOException e) {
    String m = String.valueOf(e.getMessage());
    return e instanceof AccessControlException || e instanceof java.nio.file.AccessDeniedException
        || m.contains("Permission denied") || m.contains("Read-only file system");
  }

  private static IllegalArgumentException notWritable(String dir, IOException e) {
    return new IllegalArgumentException("out " + dir + " is not writable (" + e.getMessage() + ")");
  }
}
