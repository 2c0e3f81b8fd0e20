package io.lowrank.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The pointwise losses: ψ = ρ' by finite differences, the kinks' subgradients, ℓ2 exactly as before, bad input. */
class LossTest {
  private static final double[] POINTS = {-3.1, -0.7, -0.05, -1e-3, 2e-3, 0.04, 0.3, 0.99, 2.5};

  /**
   * (ρ(r+h) − ρ(r−h))/2h against ψ(r) at points away from the kinks (0 for ℓ1, ±δ for Huber): ρ is smooth there and
   * the difference's error is h²|ρ'''|/6 (ℓq at |r| ≥ 1e-3: |ρ'''| ≤ |r|^{q−3} ≤ 1e6, so ≤ 2e-9 at h = 1e-7) plus
   * rounding, about 1e-16·|ρ|/h ≤ 1e-8.
   */
  @Test
  void derivativeIsTheFiniteDifferenceOfTheValue() {
    double h = 1e-7;
    for (Loss loss : List.of(new Loss.L2(), new Loss.L1(), new Loss.Lq(1.5), new Loss.Lq(1.1), new Loss.Huber(0.5))) {
      for (double r : POINTS) {
        double numeric = (loss.value(r + h) - loss.value(r - h)) / (2 * h);
        assertEquals(loss.derivative(r), numeric, 1e-6 * Math.max(1, Math.abs(loss.derivative(r))),
            loss.describe() + " at " + r);
      }
    }
  }

  @Test
  void valuesAndKinks() {
    Loss l1 = new Loss.L1();
    assertEquals(0.0, l1.derivative(0.0), 0.0); // sign(0) = 0: the subgradient the methods take at a kink
    assertEquals(1.0, l1.derivative(1e-300), 0.0);
    assertEquals(-1.0, l1.derivative(-2), 0.0);
    assertEquals(2.0, l1.value(-2), 0.0);
    Loss huber = new Loss.Huber(0.5);
    assertEquals(0.5 * 0.25 * 0.25, huber.value(0.25), 0.0);
    assertEquals(0.5 * 2 - 0.125, huber.value(-2), 0.0);
    assertEquals(0.5, huber.derivative(7), 0.0);
    assertEquals(-0.5, huber.derivative(-7), 0.0);
    assertEquals(huber.value(0.5), 0.5 * 0.5 * 0.5, 0.0); // continuous at δ
    Loss lq = new Loss.Lq(1.5);
    assertEquals(Math.pow(2, 1.5) / 1.5, lq.value(-2), 1e-15);
    assertEquals(-Math.sqrt(2), lq.derivative(-2), 1e-15);
    assertEquals(0.0, lq.derivative(0), 0.0);
    // lq at q = 2 is ℓ2.
    for (double r : POINTS) {
      assertEquals(new Loss.L2().value(r), new Loss.Lq(2).value(r), 1e-15 * r * r);
      assertEquals(r, new Loss.Lq(2).derivative(r), 1e-15 * Math.abs(r));
    }
  }

  /** ℓ2 is today's pass bit for bit: ψ(r) = r exactly and Σ ρ/2 = Σ r²/4 (halving is exact). */
  @Test
  void l2IsBitForBitTheOldPass() {
    Loss l2 = Loss.l2();
    double sumLoss = 0;
    double sumSquares = 0;
    for (double r : POINTS) {
      assertEquals(Double.doubleToRawLongBits(r), Double.doubleToRawLongBits(l2.derivative(r)));
      sumLoss += l2.value(r);
      sumSquares += r * r;
    }
    assertEquals(Double.doubleToRawLongBits(0.25 * sumSquares), Double.doubleToRawLongBits(0.5 * sumLoss));
  }

  /** The pass's per-block call is ρ and ψ element by element, exactly. */
  @Test
  void toWeightsIsRhoAndPsiElementByElement() {
    for (Loss loss : List.of(new Loss.L2(), new Loss.L1(), new Loss.Lq(1.5), new Loss.Huber(0.5))) {
      double[] r = POINTS.clone();
      double f = loss.toWeights(r, r.length - 1); // the last one is left alone
      double expected = 0;
      for (int i = 0; i < POINTS.length - 1; i++) {
        expected += loss.value(POINTS[i]);
        assertEquals(loss.derivative(POINTS[i]), r[i], 0.0, loss.describe());
      }
      assertEquals(expected, f, 0.0, loss.describe());
      assertEquals(POINTS[POINTS.length - 1], r[POINTS.length - 1], 0.0);
    }
  }

  @Test
  void namesAndBadParameters() {
    assertEquals("l1", Loss.of("l1", 1.5, 0.1).id());
    assertEquals("lq(q=1.3)", Loss.of("lq", 1.3, 0.1).describe());
    assertEquals("huber(delta=0.2)", Loss.of("huber", 1.5, 0.2).describe());
    assertMessage("q (the exponent of the lq loss) must be in (1, 2], got 1.0", () -> new Loss.Lq(1));
    assertMessage("must be in (1, 2], got 2.5", () -> new Loss.Lq(2.5));
    assertMessage("huber-delta (the Huber threshold δ) must be finite and > 0, got -1.0", () -> new Loss.Huber(-1));
    assertMessage("unknown loss 'l0'", () -> Loss.of("l0", 1.5, 0.1));
  }

  static void assertMessage(String fragment, Runnable r) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, r::run);
    assertTrue(e.getMessage().contains(fragment), e.getMessage());
  }
}
