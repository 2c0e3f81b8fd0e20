package io.lowrank.io;

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

/** {@link OutputPath#requireWritable}: what it refuses, and that a writable place is left as it was. */
class OutputPathTest {
  private static final Configuration CONF = new Configuration();

  @TempDir
  Path dir;

  @Test
  void aWritablePlaceIsLeftAsItWas() throws IOException {
    OutputPath.requireWritable("out", dir.resolve("a/b/data.parquet").toString(), true, false, "", CONF);
    Files.createDirectories(dir.resolve("old.parquet"));
    OutputPath.requireWritable("out", dir.resolve("old.parquet").toString(), true, true, "", CONF);
    try (Stream<Path> s = Files.list(dir)) {
      assertEquals(List.of(dir.resolve("old.parquet")), s.toList(), "no probe file, no directory made");
    }
  }

  @Test
  void refusals() throws IOException {
    Files.createDirectories(dir.resolve("old.parquet"));
    Files.writeString(dir.resolve("file"), "x");
    assertMessage(() -> OutputPath.requireWritable("out", dir.resolve("old.parquet").toString(), true, false,
        "pass --overwrite to replace it", CONF), "old.parquet already exists: pass --overwrite to replace it");
    assertMessage(() -> OutputPath.requireWritable("truth", dir.resolve("old.parquet").toString(), false, true, "",
        CONF), "exists and is a directory");
    assertMessage(() -> OutputPath.requireWritable("out", dir.resolve("file/x.parquet").toString(), true, false, "",
        CONF), "file is a file, not a directory");
    assertMessage(() -> OutputPath.requireWritable("out", "", true, false, "", CONF), "out is empty");
  }

  @Test
  void aReadOnlyDirectory() {
    Path ro = Path.of("/proc/sys"); // no one, root included, creates files there
    org.junit.jupiter.api.Assumptions.assumeTrue(Files.isDirectory(ro));
    assertMessage(() -> OutputPath.requireWritable("out", "/proc/sys/x.parquet", true, false, "", CONF),
        "out /proc/sys/x.parquet: directory /proc/sys is not writable");
  }

  private static void assertMessage(org.junit.jupiter.api.function.Executable call, String fragment) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
    assertTrue(e.getMessage().contains(fragment), e.getMessage());
  }
}
