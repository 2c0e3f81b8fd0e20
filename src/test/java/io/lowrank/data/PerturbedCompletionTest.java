package io.lowrank.data;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The generated blocks of perturbed completion against its definition, written out entry by entry. */
class PerturbedCompletionTest {
  @ParameterizedTest
  @CsvSource({"3, 0.3, 1", "7, 0.15, 1", "9, 0.1, 2", "12, 0.2, 3"})
  void blocksHoldEveryOrderedPairWithItsWeightAndResponse(int n, double eps, int rstar) {
    PerturbedCompletion pmc = new PerturbedCompletion(n, eps, rstar, 5);
    double[] z = pmc.truth();
    int seen = 0;
    for (Block b : pmc.blocks()) {
      for (int e = 0; e < b.rows; e++) {
        int i = (int) b.a[e];
        int j = (int) b.a[e + b.rows];
        double w = b.a[e + 2 * b.rows];
        assertEquals(seen, i * n + j, "row e = i n + j");
        // ε only between two distinct even indices dealt to the same column of the truth (round-robin).
        boolean weak = i != j && i % 2 == 0 && j % 2 == 0 && (i / 2) % rstar == (j / 2) % rstar;
        assertEquals(weak ? eps : 1.0, w, 0.0, "weight of (" + i + ", " + j + ")");
        double mij = 0;
        for (int k = 0; k < rstar; k++) {
          mij += z[i + k * n] * z[j + k * n];
        }
        assertEquals(w * mij, b.y[e], 0.0, "y of (" + i + ", " + j + ")");
        seen++;
      }
    }
    assertEquals(n * n, seen);
  }

  @Test
  void theTruthDealsTheEvenIndicesRoundRobin() {
    double[] z = new PerturbedCompletion(9, 0.1, 2, 0).truth();
    // Columns: evens 0, 4, 8 in column 0 and 2, 6 in column 1; odd rows zero.
    double[] want = {1, 0, 0, 0, 1, 0, 0, 0, 1, /* column 1 */ 0, 0, 1, 0, 0, 0, 1, 0, 0};
    for (int q = 0; q < want.length; q++) {
      assertEquals(want[q], z[q], 0.0, "entry " + q);
    }
  }
}
