package io.lowrank.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lowrank.data.GaussianPhaseRetrieval;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link TruthFile}: exact round trip, atomic replace, and errors that name the file and line. */
class TruthFileTest {
  private static final Configuration CONF = new Configuration();

  @TempDir
  Path dir;

  @Test
  void roundTripIsExactAndLeavesNoTemporaryFiles() throws IOException {
    double[] x = new GaussianPhaseRetrieval(10, 20, 3L, 0.0).truth();
    x[0] = 0.1 + 0.2;
    x[1] = -0.0;
    x[2] = Double.MIN_VALUE;
    String p = dir.resolve("sub/truth.txt").toString();
    TruthFile.write(p, x, CONF);
    assertArrayEquals(x, TruthFile.read(p, 20, CONF));
    double[] z = new double[20];
    TruthFile.write(p, z, CONF); // replaces
    assertArrayEquals(z, TruthFile.read(p, 20, CONF));
    try (Stream<Path> files = Files.list(dir.resolve("sub"))) {
      // neither a temporary nor Hadoop's .crc side file beside it
      assertEquals(java.util.List.of("truth.txt"), files.map(f -> f.getFileName().toString()).toList());
    }
  }

  @Test
  void blankLinesIgnored() throws IOException {
    Path p = dir.resolve("t.txt");
    Files.writeString(p, "\n1.5\n  \n-2\n\n3e-1\n");
    assertArrayEquals(new double[] {1.5, -2, 0.3}, TruthFile.read(p.toString(), 3, CONF));
  }

  @Test
  void wrongLength() throws IOException {
    Path p = dir.resolve("seven.txt");
    Files.writeString(p, "1\n2\n3\n4\n5\n6\n7\n");
    assertMessage(p.toString(), 20, "truth file " + p + " has 7 values, expected d = 20");
    assertMessage(p.toString(), 5, "has 7 values, expected d = 5");
  }

  @Test
  void nonNumericLine() throws IOException {
    Path p = dir.resolve("text.txt");
    Files.writeString(p, "1\n\nabc\n");
    assertMessage(p.toString(), 3, "text.txt", "line 3", "'abc'");
  }

  @Test
  void nonFiniteValue() throws IOException {
    Path p = dir.resolve("nan.txt");
    Files.writeString(p, "1\nNaN\n");
    assertMessage(p.toString(), 2, "nan.txt", "line 2", "not finite");
    Files.writeString(p, "-Infinity\n2\n");
    assertMessage(p.toString(), 2, "nan.txt", "line 1", "not finite");
    assertThrows(IllegalArgumentException.class,
        () -> TruthFile.write(dir.resolve("w.txt").toString(), new double[] {Double.NaN}, CONF));
  }

  @Test
  void missingFile() {
    assertMessage(dir.resolve("none.txt").toString(), 3, "none.txt", "does not exist");
  }

  private static void assertMessage(String path, int d, String... fragments) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TruthFile.read(path, d, CONF));
    for (String f : fragments) {
      assertTrue(e.getMessage().contains(f), "message should contain '" + f + "': " + e.getMessage());
    }
  }
}
