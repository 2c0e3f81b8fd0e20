package io.lowrank.linalg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** R of the thin QR: upper triangular, R^T R = A^T A, and ‖A B^T‖_F = ‖R B^T‖_F. */
class QrTest {
  @Test
  void rReproducesTheGramMatrixAndProductNorms() {
    Random rnd = new Random(3);
    int m = 40;
    int n = 6;
    double[] a = new double[m * n];
    double[] b = new double[25 * n];
    for (int i = 0; i < a.length; i++) {
      a[i] = rnd.nextGaussian();
    }
    for (int i = 0; i < b.length; i++) {
      b[i] = rnd.nextGaussian();
    }
    double[] r = Qr.r(a, m, n);
    double[] ata = new double[n * n];
    double[] rtr = new double[n * n];
    Linalg.gemm(true, false, n, n, m, 1.0, a, a, 0.0, ata);
    Linalg.gemm(true, false, n, n, n, 1.0, r, r, 0.0, rtr);
    for (int j = 0; j < n; j++) {
      for (int i = 0; i < n; i++) {
        assertEquals(ata[i + j * n], rtr[i + j * n], 1e-12 * m);
        if (i > j) {
          assertEquals(0.0, r[i + j * n], 0.0);
        }
      }
    }
    double[] ab = new double[m * 25];
    double[] rb = new double[n * 25];
    Linalg.gemm(false, true, m, 25, n, 1.0, a, b, 0.0, ab);
    Linalg.gemm(false, true, n, 25, n, 1.0, r, b, 0.0, rb);
    assertEquals(Linalg.norm(ab), Linalg.norm(rb), 1e-12 * Linalg.norm(ab));
    assertThrows(IllegalArgumentException.class, () -> Qr.r(new double[6], 2, 3));
  }
}
