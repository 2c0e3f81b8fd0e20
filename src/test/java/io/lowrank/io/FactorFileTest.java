package io.lowrank.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lowrank.data.FactorTruth;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link FactorFile#readPair}: M* = X* Y*^T from two factor files, their rows as the shape when none is given, and
 * errors that name the file and the factor it holds.
 */
class FactorFileTest {
  private static final Configuration CONF = new Configuration();

  @TempDir
  Path dir;

  private String file(String name, String text) throws IOException {
    Path p = dir.resolve(name);
    Files.writeString(p, text);
    return p.toString();
  }

  @Test
  void readsBothFactorsWithTheirRowsAsTheShape() throws IOException {
    String x = file("x.csv", "1,0\n0,2\n1,1\n");
    String y = file("y.csv", "3,0\n0,1\n");
    FactorTruth t = FactorFile.readPair(x, 0, y, 0, CONF);
    assertEquals(3, t.d1());
    assertEquals(2, t.d2());
    assertEquals(2, t.rank());
    assertArrayEquals(new double[] {1, 0, 1, 0, 2, 1}, t.left(), 0.0);
    assertArrayEquals(new double[] {3, 0, 0, 1}, t.right(), 0.0);
    assertEquals(1 * 0 + 1 * 1, t.entry(2, 1), 0.0);
    FactorTruth shaped = FactorFile.readPair(x, 3, y, 2, CONF); // the shape given agrees with the files
    assertArrayEquals(t.left(), shaped.left(), 0.0);
    assertArrayEquals(t.right(), shaped.right(), 0.0);
  }

  @Test
  void aRankDeficientRightFactorIsNamedAsYStar() throws IOException {
    String x = file("x.csv", "1,0\n0,1\n1,1\n");
    String y = file("y.csv", "1,2\n2,4\n3,6\n"); // column 2 = 2 × column 1
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> FactorFile.readPair(x, 0, y, 0, CONF));
    assertTrue(e.getMessage().startsWith("truth file " + y + ": the truth factor Y* (3x2) must have full column rank 2"),
        e.getMessage());
    assertFalse(e.getMessage().contains("X*"), e.getMessage());
    // A deficient left factor is X*, in its own file.
    e = assertThrows(IllegalArgumentException.class, () -> FactorFile.readPair(y, 0, x, 0, CONF));
    assertTrue(e.getMessage().startsWith("truth file " + y + ": the truth factor X* (3x2)"), e.getMessage());
  }

  @Test
  void otherBadPairsAreRefusedOnOneLine() throws IOException {
    String x = file("x.csv", "1,0\n0,1\n1,1\n");
    String y1 = file("y1.csv", "1\n2\n");
    String empty = file("empty.csv", "\n");
    assertMessage(() -> FactorFile.readPair(x, 0, y1, 0, CONF), "differ in rank", x + " (X*) has 2 columns",
        y1 + " (Y*) has 1");
    assertMessage(() -> FactorFile.readPair(x, 0, empty, 0, CONF), "truth file " + empty + " has no rows");
    assertMessage(() -> FactorFile.readPair(x, 4, y1, 0, CONF), "truth file " + x + " has 3 rows, expected d = 4");
  }

  private static void assertMessage(org.junit.jupiter.api.function.Executable call, String... fragments) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
    for (String f : fragments) {
      assertTrue(e.getMessage().contains(f), "message should contain '" + f + "': " + e.getMessage());
    }
    assertEquals(1, e.getMessage().lines().count(), e.getMessage());
  }
}
