package io.lowrank.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lowrank.SparkTestSession;
import io.lowrank.data.Block;
import io.lowrank.data.PackedSymmetric;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Operator files: the header layout, the CSV and Parquet round trips, the symmetric packing and bad values. */
class OperatorFileTest {
  private static final SplittableRandom RNG = new SplittableRandom(11);

  /** A block of {@code rows} random d1×d2 A_i (not symmetric) and signed y. */
  private static Block randomRaw(long id, int rows, int width) {
    double[] a = new double[rows * width];
    double[] y = new double[rows];
    for (int i = 0; i < a.length; i++) {
      a[i] = RNG.nextGaussian();
    }
    for (int i = 0; i < rows; i++) {
      y[i] = RNG.nextGaussian() * 3;
    }
    return new Block(id, rows, width, a, y);
  }

  /** Every row of the blocks, in order, as (y, a_0, ..., a_{D−1}). */
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

  @Test
  void csvAndParquetRoundTripBitForBit(@TempDir Path tmp) {
    SparkSession spark = SparkTestSession.get();
    // Two blocks of 2x3 matrices (D = 6), negative responses included.
    List<Block> blocks = List.of(randomRaw(0, 5, 6), randomRaw(1, 4, 6));
    for (Format format : List.of(Format.CSV, Format.PARQUET)) {
      String path = tmp.resolve("ops." + format.name().toLowerCase()).toString();
      OperatorFile.write(spark, SparkTestSession.jsc().parallelize(blocks, 1), path, format, false);
      OperatorFile.Loaded loaded = OperatorFile.read(spark, path, format, new OperatorFile.Shape(2, 3),
          StorageLevel.MEMORY_ONLY());
      try {
        assertEquals(new OperatorFile.Shape(2, 3), loaded.shape());
        assertEquals(9, loaded.measurements().rows());
        List<double[]> back = rowsOf(loaded.measurements().blocks().collect());
        List<double[]> sent = rowsOf(blocks);
        assertEquals(sent.size(), back.size());
        for (int i = 0; i < sent.size(); i++) {
          assertArrayEquals(sent.get(i), back.get(i), 0.0, format + " row " + i);
        }
      } finally {
        loaded.measurements().unpersist();
      }
    }
  }

  @Test
  void theHeaderIsRecognisedAndItsWidthChecked() {
    String[] square = {"y", "a_0", "a_1", "a_2", "a_3"};
    assertTrue(OperatorFile.isOperatorHeader(square));
    assertTrue(!OperatorFile.isOperatorHeader(new String[] {"y", "a1", "a2"}));
    assertEquals(OperatorFile.Shape.square(2), OperatorFile.shapeOf("f.csv", square, null));
    assertEquals(new OperatorFile.Shape(1, 4), OperatorFile.shapeOf("f.csv", square, new OperatorFile.Shape(1, 4)));
    String notSquare = assertThrows(IllegalArgumentException.class,
        () -> OperatorFile.shapeOf("f.csv", new String[] {"y", "a_0", "a_1", "a_2"}, null)).getMessage();
    assertTrue(notSquare.contains("3 sensing columns") && notSquare.contains("not a square") && notSquare.contains(
        "--shape"), notSquare);
    String wrongShape = assertThrows(IllegalArgumentException.class,
        () -> OperatorFile.shapeOf("f.csv", square, new OperatorFile.Shape(2, 3))).getMessage();
    assertTrue(wrongShape.contains("expected D = d1*d2 = 2*3 = 6"), wrongShape);
    String order = assertThrows(IllegalArgumentException.class,
        () -> OperatorFile.shapeOf("f.csv", new String[] {"y", "a_0", "a_2"}, null)).getMessage();
    assertTrue(order.contains("column 3 is 'a_2', expected a_1"), order);
    String yFirst = assertThrows(IllegalArgumentException.class,
        () -> OperatorFile.shapeOf("f.csv", new String[] {"a_0", "y"}, null)).getMessage();
    assertTrue(yFirst.contains("expected y"), yFirst);
    assertEquals(new OperatorFile.Shape(20, 30), OperatorFile.Shape.parse(" 20x30 ", "--shape"));
    assertThrows(IllegalArgumentException.class, () -> OperatorFile.Shape.parse("20", "--shape"));
    assertThrows(IllegalArgumentException.class, () -> OperatorFile.Shape.parse("0x3", "--shape"));
  }

  /**
   * The packed row of A is c times the packed symmetric part: checked through ⟨A, M⟩ for symmetric M, computed
   * entry by entry from the raw A (Σ_jk A_jk M_jk), against the packed dot product.
   */
  @Test
  void packedRowsMeasureTheRawMatricesTimesC() {
    int d = 4;
    Block raw = randomRaw(3, 7, d * d);
    double c = 1 / Math.sqrt(7);
    Block packed = OperatorFile.symmetricPacked(raw, d, c);
    assertEquals(PackedSymmetric.length(d), packed.d);
    double[] m = new double[d * d];
    for (int j = 0; j < d; j++) {
      for (int k = 0; k <= j; k++) {
        m[j + k * d] = RNG.nextGaussian();
        m[k + j * d] = m[j + k * d];
      }
    }
    double[] pm = PackedSymmetric.pack(m, d);
    for (int i = 0; i < raw.rows; i++) {
      double direct = 0;
      for (int q = 0; q < d * d; q++) {
        direct += raw.a(i, q) * m[q];
      }
      double viaPacked = 0;
      for (int q = 0; q < pm.length; q++) {
        viaPacked += packed.a(i, q) * pm[q];
      }
      // Sums of 16 products of O(1) terms: agreement to 1e-13 is rounding only.
      assertEquals(c * direct, viaPacked, 1e-13, "row " + i);
      assertEquals(c * raw.y[i], packed.y[i], 0.0);
    }
    assertEquals(7, OperatorFile.nonSymmetricRows(raw, d));
  }

  /** A non-symmetric A and its symmetric part S = (A + Aᵀ)/2 pack to the same bits. */
  @Test
  void aMatrixAndItsSymmetricPartPackAlike() {
    int d = 3;
    Block raw = randomRaw(0, 5, d * d);
    double[] s = raw.a.clone();
    for (int i = 0; i < raw.rows; i++) {
      for (int k = 0; k < d; k++) {
        for (int j = 0; j < k; j++) {
          double v = 0.5 * (raw.a(i, j + k * d) + raw.a(i, k + j * d));
          s[i + (j + k * d) * raw.rows] = v;
          s[i + (k + j * d) * raw.rows] = v;
        }
      }
    }
    Block sym = new Block(0, raw.rows, d * d, s, raw.y.clone());
    assertEquals(0, OperatorFile.nonSymmetricRows(sym, d));
    double c = 0.25;
    assertArrayEquals(OperatorFile.symmetricPacked(sym, d, c).a, OperatorFile.symmetricPacked(raw, d, c).a, 0.0);
  }

  /** Unit-scale rows of packed blocks pack back to the blocks up to rounding (×√m, ÷√m and the √2). */
  @Test
  void unpackedRowsPackBack() {
    int d = 5;
    int p = PackedSymmetric.length(d);
    double c = 1 / Math.sqrt(300);
    double[] a = new double[6 * p];
    for (int i = 0; i < a.length; i++) {
      a[i] = c * RNG.nextGaussian();
    }
    Block packed = new Block(0, 6, p, a, new double[] {1, -2, 3, 0.5, -0.25, 7});
    Block raw = OperatorFile.unpackedRows(packed, d, c);
    assertEquals(0, OperatorFile.nonSymmetricRows(raw, d));
    Block again = OperatorFile.symmetricPacked(raw, d, c);
    for (int q = 0; q < a.length; q++) {
      assertEquals(a[q], again.a[q], 4 * Math.ulp(a[q]), "entry " + q);
    }
    for (int i = 0; i < 6; i++) {
      assertEquals(packed.y[i], again.y[i], 4 * Math.ulp(packed.y[i]));
    }
  }

  @Test
  void badValuesNameTheFileRowAndColumn(@TempDir Path tmp) throws IOException {
    SparkSession spark = SparkTestSession.get();
    Path nan = tmp.resolve("nan.csv");
    Files.writeString(nan, "y,a_0,a_1,a_2,a_3\n1,1,0,0,1\n-2,1,NaN,0,1\n");
    String m = assertThrows(IllegalArgumentException.class, () -> OperatorFile.read(spark, nan.toString(),
        Format.CSV, null, StorageLevel.MEMORY_ONLY())).getMessage();
    assertTrue(m.contains("nan.csv") && m.contains("row 2,") && m.contains("column a_1") && m.contains("NaN"), m);
    Path inf = tmp.resolve("inf.csv");
    Files.writeString(inf, "y,a_0,a_1,a_2,a_3\n1,1,0,0,1\n2,1,0,0,1\nInfinity,1,0,0,1\n");
    m = assertThrows(IllegalArgumentException.class, () -> OperatorFile.read(spark, inf.toString(), Format.CSV, null,
        StorageLevel.MEMORY_ONLY())).getMessage();
    assertTrue(m.contains("inf.csv") && m.contains("row 3,") && m.contains("column y"), m);
  }
}
