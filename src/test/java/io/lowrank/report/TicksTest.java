package io.lowrank.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lowrank.solve.Trace;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.knowm.xchart.XYChart;

/** The tick rules, and that XChart draws exactly the ticks they give. */
class TicksTest {

  @Test
  void iterationStepsAreRoundIntegersWithAtMostTenIntervals() {
    assertEquals(1, Ticks.iterationStep(0));
    assertEquals(1, Ticks.iterationStep(10));
    assertEquals(2, Ticks.iterationStep(11));
    assertEquals(5, Ticks.iterationStep(33));
    assertEquals(10, Ticks.iterationStep(100));
    assertEquals(50, Ticks.iterationStep(300));
    assertEquals(500, Ticks.iterationStep(3000));
    assertEquals(500, Ticks.iterationStep(5000));
    assertEquals(1000, Ticks.iterationStep(5001));
    assertEquals(100000, Ticks.iterationStep(1_000_000));
    for (long last = 0; last <= 20000; last += 7) {
      long step = Ticks.iterationStep(last);
      assertTrue(last / step <= Ticks.MAX_INTERVALS, last + " with step " + step);
      assertTrue(last <= Ticks.MAX_INTERVALS || last / step >= 2, "too few ticks for " + last + ": step " + step);
    }
    assertArrayEquals(new long[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, Ticks.iterationTicks(10));
    assertArrayEquals(new long[] {0, 50, 100, 150, 200, 250, 300}, Ticks.iterationTicks(300));
    assertArrayEquals(new long[] {0, 500, 1000, 1500, 2000, 2500, 3000}, Ticks.iterationTicks(3000));
    assertThrows(IllegalArgumentException.class, () -> Ticks.iterationStep(-1));
  }

  @Test
  void linearStepsAndLabels() {
    assertEquals(0.2, Ticks.step(0, 2), 0);
    assertEquals(0.1, Ticks.step(0, 1), 0);
    assertEquals(0.2, Ticks.step(-1, 1), 0);
    assertEquals(0.2, Ticks.step(0.5, 2.0), 0);
    assertEquals(0.5, Ticks.step(3, 6), 0);
    assertArrayEquals(new double[] {0.6, 0.8, 1, 1.2, 1.4, 1.6, 1.8, 2}, Ticks.ticks(0.5, 2.0), 1e-12);
    assertEquals("0", Ticks.label(0, 0.2));
    assertEquals("0.4", Ticks.label(0.4000000000000001, 0.2));
    assertEquals("-1.4", Ticks.label(-1.4, 0.2));
    assertEquals("3000", Ticks.label(3000, 500));
    assertTrue(Ticks.label(0.5, 0.2).isBlank());
    assertTrue(Ticks.label(250, 500).isBlank());
    assertThrows(IllegalArgumentException.class, () -> Ticks.step(1, 1));
  }

  /** The labels XChart draws on the convergence plot of a trace of {@code last} iterations. */
  private static List<String> drawn(int last) {
    Trace t = new Trace();
    for (int i = 0; i <= last; i++) {
      double distance = Math.exp(-2.0 * i / (last + 1));
      t.add(new Trace.Record(i, Math.exp(-i / (last + 1.0)), 1, Double.NaN, 0.1, distance, 1, 1));
    }
    XYChart chart = Reports.convergenceChart(t, "test", TruthDistance.PHASE_RETRIEVAL);
    Charts.png(chart);
    return ChartAssertions.drawnXTickLabels(chart);
  }

  /** The rule's ticks, and the next multiple of the step when it falls in XChart's 4 % margin past the data. */
  private static List<String> expected(long last) {
    List<String> out = new ArrayList<>();
    for (long v : Ticks.iterationTicks(last)) {
      out.add(Long.toString(v));
    }
    long step = Ticks.iterationStep(last);
    long next = (last / step + 1) * step;
    if (next <= last + 0.04 * last) {
      out.add(Long.toString(next));
    }
    return out;
  }

  @Test
  void xchartDrawsTheRulesTicksFor10And100And3000Iterations() {
    assertEquals(List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10"), drawn(10));
    assertEquals(List.of("0", "10", "20", "30", "40", "50", "60", "70", "80", "90", "100"), drawn(100));
    assertEquals(List.of("0", "500", "1000", "1500", "2000", "2500", "3000"), drawn(3000));
    for (int last : new int[] {0, 1, 3, 33, 299, 300, 301, 12345}) {
      assertEquals(expected(last), drawn(last), "iterations 0.." + last);
    }
  }

  @Test
  void xchartDrawsTheRulesTicksOnALinearAxis() {
    XYChart chart = Charts.chart("t", "x", "y");
    double[] x = {0.5, 0.8, 1.1, 1.4, 1.7, 2.0};
    chart.addSeries("s", x, new double[] {1, 2, 3, 4, 5, 6});
    Ticks.linearX(chart, 0.5, 2.0);
    Ticks.linearY(chart, 1, 6);
    Charts.png(chart);
    assertEquals(List.of("0.4", "0.6", "0.8", "1", "1.2", "1.4", "1.6", "1.8", "2"),
        ChartAssertions.drawnXTickLabels(chart));
  }
}
