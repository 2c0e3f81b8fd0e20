package io.lowrank.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lowrank.solve.IterationLoop;
import io.lowrank.solve.StoppingRule;
import io.lowrank.solve.Trace;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The progress lines: phases and iterations, stamped; silent with --quiet and on threads without a progress. */
class ProgressTest {
  private static void loop(Progress progress, String solver, double mu, double distance) {
    IterationLoop loop = new IterationLoop(solver, l -> { }, () -> 0, new StoppingRule(1e-12, 2, 0), progress);
    loop.start(1, Double.isFinite(distance));
    loop.record(new IterationLoop.Row(1.0, 1, Double.NaN, Double.NaN, distance), new double[] {1});
    while (loop.next()) {
      loop.record(new IterationLoop.Row(0.5, 1, mu, 0.1, distance / 2), new double[] {1});
    }
  }

  @Test
  void phasesAndOneLinePerIterationAreStampedAndNameTheSolversParameter() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (Progress p = Progress.start(new PrintStream(bytes, true, StandardCharsets.UTF_8))) {
      p.phase("set-up pass");
      loop(p, "subgm", 0.25, 0.5);
      loop(p, "denoise-gd", 1.5, Double.NaN);
    }
    List<String> lines = bytes.toString(StandardCharsets.UTF_8).lines().toList();
    assertEquals(7, lines.size(), String.join("\n", lines));
    for (String l : lines) {
      assertTrue(Progress.isProgressLine(l), l);
    }
    assertTrue(lines.get(0).endsWith("] set-up pass"), lines.get(0));
    assertTrue(lines.get(1).contains("] subgm start: loss 1.000, distance 0.5000 ("), lines.get(1));
    assertTrue(lines.get(2).contains("] subgm iter 1: loss 0.5000, distance 0.2500, eta 0.2500 ("), lines.get(2));
    // No distance without a truth; denoising's μ is μ.
    assertTrue(lines.get(5).contains("] denoise-gd iter 1: loss 0.5000, mu 1.500 ("), lines.get(5));
    assertFalse(Progress.isProgressLine("error: the input has 3 rows"));
    assertFalse(Progress.isProgressLine("smoothing-newton: CONVERGED after 7 iterations"));
  }

  /** --quiet: nothing reaches stderr (nor stdout). */
  @Test
  void quietPrintsNothing() {
    PrintStream err = System.err;
    PrintStream out = System.out;
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (PrintStream capture = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
      System.setErr(capture);
      System.setOut(capture);
      try (Progress quiet = Progress.quiet()) {
        quiet.phase("hidden");
        loop(quiet, "gd", 0.1, 0.5);
      }
    } finally {
      System.setErr(err);
      System.setOut(out);
    }
    assertEquals("", bytes.toString(StandardCharsets.UTF_8));
  }

  /** A phase that lasts is repeated with its duration (heartbeat of 1 s here; waits up to 60 s for it). */
  @Test
  void aLongPhaseIsRepeated() throws InterruptedException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (Progress p = new Progress(new PrintStream(bytes, true, StandardCharsets.UTF_8), 1)) {
      p.phase("loading data");
      for (int k = 0; k < 600 && !bytes.toString(StandardCharsets.UTF_8).contains("still loading data ("); k++) {
        Thread.sleep(100);
      }
    }
    List<String> lines = bytes.toString(StandardCharsets.UTF_8).lines().toList();
    assertTrue(lines.size() >= 2 && lines.get(1).matches("\\[ *\\d+\\.\\d s] still loading data \\(\\d+ s\\)"),
        lines.toString());
  }

  @Test
  void theLineOfARowStatesItsSeconds() {
    Trace.Record r = new Trace.Record(3, 1.25e-5, 1, 2e-3, 0.1, 4.5e-3, 1, 410);
    assertEquals("smoothing-newton iter 3: loss 1.250e-05, distance 0.004500, mu 0.002000 (0.41 s)",
        Progress.iterationLine("smoothing-newton", r));
  }
}
