package io.lowrank.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OutputDirTest {
  private static final Configuration HADOOP = new Configuration();

  @TempDir Path tmp;

  private static List<String> list(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  void commitMovesStagedFilesIntoTheDirectory() throws IOException {
    Path dir = tmp.resolve("run");
    try (OutputDir out = OutputDir.open(dir.toString(), HADOOP)) {
      out.writeText("summary.json", "{}\n");
      out.writeBytes("plot.png", new byte[] {1, 2, 3});
      // nothing visible before commit but the run's lock
      assertEquals(List.of(OutputLock.NAME, out.staging().getName()), list(dir));
      out.commit();
    }
    assertEquals(List.of("plot.png", "summary.json"), list(dir)); // no staging dir, no .crc files
    assertEquals("{}\n", Files.readString(dir.resolve("summary.json")));
    assertArrayEquals(new byte[] {1, 2, 3}, Files.readAllBytes(dir.resolve("plot.png")));
  }

  @Test
  void commitReplacesOlderFilesAndKeepsOthers() throws IOException {
    Path dir = tmp.resolve("run");
    try (OutputDir out = OutputDir.open("file:" + dir, HADOOP)) {
      out.writeText("a.txt", "old a");
      out.writeText("b.txt", "old b");
      out.commit();
    }
    try (OutputDir out = OutputDir.open(dir.toString(), HADOOP)) {
      out.writeText("a.txt", "new a");
      out.commit();
    }
    assertEquals(List.of("a.txt", "b.txt"), list(dir));
    assertEquals("new a", Files.readString(dir.resolve("a.txt")));
    assertEquals("old b", Files.readString(dir.resolve("b.txt")));
  }

  @Test
  void failedRunLeavesNoPartialFilesAndKeepsTheEarlierRun() throws IOException {
    Path dir = tmp.resolve("run");
    try (OutputDir out = OutputDir.open(dir.toString(), HADOOP)) {
      out.writeText("summary.json", "first");
      out.commit();
    }
    assertThrows(IllegalStateException.class, () -> {
      try (OutputDir out = OutputDir.open(dir.toString(), HADOOP)) {
        out.writeText("summary.json", "second, half");
        out.writeText("estimate.csv", "1.0\n");
        throw new IllegalStateException("solver blew up");
      }
    });
    assertEquals(List.of("summary.json"), list(dir));
    assertEquals("first", Files.readString(dir.resolve("summary.json")));

    OutputDir aborted = OutputDir.open(dir.toString(), HADOOP);
    aborted.writeText("x.txt", "x");
    aborted.abort();
    aborted.close(); // idempotent
    assertEquals(List.of("summary.json"), list(dir));
    assertThrows(IllegalStateException.class, () -> aborted.writeText("y.txt", "y"));
  }

  @Test
  void directoriesWrittenByOtherWritersCommitToo() throws IOException {
    Path dir = tmp.resolve("run");
    try (OutputDir out = OutputDir.open(dir.toString(), HADOOP)) {
      Path part = Path.of(out.stagingPath("trace.parquet").toUri()).resolve("part-0");
      Files.createDirectories(part.getParent());
      Files.writeString(part, "rows");
      out.commit();
    }
    assertEquals("rows", Files.readString(dir.resolve("trace.parquet/part-0")));
  }

  @Test
  void badNamesAndTargetsAreRejected() throws IOException {
    Path file = Files.writeString(tmp.resolve("plain"), "x");
    assertTrue(assertThrows(IllegalArgumentException.class, () -> OutputDir.open(file.toString(), HADOOP))
        .getMessage().endsWith("exists and is not a directory"));
    assertThrows(IllegalArgumentException.class, () -> OutputDir.open("", HADOOP));
    try (OutputDir out = OutputDir.open(tmp.resolve("run").toString(), HADOOP)) {
      assertThrows(IllegalArgumentException.class, () -> out.writeText("a/b", ""));
      assertThrows(IllegalArgumentException.class, () -> out.writeText(".hidden", ""));
      out.writeText("a", "");
      assertThrows(IllegalStateException.class, () -> out.writeText("a", ""));
    }
  }

  /** The local file system, except that the second move of a staged output into place fails. */
  public static final class FailingMoveFileSystem extends org.apache.hadoop.fs.RawLocalFileSystem {
    private int stagedMoves;

    @Override
    public java.net.URI getUri() {
      return java.net.URI.create("failmove:///");
    }

    @Override
    public boolean rename(org.apache.hadoop.fs.Path src, org.apache.hadoop.fs.Path dst) throws IOException {
      if (src.getParent().getName().startsWith(OutputDir.STAGING_PREFIX) && ++stagedMoves == 2) {
        return false;
      }
      return super.rename(src, dst);
    }
  }

  @Test
  void aCommitThatFailsHalfWayLeavesTheEarlierRunWhole() throws IOException {
    Configuration conf = new Configuration();
    conf.set("fs.failmove.impl", FailingMoveFileSystem.class.getName());
    conf.setBoolean("fs.failmove.impl.disable.cache", true);
    Path dir = tmp.resolve("run");
    try (OutputDir out = OutputDir.open(dir.toString(), HADOOP)) {
      out.writeText("a.txt", "old a");
      out.writeText("b.txt", "old b");
      out.commit();
    }
    IOException e = assertThrows(IOException.class, () -> {
      try (OutputDir out = OutputDir.open("failmove://" + dir, conf)) {
        out.writeText("a.txt", "new a");
        out.writeText("b.txt", "new b");
        out.commit();
      }
    });
    assertTrue(e.getMessage().startsWith("cannot move"), e.getMessage());
    assertEquals(List.of("a.txt", "b.txt"), list(dir));
    assertEquals("old a", Files.readString(dir.resolve("a.txt")));
    assertEquals("old b", Files.readString(dir.resolve("b.txt")));
  }
}
