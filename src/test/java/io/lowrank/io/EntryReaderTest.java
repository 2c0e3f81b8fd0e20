package io.lowrank.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lowrank.SparkTestSession;
import io.lowrank.data.Block;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Completion entries from CSV and Parquet: values come back exactly; bad rows and duplicates fail on one line. */
class EntryReaderTest {
  private final SparkSession spark = SparkTestSession.get();

  @TempDir
  Path tmp;

  private String csv(String name, String text) throws Exception {
    Path p = tmp.resolve(name);
    Files.writeString(p, text);
    return p.toString();
  }

  private EntryReader.Entries read(String path, int d1, int d2, boolean symmetric) {
    return EntryReader.read(spark, path, Format.of(path, "auto", spark.sparkContext().hadoopConfiguration()), d1, d2,
        symmetric, StorageLevel.MEMORY_ONLY());
  }

  private static String error(Runnable r) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, r::run);
    assertFalse(e.getMessage().contains("\n"), e.getMessage());
    return e.getMessage();
  }

  @Test
  void csvEntriesComeBackWithTheirWeightsAndTheShapeFromTheIndices() throws Exception {
    String p = csv("e.csv", "y,j,i,w\n1.5,0,0,2\n-2.25,3,1,1\n0.125,2,4,0.5\n");
    EntryReader.Entries e = read(p, 0, 0, false);
    assertEquals(5, e.d1());
    assertEquals(4, e.d2());
    List<Block> blocks = e.measurements().blocks().collect();
    double sum = 0;
    long n = 0;
    for (Block b : blocks) {
      assertEquals(3, b.d);
      for (int r = 0; r < b.rows; r++) {
        int i = (int) b.a(r, 0);
        int j = (int) b.a(r, 1);
        double w = b.a(r, 2);
        if (i == 1) {
          assertEquals(3, j);
          assertEquals(-2.25, b.y[r]);
          assertEquals(1.0, w);
        }
        if (i == 4) {
          assertEquals(0.5, w);
        }
        sum += b.y[r];
        n++;
      }
    }
    assertEquals(3, n);
    assertEquals(1.5 - 2.25 + 0.125, sum, 0.0);
    e.measurements().unpersist();
  }

  @Test
  void withoutWEveryWeightIsOneAndAGivenShapeIsKept() throws Exception {
    EntryReader.Entries e = read(csv("e.csv", "i,j,y\n0,0,1\n1,1,2\n"), 10, 7, false);
    assertEquals(10, e.d1());
    assertEquals(7, e.d2());
    for (Block b : e.measurements().blocks().collect()) {
      for (int r = 0; r < b.rows; r++) {
        assertEquals(1.0, b.a(r, 2));
      }
    }
    e.measurements().unpersist();
  }

  @Test
  void badRowsAreNamedByFileRowAndColumn() throws Exception {
    String p = csv("bad.csv", "i,j,y\n0,0,1\n1,2.5,2\n");
    String m = error(() -> read(p, 0, 0, false));
    assertTrue(m.contains("bad.csv: row 2, column j: '2.5' is not an integer"), m);
    String q = csv("nan.csv", "i,j,y\n0,0,1\n1,1,2\n2,2,NaN\n");
    m = error(() -> read(q, 0, 0, false));
    assertTrue(m.contains("nan.csv: row 3, column y") && m.contains("NaN"), m);
    String r = csv("range.csv", "i,j,y\n0,0,1\n1,9,2\n");
    m = error(() -> read(r, 4, 5, false));
    assertTrue(m.contains("range.csv: row 2, column j: index 9 is outside [0, d2 = 5)"), m);
    String s = csv("neg.csv", "i,j,y\n-1,0,1\n");
    m = error(() -> read(s, 0, 0, false));
    assertTrue(m.contains("neg.csv: row 1, column i: index -1"), m);
    String t = csv("inf.csv", "i,j,y,w\n0,0,1,Infinity\n");
    m = error(() -> read(t, 0, 0, false));
    assertTrue(m.contains("inf.csv: row 1, column w"), m);
    String u = csv("extra.csv", "i,j,y,z\n0,0,1,3\n");
    m = error(() -> read(u, 0, 0, false));
    assertTrue(m.contains("unexpected column 'z'"), m);
    String v = csv("noy.csv", "i,j\n0,0\n");
    m = error(() -> read(v, 0, 0, false));
    assertTrue(m.contains("no column 'y'"), m);
  }

  @Test
  void duplicatesAreRefusedNamingTheFirst() throws Exception {
    String p = csv("dup.csv", "i,j,y\n3,1,1\n0,2,1\n3,1,5\n0,2,2\n1,1,0\n");
    String m = error(() -> read(p, 0, 0, false));
    assertTrue(m.contains("entry (i, j) = (0, 2) is listed 2 times"), m);
    // (1, 0) and (0, 1) are one entry of a symmetric model, two of an asymmetric one.
    String q = csv("sym.csv", "i,j,y\n1,0,1\n0,1,1\n");
    m = error(() -> read(q, 0, 0, true));
    assertTrue(m.contains("entry (i, j) = (0, 1) is listed 2 times"), m);
    read(q, 0, 0, false).measurements().unpersist();
  }

  @Test
  void parquetEntriesAndANonIntegralIndex() {
    StructType schema = new StructType().add("i", DataTypes.LongType).add("j", DataTypes.DoubleType)
        .add("y", DataTypes.DoubleType);
    List<Row> rows = new ArrayList<>();
    rows.add(RowFactory.create(0L, 1.0, 0.5));
    rows.add(RowFactory.create(2L, 0.0, -1.0));
    String good = tmp.resolve("good.parquet").toString();
    spark.createDataFrame(rows, schema).coalesce(1).write().parquet(good);
    EntryReader.Entries e = read(good, 0, 0, false);
    assertEquals(3, e.d1());
    assertEquals(2, e.d2());
    assertEquals(2, e.measurements().rows());
    e.measurements().unpersist();
    rows.add(RowFactory.create(1L, 0.5, 2.0));
    String bad = tmp.resolve("bad.parquet").toString();
    spark.createDataFrame(rows, schema).coalesce(1).write().parquet(bad);
    String m = error(() -> read(bad, 0, 0, false));
    assertTrue(m.contains("row 3, column j: 0.5 is not an integer"), m);
  }
}
