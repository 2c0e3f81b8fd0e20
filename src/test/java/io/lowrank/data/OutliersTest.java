package io.lowrank.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The outlier model on the sensing generators: the corrupted fraction, the laws, layout independence, bad input. */
class OutliersTest {
  static final LowRankTruth TRUTH = LowRankTruth.generate(6, 2, 3, 4);
  static final int M = 20000;

  static double[] y(BlockSource source) {
    return source.blocks().stream().flatMapToDouble(b -> Arrays.stream(b.y)).toArray();
  }

  /**
   * With p = 0.2 the number of corrupted measurements is Binomial(m, p): mean 4000, standard deviation
   * √(m p (1 − p)) ≈ 56.6 at m = 20000; asserted within 5 standard deviations (a false alarm once in ~1.7 million).
   * The corrupted rows are exactly those where y differs from the clean instance of the same seed (noise included:
   * the dense noise is the same draw in both).
   */
  @Test
  void corruptedFractionIsBinomialAndOnlyCorruptedRowsChange() {
    Outliers o = new Outliers(0.2, Outliers.Kind.UNIFORM, 10);
    for (boolean rankOne : new boolean[] {false, true}) {
      BlockSource clean = rankOne ? new RankOneSensing(TRUTH, M, 3, 0.01, 700)
          : GaussianSensing.stored(TRUTH, M, 3, 0.01, 700);
      BlockSource dirty = rankOne ? new RankOneSensing(TRUTH, M, 3, 0.01, o, 700)
          : GaussianSensing.stored(TRUTH, M, 3, 0.01, o, 700);
      double[] a = y(clean);
      double[] b = y(dirty);
      int corrupted = 0;
      for (int i = 0; i < M; i++) {
        boolean flagged = o.isCorrupted(3, i);
        corrupted += flagged ? 1 : 0;
        assertEquals(flagged, a[i] != b[i], "row " + i);
      }
      double sd = Math.sqrt(M * 0.2 * 0.8);
      assertTrue(Math.abs(corrupted - 0.2 * M) <= 5 * sd, corrupted + " corrupted of " + M);
    }
  }

  /**
   * The laws, on the Gaussian generator without dense noise so that s_i = y_i − y*_i exactly: uniform within
   * ±s‖y*‖∞ and two-sided, positive within [0, s‖y*‖∞], Gaussian with a sample standard deviation within 5% of s
   * (about 4000 draws: the estimate's relative error is about 1/√(2·4000) ≈ 1.1%).
   */
  @Test
  void outlierLawsMatchTheirDefinitions() {
    double[] clean = y(GaussianSensing.stored(TRUTH, M, 8, 0.0, 1000));
    double max = Arrays.stream(clean).map(Math::abs).max().orElseThrow();
    for (Outliers.Kind kind : Outliers.Kind.values()) {
      Outliers o = new Outliers(0.2, kind, 3);
      GaussianSensing inst = GaussianSensing.stored(TRUTH, M, 8, 0.0, o, 1000);
      double[] dirty = y(inst);
      double sum = 0;
      double sumSq = 0;
      int n = 0;
      double min = Double.POSITIVE_INFINITY;
      double top = Double.NEGATIVE_INFINITY;
      for (int i = 0; i < M; i++) {
        double s = dirty[i] - clean[i];
        if (o.isCorrupted(8, i)) {
          n++;
          sum += s;
          sumSq += s * s;
          min = Math.min(min, s);
          top = Math.max(top, s);
        }
      }
      switch (kind) {
        case UNIFORM -> {
          assertEquals(max, inst.cleanMaxAbs(), 0.0);
          assertTrue(min >= -3 * max * (1 + 1e-12) && top <= 3 * max * (1 + 1e-12), min + " " + top);
          assertTrue(min < -2.9 * max && top > 2.9 * max, "both sides are reached");
        }
        case POSITIVE -> {
          assertTrue(min >= 0 && top <= 3 * max * (1 + 1e-12), min + " " + top);
          assertEquals(1.5 * max, sum / n, 0.05 * max); // mean s‖y*‖∞/2
        }
        case GAUSSIAN -> {
          assertTrue(Double.isNaN(inst.cleanMaxAbs()), "no generation of y* for Gaussian outliers");
          assertEquals(3.0, Math.sqrt(sumSq / n - (sum / n) * (sum / n)), 0.15);
        }
      }
    }
  }

  /**
   * Drawn per measurement from (seed, i): s_i = y_i − y*_i is the same whatever the block size (y* itself may differ
   * in its last bit between block sizes, since the gemv that forms it sums in another order), and stored and
   * generated-on-the-fly instances hold the same y bit for bit.
   */
  @Test
  void theSameOutliersWhateverTheLayout() {
    for (Outliers o : List.of(new Outliers(0.3, Outliers.Kind.POSITIVE, 10), new Outliers(0.3, Outliers.Kind.GAUSSIAN,
        2))) {
      double[] first = null;
      for (int blockRows : new int[] {64, 999}) {
        GaussianSensing inst = GaussianSensing.stored(TRUTH, 3000, 5, 0.1, o, blockRows);
        double[] clean = y(GaussianSensing.stored(TRUTH, 3000, 5, 0.1, blockRows));
        double[] dirty = y(inst);
        for (int i = 0; i < 3000; i++) {
          double s = o.offset(5, i, inst.cleanMaxAbs());
          assertEquals(s, dirty[i] - clean[i], 4e-16 * (Math.abs(dirty[i]) + Math.abs(clean[i])), "row " + i);
        }
        assertArrayEquals(dirty, y(GaussianSensing.onTheFly(TRUTH, 3000, 5, 0.1, o, blockRows)), 0.0);
        if (first != null) {
          assertArrayEquals(first, dirty, 1e-14 * Arrays.stream(first).map(Math::abs).max().orElseThrow());
        }
        first = dirty;
      }
    }
    // The rank-one generator draws a_i per block (its block size is part of the instance); its outliers are per row.
    Outliers g = new Outliers(0.3, Outliers.Kind.GAUSSIAN, 10);
    double[] c = y(new RankOneSensing(TRUTH, 3000, 5, 0.0, 100));
    double[] d = y(new RankOneSensing(TRUTH, 3000, 5, 0.0, g, 100));
    for (int i = 0; i < 3000; i++) {
      assertEquals(g.offset(5, i, Double.NaN), d[i] - c[i], 1e-12 * Math.max(1, Math.abs(d[i])));
    }
    // No outliers: the generators are unchanged (the same y as before the model existed).
    assertArrayEquals(y(GaussianSensing.stored(TRUTH, 3000, 5, 0.1, 64)),
        y(GaussianSensing.stored(TRUTH, 3000, 5, 0.1, Outliers.none(), 64)), 0.0);
  }

  @Test
  void badParametersAreRefusedWithTheReason() {
    assertMessage("not identifiable", () -> new Outliers(0.5, Outliers.Kind.UNIFORM, 10));
    assertMessage("use p < 0.5", () -> new Outliers(0.7, Outliers.Kind.UNIFORM, 10));
    assertMessage("must be in [0, 0.5), got -0.1", () -> new Outliers(-0.1, Outliers.Kind.UNIFORM, 10));
    assertMessage("must be in [0, 0.5), got NaN", () -> new Outliers(Double.NaN, Outliers.Kind.UNIFORM, 10));
    assertMessage("outlier-scale (the outlier scale s) must be finite and > 0, got -1.0",
        () -> new Outliers(0.1, Outliers.Kind.GAUSSIAN, -1));
    assertMessage("must be finite and > 0, got 0.0", () -> new Outliers(0.1, Outliers.Kind.GAUSSIAN, 0));
    assertMessage("unknown outlier kind 'cauchy'", () -> Outliers.Kind.of("cauchy"));
    assertEquals(List.of("gaussian", "uniform", "positive"),
        Arrays.stream(Outliers.Kind.values()).map(Outliers.Kind::id).toList());
    assertEquals("none", Outliers.none().describe());
    assertEquals("0.2 uniform (scale 10.0)", new Outliers(0.2, Outliers.Kind.UNIFORM, 10).describe());
  }

  static void assertMessage(String fragment, Runnable r) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, r::run);
    assertTrue(e.getMessage().contains(fragment), e.getMessage());
  }
}
