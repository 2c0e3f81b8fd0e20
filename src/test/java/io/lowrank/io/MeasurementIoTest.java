package io.lowrank.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lowrank.SparkTestSession;
import io.lowrank.data.Block;
import io.lowrank.data.GaussianPhaseRetrieval;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.ml.linalg.VectorUDT;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/**
 * Round trips through {@link MeasurementWriter} and {@link MeasurementReader}, and one test per kind of bad
 * input, each checking that the error names the file, the row and the column.
 */
class MeasurementIoTest {
  private static final StorageLevel LEVEL = StorageLevel.MEMORY_ONLY();

  @TempDir
  Path dir;

  private static SparkSession spark() {
    return SparkTestSession.get();
  }

  // ------------------------------------------------------------------------------------------ round trips

  @Test
  void csvAndParquetRoundTripExactly() {
    GaussianPhaseRetrieval gen = new GaussianPhaseRetrieval(300, 7, 5L, 0.0, 64);
    List<double[]> expected = rowsOf(gen.blocks());
    JavaRDD<Block> blocks = SparkTestSession.jsc().parallelize(gen.blocks(), 3);
    for (Format format : Format.values()) {
      String out = dir.resolve("gen-" + format).toString();
      MeasurementWriter.write(spark(), blocks, out, format);
      assertEquals(format, Format.of(out, "auto"), "auto-detects the part files of " + out);
      Measurements m = MeasurementReader.read(spark(), out, format, 50, LEVEL);
      try {
        assertEquals(300, m.rows());
        assertEquals(7, m.d());
        assertTrue(m.blocks().getStorageLevel().useMemory(), "blocks are persisted");
        List<Block> back = m.blocks().collect();
        for (Block b : back) {
          assertTrue(b.rows <= 50, "block size respected");
        }
        assertEquals(back.size(), back.stream().mapToLong(b -> b.id).distinct().count(), "block ids unique");
        // Spark may place part files in any order, so rows are compared as sorted multisets, bit for bit.
        assertSameRows(expected, rowsOf(back));
      } finally {
        m.unpersist();
      }
    }
    // Writing again without overwrite is an error; with overwrite it replaces the data.
    String out = dir.resolve("gen-CSV").toString();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> MeasurementWriter.write(spark(), blocks, out, Format.CSV));
    assertTrue(e.getMessage().contains("gen-CSV"), e.getMessage());
    MeasurementWriter.write(spark(), blocks, out, Format.CSV, true);
  }

  @Test
  void readsParquetWithVectorColumnAndPerCoordinateColumns() {
    StructType vecSchema = new StructType().add("y", DataTypes.DoubleType).add("a", new VectorUDT());
    List<Row> vecRows = List.of(
        RowFactory.create(1.0, Vectors.dense(1.0, 2.0, 3.0)),
        RowFactory.create(2.5, Vectors.sparse(3, new int[] {1}, new double[] {-4.0})),
        RowFactory.create(0.0, Vectors.dense(0.5, 0.25, 0.125)),
        RowFactory.create(9.0, Vectors.sparse(3, new int[] {0, 2}, new double[] {7.0, 8.0})));
    String vec = dir.resolve("vec.parquet").toString();
    spark().createDataFrame(vecRows, vecSchema).coalesce(1).write().parquet(vec);
    Measurements m = MeasurementReader.read(spark(), vec, Format.of(vec, "auto"), 0, LEVEL);
    List<double[]> expected = List.of(
        new double[] {1.0, 1.0, 2.0, 3.0}, new double[] {2.5, 0.0, -4.0, 0.0},
        new double[] {0.0, 0.5, 0.25, 0.125}, new double[] {9.0, 7.0, 0.0, 8.0});
    assertEquals(3, m.d());
    assertSameRows(expected, rowsOf(m.blocks().collect()));
    m.unpersist();

    // Per-coordinate columns of mixed numeric types, y not first: coordinates keep schema order.
    StructType colSchema = new StructType().add("x1", DataTypes.DoubleType).add("y", DataTypes.DoubleType)
        .add("x2", DataTypes.IntegerType).add("x3", DataTypes.FloatType);
    List<Row> colRows = List.of(
        RowFactory.create(1.0, 1.0, 2, 3.0f), RowFactory.create(0.0, 2.5, -4, 0.0f),
        RowFactory.create(0.5, 0.0, 0, 0.125f), RowFactory.create(7.0, 9.0, 0, 8.0f));
    String cols = dir.resolve("cols.parquet").toString();
    spark().createDataFrame(colRows, colSchema).coalesce(1).write().parquet(cols);
    m = MeasurementReader.read(spark(), cols, Format.PARQUET, 0, LEVEL);
    assertEquals(3, m.d());
    assertEquals(4, m.rows());
    assertSameRows(List.of(
        new double[] {1.0, 1.0, 2.0, 3.0}, new double[] {2.5, 0.0, -4.0, 0.0},
        new double[] {0.0, 0.5, 0.0, 0.125}, new double[] {9.0, 7.0, 0.0, 8.0}), rowsOf(m.blocks().collect()));
    m.unpersist();
  }

  @Test
  void csvColumnsInHeaderOrderWithYAnywhere() throws IOException {
    String p = csv("order.csv", "a1,y,a2\n1,4,2\n3,9,-1\n0.5,0,0.25\n");
    Measurements m = MeasurementReader.read(spark(), p, Format.of(p, "auto"), 2, LEVEL);
    assertEquals(3, m.rows());
    assertEquals(2, m.d());
    assertSameRows(List.of(new double[] {4, 1, 2}, new double[] {9, 3, -1}, new double[] {0, 0.5, 0.25}),
        rowsOf(m.blocks().collect()));
    m.unpersist();
  }

  @Test
  void gzippedCsv() throws IOException {
    Path p = dir.resolve("small.csv.gz");
    try (java.io.Writer w = new java.io.OutputStreamWriter(
        new java.util.zip.GZIPOutputStream(Files.newOutputStream(p)), java.nio.charset.StandardCharsets.UTF_8)) {
      w.write("a1,y\n1,1\n2,4\n3,-9\n");
    }
    assertBad(p.toString(), Format.of(p.toString(), "auto"), "small.csv.gz", "row 3", "column y", "negative");
  }

  @Test
  void formatFlag() {
    assertEquals(Format.CSV, Format.of("x/data.csv", "auto"));
    assertEquals(Format.CSV, Format.of("x/data.CSV.gz", "auto"));
    assertEquals(Format.PARQUET, Format.of("hdfs://h/x/data.parquet/", "auto"));
    assertEquals(Format.PARQUET, Format.of("x/data.txt", "parquet"));
    assertEquals(Format.CSV, Format.of("x/data.parquet", "csv"));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Format.of(dir.resolve("data.txt").toString(), "auto"));
    assertTrue(e.getMessage().contains("data.txt") && e.getMessage().contains("--format"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> Format.of("x.csv", "json"));
  }

  // ------------------------------------------------------------------------------------------ bad input

  @Test
  void nanInCoordinate() throws IOException {
    String p = csv("nan.csv", "a1,a2,y\n1,2,3\n4,NaN,5\n");
    assertBad(p, Format.CSV, "nan.csv", "row 2", "column a2", "NaN");
  }

  @Test
  void infiniteIntensity() throws IOException {
    String p = csv("inf.csv", "a1,a2,y\n1,2,3\n4,5,6\n7,8,Infinity\n");
    assertBad(p, Format.CSV, "inf.csv", "row 3", "column y", "Infinity");
  }

  @Test
  void negativeIntensity() throws IOException {
    String p = csv("neg.csv", "a1,a2,y\n1,2,3\n4,5,-0.5\n7,8,-1\n");
    assertBad(p, Format.CSV, "neg.csv", "row 2", "column y", "negative intensity -0.5");
  }

  @Test
  void tooFewFields() throws IOException {
    String p = csv("short.csv", "a1,a2,y\n1,2,3\n4,5\n");
    assertBad(p, Format.CSV, "short.csv", "row 2", "column y", "2 fields", "has 3");
  }

  @Test
  void tooManyFields() throws IOException {
    String p = csv("long.csv", "a1,a2,y\n1,2,3\n1,2,3\n4,5,6,7\n");
    assertBad(p, Format.CSV, "long.csv", "row 3", "column y", "4 fields");
  }

  @Test
  void nonNumericValue() throws IOException {
    String p = csv("text.csv", "a1,a2,y\n1,2,3\n4,abc,6\n");
    assertBad(p, Format.CSV, "text.csv", "row 2", "column a2", "'abc' is not a number");
  }

  @Test
  void emptyField() throws IOException {
    String p = csv("hole.csv", "a1,a2,y\n1,,3\n");
    assertBad(p, Format.CSV, "hole.csv", "row 1", "column a2", "empty");
  }

  @Test
  void missingYColumn() throws IOException {
    String p = csv("noy.csv", "a1,a2,z\n1,2,3\n");
    assertBad(p, Format.CSV, "noy.csv", "'y'", "a1,a2,z");
    String q = parquet("noy.parquet", new StructType().add("a", DataTypes.createArrayType(DataTypes.DoubleType)),
        RowFactory.create((Object) new double[] {1.0}));
    assertBad(q, Format.PARQUET, "noy.parquet", "'y'");
  }

  @Test
  void emptyInput() throws IOException {
    assertBad(csv("header-only.csv", "a1,a2,y\n"), Format.CSV, "header-only.csv", "no data rows");
    assertBad(csv("nothing.csv", ""), Format.CSV, "nothing.csv", "empty input");
    String q = dir.resolve("empty.parquet").toString();
    spark().createDataFrame(List.of(), new StructType().add("y", DataTypes.DoubleType)
        .add("a", DataTypes.createArrayType(DataTypes.DoubleType))).write().parquet(q);
    assertBad(q, Format.PARQUET, "empty.parquet", "no data rows");
  }

  @Test
  void noSensingColumns() throws IOException {
    assertBad(csv("yonly.csv", "y\n1\n2\n"), Format.CSV, "yonly.csv", "no sensing columns");
    String q = parquet("yonly.parquet", new StructType().add("y", DataTypes.DoubleType), RowFactory.create(1.0));
    assertBad(q, Format.PARQUET, "yonly.parquet", "no sensing columns");
  }

  @Test
  void fewerMeasurementsThanDimensions() throws IOException {
    String p = csv("wide.csv", "a1,a2,a3,y\n1,2,3,4\n5,6,7,8\n");
    assertBad(p, Format.CSV, "wide.csv", "n = 2", "d = 3");
  }

  @Test
  void nonexistentPath() {
    String p = dir.resolve("missing.csv").toString();
    assertBad(p, Format.CSV, "missing.csv", "does not exist");
    assertBad("file://" + dir.resolve("missing.parquet"), Format.PARQUET, "missing.parquet", "does not exist");
  }

  @Test
  void parquetColumnAOfWrongType() {
    String q = parquet("astring.parquet", new StructType().add("y", DataTypes.DoubleType)
        .add("a", DataTypes.StringType), RowFactory.create(1.0, "1,2"));
    assertBad(q, Format.PARQUET, "astring.parquet", "column a", "string", "array<double>");
    String r = parquet("astrings.parquet", new StructType().add("y", DataTypes.DoubleType)
        .add("a", DataTypes.createArrayType(DataTypes.StringType)), RowFactory.create(1.0, new String[] {"1"}));
    assertBad(r, Format.PARQUET, "astrings.parquet", "column a", "array<string>");
  }

  @Test
  void parquetArraysOfDifferingLengths() {
    String q = parquet("ragged.parquet", new StructType().add("y", DataTypes.DoubleType)
        .add("a", DataTypes.createArrayType(DataTypes.DoubleType)),
        RowFactory.create(1.0, new double[] {1, 2}), RowFactory.create(1.0, new double[] {3, 4}),
        RowFactory.create(1.0, new double[] {5, 6}), RowFactory.create(1.0, new double[] {7}));
    assertBad(q, Format.PARQUET, "ragged.parquet", "row 4", "column a", "length 1", "d = 2");
  }

  @Test
  void parquetBadValues() {
    StructType s = new StructType().add("y", DataTypes.DoubleType)
        .add("a", DataTypes.createArrayType(DataTypes.DoubleType));
    String q = parquet("pnan.parquet", s, RowFactory.create(1.0, new double[] {1, 2}),
        RowFactory.create(1.0, new double[] {3, Double.NaN}), RowFactory.create(1.0, new double[] {3, 4}));
    assertBad(q, Format.PARQUET, "pnan.parquet", "row 2", "column a", "entry 2", "NaN");
    String r = parquet("pneg.parquet", s, RowFactory.create(1.0, new double[] {1, 2}),
        RowFactory.create(2.0, new double[] {3, 4}), RowFactory.create(-3.0, new double[] {3, 4}));
    assertBad(r, Format.PARQUET, "pneg.parquet", "row 3", "column y", "negative");
    StructType c = new StructType().add("y", DataTypes.DoubleType).add("u", DataTypes.DoubleType)
        .add("v", DataTypes.DoubleType);
    String t = parquet("pnull.parquet", c, RowFactory.create(1.0, 1.0, 2.0), RowFactory.create(1.0, null, 2.0));
    assertBad(t, Format.PARQUET, "pnull.parquet", "row 2", "column u", "null");
    String u = parquet("ptype.parquet", new StructType().add("y", DataTypes.DoubleType)
        .add("u", DataTypes.StringType), RowFactory.create(1.0, "x"));
    assertBad(u, Format.PARQUET, "ptype.parquet", "column u", "string");
  }

  @Test
  void multiFileInputNamesTheFileAndRowWithinIt() throws IOException {
    Path sub = Files.createDirectories(dir.resolve("parts"));
    Files.writeString(sub.resolve("part-0.csv"), "a1,y\n1,1\n2,4\n3,9\n");
    Files.writeString(sub.resolve("part-1.csv"), "a1,y\n1,1\n2,-4\n");
    assertBad(sub.toString(), Format.CSV, "part-1.csv", "row 2", "column y", "negative");
    // A glob over the good file only reads fine.
    Measurements m = MeasurementReader.read(spark(), sub.resolve("part-0*").toString(), Format.CSV, 0, LEVEL);
    assertEquals(3, m.rows());
    m.unpersist();
  }

  @Test
  void rowNumbersCountAcrossSplitsOfOneFile() throws IOException {
    StringBuilder sb = new StringBuilder("a1,a2,y\n");
    for (int i = 1; i <= 3000; i++) {
      sb.append(i).append(",0.5,").append(i == 2345 ? "-1" : "1").append('\n');
    }
    String p = csv("big.csv", sb.toString());
    SparkSession s = spark();
    String old = s.conf().get("spark.sql.files.maxPartitionBytes");
    s.conf().set("spark.sql.files.maxPartitionBytes", "4096"); // ~10 splits of one file
    try {
      assertBad(p, Format.CSV, "big.csv", "row 2345,", "column y");
      String q = csv("big-ok.csv", sb.toString().replace(",-1\n", ",1\n"));
      Measurements m = MeasurementReader.read(s, q, Format.CSV, 100, LEVEL);
      assertTrue(m.blocks().getNumPartitions() > 5, "input was split: " + m.blocks().getNumPartitions());
      assertEquals(3000, m.rows());
      double sum = rowsOf(m.blocks().collect()).stream().mapToDouble(r -> r[1]).sum();
      assertEquals(3000.0 * 3001 / 2, sum, "every row once, header dropped once");
      m.unpersist();
    } finally {
      s.conf().set("spark.sql.files.maxPartitionBytes", old);
    }
  }

  @Test
  void valuesTooLargeForTheKernelsSumsAreRefusedNamingRowAndColumn() throws IOException {
    // |a|^2 = 1e280 and y|a|^2 = 1e280: below the bound (about 9.7e288), read as they are.
    String ok = csv("large.csv", "y,a1,a2\n1,1e140,0\n1,0,1e140\n");
    Measurements m = MeasurementReader.read(spark(), ok, Format.CSV, 0, LEVEL);
    assertEquals(2, m.rows());
    m.unpersist();
    assertBad(csv("a-too-large.csv", "y,a1,a2\n1,1,0\n1,2,1e145\n"), Format.CSV, "a-too-large.csv", "row 2,",
        "column a2", "1.0E145", "too large");
    // Each factor fine, their product y|a|^2 = 1e290 is not: the intensity is named.
    assertBad(csv("y-too-large.csv", "a1,y\n1,1\n1e140,1e10\n"), Format.CSV, "y-too-large.csv", "row 2,",
        "column y", "y*|a|^2");
    assertBad(csv("overflow.csv", "y,a1\n1,1\n1,-1e200\n"), Format.CSV, "overflow.csv", "row 2,", "column a1",
        "Infinity");
    StructType s = new StructType().add("y", DataTypes.DoubleType)
        .add("a", DataTypes.createArrayType(DataTypes.DoubleType));
    String q = parquet("huge.parquet", s, RowFactory.create(1.0, new double[] {1, 2}),
        RowFactory.create(1.0, new double[] {3, 1e300}));
    assertBad(q, Format.PARQUET, "huge.parquet", "row 2,", "column a, entry 2", "too large");
  }

  @Test
  void csvFilesWithDifferentHeadersAreRejected() throws IOException {
    Path sub = Files.createDirectories(dir.resolve("mixed"));
    Files.writeString(sub.resolve("part-0.csv"), "a1,a2,y\n1,2,3\n4,5,6\n");
    Files.writeString(sub.resolve("part-1.csv"), "a1,y,a2\n1,3,2\n");
    assertBad(sub.toString(), Format.CSV, "mixed", "part-1.csv");
  }

  // ---------------------------------------------------------------------------------------------- helpers

  private String csv(String name, String text) throws IOException {
    Path p = dir.resolve(name);
    Files.writeString(p, text);
    return p.toString();
  }

  private String parquet(String name, StructType schema, Row... rows) {
    String p = dir.resolve(name).toString();
    spark().createDataFrame(Arrays.asList(rows), schema).coalesce(1).write().parquet(p);
    return p;
  }

  private static void assertBad(String path, Format format, String... fragments) {
    Executable read = () -> MeasurementReader.read(spark(), path, format, 0, LEVEL);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, read);
    String msg = e.getMessage();
    assertTrue(msg.indexOf('\n') < 0, "one-line message: " + msg);
    for (String f : fragments) {
      assertTrue(msg.contains(f), "message should contain '" + f + "': " + msg);
    }
  }

  /** Each row as (y, a_1..a_d). */
  private static List<double[]> rowsOf(List<Block> blocks) {
    List<double[]> rows = new ArrayList<>();
    for (Block b : blocks) {
      for (int i = 0; i < b.rows; i++) {
        double[] r = new double[b.d + 1];
        r[0] = b.y[i];
        for (int j = 0; j < b.d; j++) {
          r[j + 1] = b.a(i, j);
        }
        rows.add(r);
      }
    }
    return rows;
  }

  private static void assertSameRows(List<double[]> expected, List<double[]> actual) {
    assertEquals(expected.size(), actual.size(), "row count");
    List<double[]> e = new ArrayList<>(expected);
    List<double[]> a = new ArrayList<>(actual);
    e.sort(Arrays::compare);
    a.sort(Arrays::compare);
    for (int i = 0; i < e.size(); i++) {
      // assertArrayEquals on double[] compares bit patterns via Double.doubleToLongBits: exact.
      assertArrayEquals(e.get(i), a.get(i), "row " + i);
    }
  }
}
