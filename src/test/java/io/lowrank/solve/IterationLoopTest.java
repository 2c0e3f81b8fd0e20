package io.lowrank.solve;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The shared loop's bookkeeping on a scripted "solver" without data: labels, passes, rows, the stop and its reason. */
class IterationLoopTest {
  /** A problem stand-in: records the labels and counts passes. */
  private static final class Script {
    final List<String> labels = new ArrayList<>();
    long passes;

    void label(String l) {
      labels.add(l);
    }

    long passes() {
      return passes;
    }
  }

  private static IterationLoop.Row row(double loss, double step, double distance) {
    return new IterationLoop.Row(loss, 1, Double.NaN, step, distance);
  }

  @Test
  void labelsCountsPassesAndEndsAtTheBudget() {
    Script s = new Script();
    IterationLoop loop = new IterationLoop("gd", s::label, s::passes, new StoppingRule(1e-9, 3, 0));
    loop.start(1, false);
    s.passes += 2; // e.g. μ_0 and the pass at x_0
    loop.record(row(1, Double.NaN, Double.NaN), new double[] {1});
    int iterations = 0;
    while (loop.next()) {
      iterations++;
      s.passes += iterations; // 1, 2, 3 passes
      loop.record(row(1, 0.5, Double.NaN), new double[] {1});
    }
    Result r = loop.result(new double[] {7});
    assertEquals(3, iterations);
    assertEquals(List.of("gd iter 0", "gd iter 1", "gd iter 2", "gd iter 3"), s.labels);
    assertEquals(Status.MAX_ITER, r.status());
    assertEquals(3, r.iterations());
    assertEquals(8, r.passes());
    assertArrayEquals(new long[] {2, 1, 2, 3},
        r.trace().records().stream().mapToLong(Trace.Record::passes).toArray());
    assertArrayEquals(new double[] {7}, r.estimate());
    for (int t = 0; t < r.trace().size(); t++) {
      assertEquals(t, r.trace().records().get(t).iteration());
    }
  }

  /** The listener hears each row as it is recorded, after it is in the trace. */
  @Test
  void aListenerHearsEveryRow() {
    List<String> heard = new ArrayList<>();
    Script s = new Script();
    IterationLoop loop = new IterationLoop("gd", s::label, s::passes, new StoppingRule(1e-9, 2, 0),
        (name, r) -> heard.add(name + " " + r.iteration() + " " + r.loss()));
    loop.start(1, false);
    loop.record(row(3, Double.NaN, Double.NaN), new double[] {1});
    while (loop.next()) {
      loop.record(row(2, 0.5, Double.NaN), new double[] {1});
    }
    assertEquals(List.of("gd 0 3.0", "gd 1 2.0", "gd 2 2.0"), heard);
    assertEquals(3, loop.result(new double[] {1}).trace().size());
  }

  @Test
  void theRuleStopsTheLoopAndSaysWhy() {
    Script s = new Script();
    IterationLoop loop = new IterationLoop("bwgd", s::label, s::passes, new StoppingRule(1e-3, 100, 0));
    loop.start(1, true);
    loop.record(row(1, Double.NaN, 0.5), new double[] {1}); // row 0 is not checked
    double distance = 0.5;
    while (loop.next()) {
      distance /= 10;
      loop.record(row(1, 0.1, distance), new double[] {1});
    }
    Result r = loop.result(new double[] {1});
    assertEquals(Status.CONVERGED, r.status());
    assertEquals(3, r.iterations());
    assertEquals(4, s.labels.size()); // no label for an iteration that does not run
  }

  @Test
  void stopWithoutARowAndStartChecks() {
    Script s = new Script();
    IterationLoop loop = new IterationLoop("scaledgd", s::label, s::passes, new Stopping.RelativeErrorOrStep(1e-8, 10));
    loop.start(1, true);
    loop.record(row(1, Double.NaN, 1), new double[] {1});
    assertTrue(loop.next());
    loop.stop(Status.DIVERGED);
    assertFalse(loop.next());
    Result r = loop.result(new double[] {1});
    assertEquals(Status.DIVERGED, r.status());
    assertEquals(0, r.iterations());

    // A rule that checks the start can end the run at row 0; a horizon of 0 steps is the start alone.
    IterationLoop denoise = new IterationLoop("denoise-gd", s::label, s::passes, new Stopping.GradientOrHorizon(0, 0));
    denoise.start(Double.POSITIVE_INFINITY, false);
    denoise.record(new IterationLoop.Row(-1, Double.NaN, 1, Double.NaN, Double.NaN), new double[] {1});
    assertEquals(Status.DIVERGED, denoise.result(new double[] {1}).status());
    IterationLoop horizon = new IterationLoop("denoise-gd", s::label, s::passes, new Stopping.GradientOrHorizon(0, 0));
    horizon.start(Double.POSITIVE_INFINITY, false);
    horizon.record(new IterationLoop.Row(-1, 0.5, 1, Double.NaN, Double.NaN), new double[] {1});
    assertFalse(horizon.next());
    assertEquals(Status.MAX_ITER, horizon.result(new double[] {1}).status());
  }

  @Test
  void misuseIsAnIllegalStateNamingTheIteration() {
    Script s = new Script();
    IterationLoop loop = new IterationLoop("gd", s::label, s::passes, new StoppingRule(1e-9, 3, 0));
    assertThrows(IllegalStateException.class, loop::next);
    loop.start(1, false);
    assertThrows(IllegalStateException.class, loop::next);
    loop.record(row(1, Double.NaN, Double.NaN), new double[] {1});
    assertThrows(IllegalStateException.class, () -> loop.record(row(1, Double.NaN, Double.NaN), new double[] {1}));
    assertThrows(IllegalStateException.class, () -> loop.start(1, false));
  }

}
