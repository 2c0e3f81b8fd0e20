package io.lowrank.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lowrank.linalg.Linalg;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The completion generator against explicit M* = X* Y*^T entries, its sampling law and its block independence. */
class MatrixCompletionTest {
  private final FactorTruth truth = FactorTruth.generate(40, 30, 3, 5, 11L);

  @Test
  void responsesAreTheEntriesOfTheExplicitMatrix() {
    double[] m = truth.matrix(); // the explicit 40×30 M*, column-major: an independent formula for each y
    MatrixCompletion c = MatrixCompletion.of(truth, 0.3, 5L, 0, Outliers.none(), 7);
    Set<Long> seen = new HashSet<>();
    long n = 0;
    for (Block b : c.blocks()) {
      assertEquals(3, b.d);
      for (int e = 0; e < b.rows; e++) {
        int i = (int) b.a[e];
        int j = (int) b.a[e + b.rows];
        assertEquals(1.0, b.a[e + 2 * b.rows]);
        // The block holds matrix rows [7b, 7b + 7).
        assertTrue(i >= 7 * b.id && i < 7 * (b.id + 1), "row " + i + " in block " + b.id);
        assertEquals(m[i + 40 * j], b.y[e], 1e-15);
        assertTrue(seen.add((long) i * 30 + j), "entry (" + i + ", " + j + ") twice");
        n++;
      }
    }
    // Binomial(1200, 0.3): mean 360, sd 15.9; 4 sd.
    assertEquals(360, n, 4 * Math.sqrt(1200 * 0.3 * 0.7));
  }

  @Test
  void theInstanceDoesNotDependOnTheBlockSize() {
    Outliers out = new Outliers(0.2, Outliers.Kind.UNIFORM, 10);
    double[] a = entries(MatrixCompletion.of(truth, 0.4, 3L, 0.01, out, 1));
    double[] b = entries(MatrixCompletion.of(truth, 0.4, 3L, 0.01, out, 0));
    assertArrayEquals(a, b, 0.0);
  }

  @Test
  void outliersHitTheEntriesTheOutlierStreamNames() {
    Outliers out = new Outliers(0.2, Outliers.Kind.GAUSSIAN, 3);
    MatrixCompletion c = MatrixCompletion.of(truth, 0.5, 9L, 0, out, 0);
    long corrupted = 0;
    long n = 0;
    for (Block b : c.blocks()) {
      for (int e = 0; e < b.rows; e++) {
        int i = (int) b.a[e];
        int j = (int) b.a[e + b.rows];
        long id = (long) i * 30 + j;
        double s = b.y[e] - truth.entry(i, j);
        assertEquals(out.offset(9L, id, Double.NaN), s, 1e-15);
        assertEquals(out.isCorrupted(9L, id), s != 0);
        corrupted += s != 0 ? 1 : 0;
        n++;
      }
    }
    assertEquals(0.2 * n, corrupted, 4 * Math.sqrt(n * 0.2 * 0.8));
  }

  @Test
  void symmetricCompletionObservesTheUpperTriangleOfXXt() {
    LowRankTruth t = LowRankTruth.generate(25, 2, 3, 4L);
    FactorTruth f = FactorTruth.of(t);
    double[] m = t.matrix();
    MatrixCompletion c = MatrixCompletion.of(f, 1.0, 1L, 0, Outliers.none(), 0);
    long n = 0;
    for (Block b : c.blocks()) {
      for (int e = 0; e < b.rows; e++) {
        int i = (int) b.a[e];
        int j = (int) b.a[e + b.rows];
        assertTrue(i <= j);
        assertEquals(m[i + 25 * j], b.y[e], 1e-15);
        n++;
      }
    }
    assertEquals(25 * 26 / 2, n); // q = 1: every entry i ≤ j once
  }

  @Test
  void samplingForAnExactCountAndItsBounds() {
    assertEquals(0.25, MatrixCompletion.samplingFor(300, 40, 30, false), 1e-15);
    assertEquals(1.0, MatrixCompletion.samplingFor(55, 10, 10, true), 1e-15);
    assertThrows(IllegalArgumentException.class, () -> MatrixCompletion.samplingFor(1201, 40, 30, false));
    assertThrows(IllegalArgumentException.class, () -> MatrixCompletion.of(truth, 0, 1L, 0, null, 0));
  }

  @Test
  void asymmetricGaussianResponsesAreInnerProductsWithTheStoredRows() {
    FactorTruth t = FactorTruth.generate(6, 4, 2, 2, 3L);
    double[] m = t.matrix();
    AsymmetricGaussianSensing stored = AsymmetricGaussianSensing.stored(t, 50, 8L, 0, Outliers.none(), 16);
    AsymmetricGaussianSensing fly = AsymmetricGaussianSensing.onTheFly(t, 50, 8L, 0, Outliers.none(), 16);
    double sumSq = 0;
    for (int b = 0; b < stored.blockCount(); b++) {
      Block s = stored.block(b);
      Block f = fly.block(b);
      assertEquals(24, s.d);
      assertEquals(0, f.d);
      assertArrayEquals(s.y, f.y, 0.0);
      for (int i = 0; i < s.rows; i++) {
        double dot = 0;
        for (int q = 0; q < 24; q++) {
          dot += s.a(i, q) * m[q];
          sumSq += s.a(i, q) * s.a(i, q);
        }
        assertEquals(dot, s.y[i], 1e-14);
      }
    }
    // Entries N(0, 1/m): Σ over m rows of ‖A_i‖² has mean d1 d2 = 24, sd √(2·24) ≈ 6.9.
    assertEquals(24, sumSq, 5 * Math.sqrt(48));
    assertEquals(Linalg.norm(m), Math.sqrt(sumOfSquares(t)), 1e-12);
  }

  private static double sumOfSquares(FactorTruth t) {
    double s = 0;
    for (int i = 0; i < t.d1(); i++) {
      for (int j = 0; j < t.d2(); j++) {
        s += t.entry(i, j) * t.entry(i, j);
      }
    }
    return s;
  }

  private static double[] entries(MatrixCompletion c) {
    java.util.TreeMap<Long, Double> byId = new java.util.TreeMap<>();
    for (Block b : c.blocks()) {
      for (int e = 0; e < b.rows; e++) {
        byId.put((long) b.a[e] * 30 + (long) b.a[e + b.rows], b.y[e]);
      }
    }
    double[] out = new double[2 * byId.size()];
    int k = 0;
    for (var en : byId.entrySet()) {
      out[k++] = en.getKey();
      out[k++] = en.getValue();
    }
    return out;
  }
}
