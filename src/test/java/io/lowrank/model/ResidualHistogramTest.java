package io.lowrank.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The quantiles of the residual histogram against the order statistics, and its merges. */
class ResidualHistogramTest {
  @Test
  void quantilesAreTheOrderStatisticToWithinABucket() {
    SplittableRandom rng = new SplittableRandom(5);
    double[] v = new double[10_000];
    ResidualHistogram h = new ResidualHistogram();
    for (int i = 0; i < v.length; i++) {
      // values over ten decades, some exact zeros and subnormals
      v[i] = i % 97 == 0 ? 0.0 : i % 89 == 0 ? Double.MIN_VALUE * (1 + i) : Math.exp(rng.nextDouble(-12, 12));
      h.add(v[i]);
    }
    Arrays.sort(v);
    assertEquals(v.length, h.count());
    for (double q : new double[] {0, 0.01, 0.1, 0.5, 0.9, 0.99, 1}) {
      double exact = v[(int) Math.max(0, Math.ceil(q * v.length) - 1)];
      // A bucket spans a relative width of at most 2^-7, and its midpoint is returned.
      assertEquals(exact, h.quantile(q), 0x1p-7 * exact, "q = " + q);
    }
  }

  @Test
  void theSameValuesGiveTheSameBitsWhateverTheMergeOrder() {
    SplittableRandom rng = new SplittableRandom(9);
    ResidualHistogram[] parts = new ResidualHistogram[7];
    for (int p = 0; p < parts.length; p++) {
      parts[p] = new ResidualHistogram();
      for (int i = 0; i < 500 + 100 * p; i++) {
        parts[p].add(Math.abs(rng.nextGaussian()) * Math.pow(10, p - 3));
      }
    }
    ResidualHistogram forward = new ResidualHistogram();
    for (ResidualHistogram p : parts) {
      forward.merge(p);
    }
    ResidualHistogram tree = parts[6].merge(parts[5]).merge(parts[0].merge(parts[3]))
        .merge(parts[4].merge(parts[1]).merge(parts[2]));
    assertEquals(forward.count(), tree.count());
    for (double q = 0; q <= 1; q += 0.05) {
      assertEquals(Double.doubleToRawLongBits(forward.quantile(q)), Double.doubleToRawLongBits(tree.quantile(q)));
    }
  }

  @Test
  void nonFiniteAndNegativeValuesAreLeftOutAndAnEmptyHistogramSaysSo() {
    ResidualHistogram h = new ResidualHistogram();
    h.add(Double.NaN);
    h.add(Double.POSITIVE_INFINITY);
    h.add(-1);
    assertEquals(0, h.count());
    assertThrows(IllegalStateException.class, () -> h.quantile(0.5));
    h.add(Double.MAX_VALUE);
    assertEquals(Double.MAX_VALUE, h.quantile(0.5), Double.MAX_VALUE * 0x1p-7);
  }
}
