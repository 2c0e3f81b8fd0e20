package io.lowrank.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lowrank.SparkTestSession;
import io.lowrank.data.Block;
import io.lowrank.data.GaussianPhaseRetrieval;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link FrameReader}: the blocks it builds from a DataFrame equal, bit for bit, those {@link MeasurementReader} builds
 * from the same file; every kind of bad frame is refused on one line naming the column and the row.
 */
class FrameReaderTest {
  private static final String SAMPLE = "data-samples/phase-retrieval.csv";
  private static final StorageLevel LEVEL = StorageLevel.MEMORY_ONLY();
  private static final StructType VECTORS = new StructType()
      .add("features", SQLDataTypes.VectorType(), true)
      .add("label", DataTypes.DoubleType, true);
  private static final StructType ARRAYS = new StructType()
      .add("a", DataTypes.createArrayType(DataTypes.DoubleType, true), true)
      .add("y", DataTypes.DoubleType, true);

  @TempDir
  Path dir;

  private static SparkSession spark() {
    return SparkTestSession.get();
  }

  // ------------------------------------------------------------------------------------ same blocks as files

  @Test
  void csvThroughVectorAssemblerGivesTheReadersBlocks() {
    Measurements file = MeasurementReader.read(spark(), SAMPLE);
    Dataset<Row> csv = spark().read().option("header", "true").option("inferSchema", "true").csv(SAMPLE);
    String[] coords = Arrays.stream(csv.columns()).filter(c -> !c.equals("y")).toArray(String[]::new);
    Dataset<Row> assembled = new VectorAssembler().setInputCols(coords).setOutputCol("features").transform(csv);
    Measurements frame = FrameReader.read(assembled, "features", "y");
    try {
      assertEquals(file.rows(), frame.rows());
      assertEquals(file.d(), frame.d());
      assertSameBlocks(file.blocks().collect(), frame.blocks().collect());
      assertTrue(frame.blocks().getStorageLevel().useMemory(), "blocks are persisted");
      assertEquals("DataFrame[features, y]", frame.path());
    } finally {
      file.unpersist();
      frame.unpersist();
    }
  }

  @Test
  void parquetArraysGiveTheReadersBlocks() {
    // Three partitions written as three part files; read back in one order by both readers.
    GaussianPhaseRetrieval gen = new GaussianPhaseRetrieval(300, 7, 5L, 0.0, 64);
    String path = dir.resolve("gen.parquet").toString();
    MeasurementWriter.write(spark(), SparkTestSession.jsc().parallelize(gen.blocks(), 3), path, Format.PARQUET);
    Measurements file = MeasurementReader.read(spark(), path, Format.PARQUET, 50, LEVEL);
    Measurements frame = FrameReader.read(spark().read().parquet(path), "a", "y", FrameReader.Labels.INTENSITIES, 50,
        LEVEL);
    try {
      assertEquals(300, frame.rows());
      assertEquals(7, frame.d());
      assertSameBlocks(file.blocks().collect(), frame.blocks().collect());
      for (Block b : frame.blocks().collect()) {
        assertTrue(b.rows <= 50, "block rows respected");
      }
    } finally {
      file.unpersist();
      frame.unpersist();
    }
  }

  @Test
  void sparseVectorsFloatArraysAndMllibVectorsDecodeAsDense() {
    List<Row> dense = new ArrayList<>();
    List<Row> sparse = new ArrayList<>();
    List<Row> floats = new ArrayList<>();
    List<Row> mllib = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      double[] a = {1.5 * i, 0, 0.0 - 0.25 * i, 0}; // no -0.0: a sparse vector drops its sign
      a[3] = i % 2 == 0 ? 0 : 2;
      double y = 1 + i;
      dense.add(RowFactory.create(Vectors.dense(a), y));
      sparse.add(RowFactory.create(Vectors.dense(a).toSparse(), y));
      float[] f = new float[a.length];
      for (int j = 0; j < a.length; j++) {
        f[j] = (float) a[j];
      }
      floats.add(RowFactory.create(f, (float) y));
      mllib.add(RowFactory.create(org.apache.spark.mllib.linalg.Vectors.dense(a).toSparse(), y));
    }
    List<Block> expected = readAll(spark().createDataFrame(dense, VECTORS), "features", "label");
    assertSameBlocks(expected, readAll(spark().createDataFrame(sparse, VECTORS), "features", "label"));
    StructType floatSchema = new StructType()
        .add("features", DataTypes.createArrayType(DataTypes.FloatType), true)
        .add("label", DataTypes.FloatType, true);
    // The values are exact in float, so the cast to double gives the same blocks.
    assertSameBlocks(expected, readAll(spark().createDataFrame(floats, floatSchema), "features", "label"));
    StructType mllibSchema = new StructType()
        .add("features", new org.apache.spark.mllib.linalg.VectorUDT(), true)
        .add("label", DataTypes.DoubleType, true);
    assertSameBlocks(expected, readAll(spark().createDataFrame(mllib, mllibSchema), "features", "label"));
  }

  @Test
  void negativeResponsesPassWhenLabelsAreFinite() {
    Dataset<Row> df = frame(ARRAYS, 1, row(-1.0, 1, 2), row(3.0, 4, 5));
    Measurements m = FrameReader.read(df, "a", "y", FrameReader.Labels.FINITE, 0, LEVEL);
    try {
      assertEquals(2, m.rows());
      assertEquals(-1.0, m.blocks().first().y[0]);
    } finally {
      m.unpersist();
    }
  }

  // --------------------------------------------------------------------------------------------- bad frames

  @Test
  void missingColumnsListTheColumns() {
    Dataset<Row> df = frame(ARRAYS, 1, row(1.0, 1, 2));
    assertBad(() -> FrameReader.read(df, "features", "y"),
        "DataFrame has no column features (the features column); columns are: a, y");
    assertBad(() -> FrameReader.read(df, "a", "label"),
        "DataFrame has no column label (the label column); columns are: a, y");
  }

  @Test
  void wrongColumnTypes() {
    StructType strings = new StructType().add("a", DataTypes.StringType).add("y", DataTypes.StringType)
        .add("v", DataTypes.createArrayType(DataTypes.StringType));
    Dataset<Row> df = spark().createDataFrame(List.of(RowFactory.create("1,2", "3", new String[] {"1"})), strings);
    assertBad(() -> FrameReader.read(df, "a", "y"), "DataFrame column a (the features column) has type string; "
        + "expected a Spark ML Vector or an array of numbers");
    assertBad(() -> FrameReader.read(df, "v", "y"), "column v (the features column) has type array<string>");
    Dataset<Row> ok = frame(ARRAYS, 1, row(1.0, 1, 2));
    Dataset<Row> stringLabel = ok.withColumn("y", ok.col("y").cast("string"));
    assertBad(() -> FrameReader.read(stringLabel, "a", "y"),
        "DataFrame column y (the label column) has type string; expected a number");
  }

  @Test
  void nullsNamedWithTheRow() {
    assertBad(frame(ARRAYS, 1, row(1.0, 1, 2), row(null, 1, 2)), "DataFrame[a, y]: row 2, column y: missing value (null)");
    assertBad(frame(ARRAYS, 1, row(1.0, 1, 2), row(1.0, 1, 2), RowFactory.create(null, 3.0)),
        "DataFrame[a, y]: row 3, column a: missing value (null)");
    assertBad(frame(ARRAYS, 1, RowFactory.create(null, 3.0), row(1.0, 1, 2)), "row 1, column a: missing value (null)");
    assertBad(frame(ARRAYS, 1, row(1.0, 1, 2), RowFactory.create(new Double[] {1.0, null}, 2.0)),
        "row 2, column a: entry 2 is null");
  }

  @Test
  void nonFiniteValuesNamedWithTheRow() {
    assertBad(frame(ARRAYS, 1, row(1.0, 1, 2), row(1.0, 1, Double.NaN)),
        "row 2, column a: entry 2 is NaN; values must be finite numbers");
    assertBad(frame(ARRAYS, 1, row(Double.POSITIVE_INFINITY, 1, 2)),
        "row 1, column y: value is Infinity; values must be finite numbers");
    assertBad(frame(ARRAYS, 1, row(1.0, 1, 2), row(Double.NaN, 1, 2)), "row 2, column y: value is NaN");
    Dataset<Row> sparse = spark().createDataFrame(List.of(
        RowFactory.create(Vectors.dense(1, 2), 1.0),
        RowFactory.create(Vectors.sparse(2, new int[] {1}, new double[] {Double.NEGATIVE_INFINITY}), 1.0)), VECTORS);
    assertBad(sparse, "DataFrame[features, label]: row 2, column features: entry 2 is -Infinity");
  }

  @Test
  void negativeIntensity() {
    assertBad(frame(ARRAYS, 1, row(1.0, 1, 2), row(1.0, 3, 4), row(-0.5, 1, 2)),
        "row 3, column y: negative intensity -0.5; intensities must be >= 0");
  }

  @Test
  void raggedVectorsWithinAndAcrossPartitions() {
    assertBad(frame(ARRAYS, 1, row(1.0, 1, 2), row(1.0, 1, 2, 3)),
        "row 2, column a: vector of length 3, expected d = 2 (the length in row 1); all rows must have the same length");
    // Three partitions of two rows: the third partition starts with a longer vector (row 5), its partition's d.
    assertBad(frame(ARRAYS, 3, row(1.0, 1, 2), row(1.0, 1, 2), row(1.0, 1, 2), row(1.0, 3, 4), row(1.0, 1, 2, 3),
        row(1.0, 1, 2, 3)), "DataFrame[a, y]: row 5, column a: vector of length 3, expected d = 2 (the length in row 1)");
    // The first bad row in the frame's order wins, whichever partition holds it.
    assertBad(frame(ARRAYS, 3, row(1.0, 1, 2), row(1.0, 1, 2), row(1.0, 1, 2), row(-1.0, 3, 4), row(1.0, 1, 2, 3),
        row(1.0, 1, 2, 3)), "row 4, column y: negative intensity -1.0");
    assertBad(frame(ARRAYS, 1, row(1.0), row(1.0)), "row 1, column a: empty vector (length 0)");
  }

  @Test
  void emptyFrameAndTooFewRows() {
    assertBad(frame(ARRAYS, 2), "DataFrame[a, y]: the DataFrame is empty: no rows to fit");
    assertBad(frame(ARRAYS, 2, row(1.0, 1, 2, 3), row(2.0, 1, 2, 3)),
        "fewer rows than dimensions: n = 2 rows but d = 3; need n >= d");
  }

  // ---------------------------------------------------------------------------------------------- helpers

  private static Row row(Double y, double... a) {
    Double[] boxed = new Double[a.length];
    for (int j = 0; j < a.length; j++) {
      boxed[j] = a[j];
    }
    return RowFactory.create(boxed, y);
  }

  /** The rows in this order, in {@code partitions} partitions (parallelize keeps the order). */
  private static Dataset<Row> frame(StructType schema, int partitions, Row... rows) {
    return spark().createDataFrame(SparkTestSession.jsc().parallelize(Arrays.asList(rows), partitions), schema);
  }

  private static List<Block> readAll(Dataset<Row> df, String features, String label) {
    Measurements m = FrameReader.read(df, features, label);
    try {
      return m.blocks().collect();
    } finally {
      m.unpersist();
    }
  }

  private static void assertBad(Dataset<Row> df, String fragment) {
    String[] cols = df.columns();
    assertBad(() -> FrameReader.read(df, cols[0], cols[1]), fragment);
  }

  private static void assertBad(org.junit.jupiter.api.function.Executable read, String fragment) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, read);
    String msg = e.getMessage();
    assertTrue(msg.indexOf('\n') < 0, "one-line message: " + msg);
    assertTrue(msg.contains(fragment), "message should contain '" + fragment + "': " + msg);
  }

  /** Same blocks (ids, shapes, every value bit for bit), in block-id order. */
  static void assertSameBlocks(List<Block> expected, List<Block> actual) {
    List<Block> e = new ArrayList<>(expected);
    List<Block> a = new ArrayList<>(actual);
    e.sort(Comparator.comparingLong(b -> b.id));
    a.sort(Comparator.comparingLong(b -> b.id));
    assertEquals(e.size(), a.size(), "block count");
    for (int k = 0; k < e.size(); k++) {
      assertEquals(e.get(k).id, a.get(k).id, "block id");
      assertEquals(e.get(k).rows, a.get(k).rows, "rows of block " + k);
      assertEquals(e.get(k).d, a.get(k).d, "d of block " + k);
      assertArrayEquals(e.get(k).a, a.get(k).a, "sensing values of block " + k);
      assertArrayEquals(e.get(k).y, a.get(k).y, "responses of block " + k);
    }
  }
}
