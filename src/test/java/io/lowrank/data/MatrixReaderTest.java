package io.lowrank.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lowrank.SparkTestSession;
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
}
