package io.lowrank.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The driver-side listing and header checks of {@link InputFiles}, without Spark. */
class InputFilesTest {
  @TempDir
  Path dir;

  @Test
  void headerFieldsAsSparkReadsThem() {
    assertArrayEquals(new String[] {"y", "a1", "a 2"}, InputFiles.splitHeader("y,a1,a 2", "f"));
    assertArrayEquals(new String[] {"y", "a,1", "say \"hi\""}, InputFiles.splitHeader("\"y\",\"a,1\",\"say \"\"hi\"\"\"", "f"));
    assertArrayEquals(new String[] {"y", "a1"}, InputFiles.splitHeader("\uFEFFy,a1", "f"));
    assertArrayEquals(new String[] {"y", "a1", ""}, InputFiles.splitHeader("y,a1,", "f"));
  }

  @Test
  void formatsByName() {
    assertEquals(Format.CSV, InputFiles.formatOfName("part-00000-x-c000.csv"));
    assertEquals(Format.CSV, InputFiles.formatOfName("data.CSV.gz"));
    assertEquals(Format.CSV, InputFiles.formatOfName("data.csv.bz2"));
    assertEquals(Format.PARQUET, InputFiles.formatOfName("part-00000-x.snappy.parquet"));
    assertNull(InputFiles.formatOfName("part-00000"));
    assertNull(InputFiles.formatOfName("notes.txt"));
  }

  @Test
  void headersAndListing() throws IOException {
    Configuration conf = new Configuration();
    Path d = Files.createDirectories(dir.resolve("in"));
    Files.writeString(d.resolve("_SUCCESS"), "");
    Files.writeString(d.resolve(".part-0.csv.crc"), "x");
    Files.writeString(d.resolve("part-0.csv"), "");
    Files.writeString(d.resolve("part-1.csv"), "\n\n y ,a1\n1,2\n");
    InputFiles files = InputFiles.list(d.toString(), conf);
    assertEquals(2, files.files().size(), "hidden files are not data");
    InputFiles.Header h = files.csvHeader(conf);
    assertTrue(h.file().endsWith("part-1.csv"), "the first file with a header: " + h.file());
    assertArrayEquals(new String[] {" y ", "a1"}, h.names(), "names as written");

    Files.writeString(d.resolve("part-1.csv"), "y,a,b,A\n");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> InputFiles.list(d.toString(), conf).csvHeader(conf));
    assertTrue(e.getMessage().contains("part-1.csv") && e.getMessage().contains("A (columns 2 and 4, as a"),
        e.getMessage());

    Path empty = Files.createDirectories(dir.resolve("empty"));
    Files.writeString(empty.resolve("_SUCCESS"), "");
    e = assertThrows(IllegalArgumentException.class, () -> InputFiles.list(empty.toString(), conf));
    assertTrue(e.getMessage().contains("holds no data files"), e.getMessage());
    assertNull(InputFiles.list(d.resolve("part-0.csv").toString(), conf).csvHeader(conf), "a 0-byte CSV: no header");
  }
}
