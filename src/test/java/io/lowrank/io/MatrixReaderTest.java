package io.lowrank.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lowrank.SparkTestSession;
import io.lowrank.data.Block;
import io.lowrank.data.SpikedMatrix;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Matrix rows from Parquet: the values and the row placement come back exactly, bad rows are named. */
class MatrixReaderTest {
  private final SparkSession spark = SparkTestSession.get();
  private final SpikedMatrix instance = new SpikedMatrix(30, 12, 1.5, 9L, 7);

  @TempDir
  Path tmp;

  private Map<Integer, double[]> rowsOf(List<Block> blocks) {
    Map<Integer, double[]> rows = new HashMap<>();
    for (Block b : blocks) {
      for (int i = 0; i < b.rows; i++) {
        double[] row = new double[b.d];
        for (int j = 0; j < b.d; j++) {
          row[j] = b.a(i, j);
        }
        rows.put((int) b.y[i], row);
      }
    }
    return rows;
  }

  private String writeParquet(String name, boolean withIndex, int badRow) {
    StructType schema = new StructType().add(MatrixReader.ROW, DataTypes.createArrayType(DataTypes.DoubleType));
    if (withIndex) {
      schema = new StructType().add(MatrixReader.INDEX, DataTypes.LongType).add(MatrixReader.ROW,
          DataTypes.createArrayType(DataTypes.DoubleType));
    }
    List<Row> rows = new ArrayList<>();
    Map<Integer, double[]> truth = rowsOf(instance.blocks());
    for (int i = 29; i >= 0; i--) { // reversed: only the index column can place them
      double[] values = truth.get(i).clone();
      if (i == badRow) {
        values[3] = Double.NaN;
      }
      List<Double> list = new ArrayList<>();
      for (double v : values) {
        list.add(v);
      }
      rows.add(withIndex ? RowFactory.create((long) i, list.toArray()) : RowFactory.create((Object) list.toArray()));
    }
    Dataset<Row> df = spark.createDataFrame(rows, schema).coalesce(1);
    String path = tmp.resolve(name).toString();
    df.write().parquet(path);
    return path;
  }

  @Test
  void parquetRowsWithAnIndexColumnComeBackInPlace() {
    String path = writeParquet("y.parquet", true, -1);
    Measurements m = MatrixReader.read(spark, path, Format.PARQUET, 4, StorageLevel.MEMORY_ONLY());
    try {
      assertEquals(30, m.rows());
      assertEquals(12, m.d());
      Map<Integer, double[]> expected = rowsOf(instance.blocks());
      Map<Integer, double[]> actual = rowsOf(m.blocks().collect());
      assertEquals(expected.keySet(), actual.keySet());
      for (int i : expected.keySet()) {
        for (int j = 0; j < 12; j++) {
          assertEquals(expected.get(i)[j], actual.get(i)[j], 0.0, "row " + i + " column " + j);
        }
      }
    } finally {
      m.unpersist();
    }
  }

  @Test
  void aNonFiniteValueIsNamed() {
    String path = writeParquet("bad.parquet", true, 17);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> MatrixReader.read(spark, path, Format.PARQUET, 4, StorageLevel.MEMORY_ONLY()));
    assertTrue(e.getMessage().contains("bad.parquet") && e.getMessage().toLowerCase().contains("nan"), e.getMessage());
  }

  private String writeCsv(String dir, String indexHeader, String... files) throws java.io.IOException {
    Path d = tmp.resolve(dir);
    java.nio.file.Files.createDirectories(d);
    for (int f = 0; f < files.length; f++) {
      java.nio.file.Files.writeString(d.resolve("part-" + f + ".csv"), files[f]);
    }
    return d.toString();
  }

  /** Spark reads a directory's files largest first: without i the rows of several files have no order. */
  @Test
  void severalFilesWithoutAnIndexAreRefused() throws java.io.IOException {
    String path = writeCsv("two", null, "c1,c2\n1,2\n3,4\n", "c1,c2\n5,6\n7,8\n9,10\n");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> MatrixReader.read(spark, path, Format.CSV, 0, StorageLevel.MEMORY_ONLY()));
    assertTrue(e.getMessage().contains("2 files and no column i"), e.getMessage());
    // With i they are placed by it, whatever order the files are read in.
    String indexed = writeCsv("two-indexed", "i", "i,c1,c2\n0,1,2\n1,3,4\n", "i,c1,c2\n2,5,6\n3,7,8\n4,9,10\n");
    Measurements m = MatrixReader.read(spark, indexed, Format.CSV, 0, StorageLevel.MEMORY_ONLY());
    try {
      Map<Integer, double[]> rows = rowsOf(m.blocks().collect());
      for (int i = 0; i < 5; i++) {
        assertEquals(2 * i + 1, rows.get(i)[0], 0.0);
        assertEquals(2 * i + 2, rows.get(i)[1], 0.0);
      }
    } finally {
      m.unpersist();
    }
  }

  @Test
  void aFractionalIndexAndABadValueAreNamed() throws java.io.IOException {
    String fractional = writeCsv("frac", "i", "i,c1,c2\n0.5,1,2\n1.5,3,4\n");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> MatrixReader.read(spark, fractional, Format.CSV, 0, StorageLevel.MEMORY_ONLY()));
    assertTrue(e.getMessage().contains("column i (the 0-based row index) must hold integers"), e.getMessage());
    String nan = writeCsv("nan", "i", "i,a,b,c\n0,1,2,3\n1,4,NaN,6\n");
    e = assertThrows(IllegalArgumentException.class,
        () -> MatrixReader.read(spark, nan, Format.CSV, 0, StorageLevel.MEMORY_ONLY()));
    assertTrue(e.getMessage().contains("row with i = 1, column b: value NaN"), e.getMessage());
  }

  @Test
  void raggedRowsAndIndicesOutOfRangeGetOneShortLineNamingTheFile() throws java.io.IOException {
    StringBuilder ragged = new StringBuilder("i,c1,c2\n0,1,2\n1,3\n");
    for (int k = 0; k < 500; k++) {
      ragged.append(k + 2).append(",1,2,3,4,5,6,7,8,9\n"); // a long malformed record
    }
    String path = writeCsv("ragged", "i", ragged.toString());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> MatrixReader.read(spark, path, Format.CSV, 0, StorageLevel.MEMORY_ONLY()));
    assertTrue(e.getMessage().contains(path) && e.getMessage().length() < 500 && !e.getMessage().contains("\n"),
        e.getMessage());
    String outOfRange = writeCsv("range", "i", "i,c1,c2\n0,1,2\n1,3,4\n5,5,6\n");
    e = assertThrows(IllegalArgumentException.class,
        () -> MatrixReader.read(spark, outOfRange, Format.CSV, 0, StorageLevel.MEMORY_ONLY()));
    assertEquals(outOfRange + ": row index 5 in column i is outside [0, N = 3): indices must be 0..N-1, each once",
        e.getMessage());
  }
}
