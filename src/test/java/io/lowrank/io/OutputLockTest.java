package io.lowrank.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One run at a time per output directory, decided before any data is read. */
class OutputLockTest {
  @TempDir
  Path tmp;

  private final Configuration conf = new Configuration();

  @Test
  void aHeldDirectoryIsRefusedNamingItsHolderAndFreedOnClose() throws IOException {
    Path dir = tmp.resolve("out");
    try (OutputLock lock = OutputLock.acquire(dir.toString(), conf)) {
      assertTrue(Files.isRegularFile(dir.resolve(OutputLock.NAME)));
      String m = assertThrows(IllegalArgumentException.class, () -> OutputLock.acquire(dir.toString(), conf))
          .getMessage();
      assertTrue(m.startsWith("out " + dir + " is in use by another run (pid " + ProcessHandle.current().pid()), m);
      assertTrue(m.contains("remove "), m);
      // The one-shot OutputDir respects it too; a staging directory under the held lock does not release it.
      assertThrows(IllegalArgumentException.class, () -> OutputDir.open(dir.toString(), conf));
      try (OutputDir out = OutputDir.open(lock)) {
        out.writeText("a.txt", "a");
        out.commit();
      }
      assertTrue(Files.exists(dir.resolve(OutputLock.NAME)));
      assertEquals("a", Files.readString(dir.resolve("a.txt")));
    }
    assertFalse(Files.exists(dir.resolve(OutputLock.NAME)));
    OutputLock.acquire(dir.toString(), conf).close();
  }

  @Test
  void aLockWhoseProcessIsGoneIsTakenOver() throws Exception {
    Process p = new ProcessBuilder("true").start();
    p.waitFor();
    Path dir = Files.createDirectories(tmp.resolve("stale"));
    Files.writeString(dir.resolve(OutputLock.NAME), InetAddress.getLocalHost().getHostName() + "\n" + p.pid()
        + "\n2026-01-01T00:00:00Z\nold-token\n");
    try (OutputLock lock = OutputLock.acquire(dir.toString(), conf)) {
      assertTrue(Files.readString(dir.resolve(OutputLock.NAME)).contains("\n" + ProcessHandle.current().pid() + "\n"));
    }
  }

  @Test
  void aPartialLockIsRefusedWhileFreshAndTakenOverOnceOld() throws IOException {
    // A run killed between creating the lock and writing its lines leaves a partial file: fresh, it may be a run
    // that is still writing; older than the grace period, nobody is.
    Path dir = Files.createDirectories(tmp.resolve("partial"));
    Path lock = dir.resolve(OutputLock.NAME);
    Files.writeString(lock, "some-host\n");
    String m = assertThrows(IllegalArgumentException.class, () -> OutputLock.acquire(dir.toString(), conf))
        .getMessage();
    assertTrue(m.contains("is in use by another run"), m);
    Files.setLastModifiedTime(lock, java.nio.file.attribute.FileTime.fromMillis(
        System.currentTimeMillis() - OutputLock.PARTIAL_LOCK_GRACE_MS - 5_000));
    try (OutputLock taken = OutputLock.acquire(dir.toString(), conf)) {
      assertTrue(Files.readString(lock).contains("\n" + ProcessHandle.current().pid() + "\n"));
    }
  }

  @Test
  void aLockFromAnotherHostIsRefused() throws IOException {
    Path dir = Files.createDirectories(tmp.resolve("remote"));
    Files.writeString(dir.resolve(OutputLock.NAME), "some-other-host\n1\n2026-01-01T00:00:00Z\nt\n");
    String m = assertThrows(IllegalArgumentException.class, () -> OutputLock.acquire(dir.toString(), conf))
        .getMessage();
    assertTrue(m.contains("(pid 1 on some-other-host, since 2026-01-01T00:00:00Z)"), m);
  }

  @Test
  void aFileInTheWayOrAnEmptyPathIsRefused() throws IOException {
    Path file = Files.writeString(tmp.resolve("file"), "x");
    assertEquals("out " + file + " exists and is not a directory",
        assertThrows(IllegalArgumentException.class, () -> OutputLock.acquire(file.toString(), conf)).getMessage());
    assertEquals("out is required: give --out DIR",
        assertThrows(IllegalArgumentException.class, () -> OutputLock.acquire(" ", conf)).getMessage());
  }
}
