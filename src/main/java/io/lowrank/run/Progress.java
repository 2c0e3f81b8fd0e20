package io.lowrank.run;

import io.lowrank.solve.IterationLoop;
import io.lowrank.solve.Trace;
import java.io.PrintStream;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.apache.spark.SparkContext;

/**
 * What a single run tells a person while it runs: each phase as it starts (starting Spark, loading, the set-up pass,
 * the start, solving), the Spark UI's address once, and one line per iteration (loss, distance when the truth is
 * known, the solver's μ, λ or η, seconds), every line stamped with the seconds since the run began:
 * <pre>
 *   [   4.1 s] loading the generated instance (n = 1000000, d = 100)
 *   [  12.6 s] smoothing-newton iter 3: loss 1.234e-05, distance 4.56e-03, mu 1.2e-03 (0.41 s)
 * </pre>
 * It is the one listener of the run layer: a run hands it to its problem ({@code problem.listen(progress)}), whose
 * solvers' {@link IterationLoop}s report each row to it, and the run classes announce their phases with
 * {@link #phase}. Runs called without one get {@link #quiet()}, so trials, benchmarks and library callers stay
 * silent unless they pass {@link #start}{@code (System.err)}.
 * Lines are plain (one per event, never rewritten in place): the launcher passes stderr through a line filter, and
 * logs and cron mails read them as they are. A phase that lasts (Spark's start, a large load) is repeated every
 * {@link #HEARTBEAT_SECONDS} s with its duration so far ("still loading … (20 s)"), so no log stays silent longer.
 */
public final class Progress implements IterationLoop.Listener, AutoCloseable {
  /** Every progress line starts like this ("[  12.3 s] "), so tools (and tests) can tell them from other output. */
  public static final Pattern LINE = Pattern.compile("^\\[ *\\d+\\.\\d s] ");

  // What the trace's μ column holds for each solver (the step's damping λ, step η, smoothing μ); μ otherwise.
  private static final Map<String, String> PARAMETER = Map.of("scaledgd-lambda", "lambda", "scaledgd", "lambda",
      "precgd", "lambda", "gd", "eta", "subgm", "eta", "wirtinger-flow", "eta", "amplitude-flow", "eta");

  /** Seconds without a line after which the current phase is repeated. */
  public static final int HEARTBEAT_SECONDS = 10;

  private final PrintStream out;
  private final long started = System.nanoTime();
  private final ScheduledExecutorService heartbeat; // null when quiet
  private boolean uiShown;
  private String current; // the phase under way, for the heartbeat
  private long currentSince;
  private long lastLine;
  private final long heartbeatNanos;

  /** {@link #start} with a heartbeat every {@code heartbeatSeconds} (tests use 1). */
  Progress(PrintStream out, int heartbeatSeconds) {
    this.out = out;
    this.heartbeatNanos = heartbeatSeconds * 1_000_000_000L;
    this.lastLine = started;
    if (out == null) {
      heartbeat = null;
    } else {
      heartbeat = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "lowrank-progress");
        t.setDaemon(true);
        return t;
      });
      heartbeat.scheduleWithFixedDelay(this::beat, 1, 1, TimeUnit.SECONDS);
    }
  }

  private synchronized void beat() {
    long now = System.nanoTime();
    if (current != null && now - lastLine >= heartbeatNanos) {
      print("still " + current + " (" + Math.round((now - currentSince) / 1e9) + " s)");
    }
  }

  /**
   * A run's progress printed to {@code out} (the command line: System.err) until closed; {@code null} prints
   * nothing ({@code --quiet}).
   */
  public static Progress start(PrintStream out) {
    return new Progress(out, HEARTBEAT_SECONDS);
  }

  /** A progress that prints nothing. */
  public static Progress quiet() {
    return new Progress(null, HEARTBEAT_SECONDS);
  }

  /** Announces that a phase begins, e.g. "set-up pass". */
  public void phase(String what) {
    line(what, what);
  }

  /** Prints the Spark UI's address, once, when the UI is on. */
  public synchronized void sparkUi(SparkContext sc) {
    if (!uiShown) {
      uiShown = true;
      if (sc.uiWebUrl().isDefined()) {
        line("Spark UI: " + sc.uiWebUrl().get() + " (master " + sc.master() + ")", null);
      }
    }
  }

  @Override
  public void iteration(String solver, Trace.Record r) {
    line(iterationLine(solver, r), "in " + solver + " iter " + (r.iteration() + 1));
  }

  /** The line of one trace row (without the time stamp). */
  static String iterationLine(String solver, Trace.Record r) {
    StringBuilder sb = new StringBuilder(solver).append(r.iteration() == 0 ? " start" : " iter " + r.iteration())
        .append(": loss ").append(number(r.loss()));
    if (Double.isFinite(r.distance())) {
      sb.append(", distance ").append(number(r.distance()));
    }
    if (Double.isFinite(r.mu())) {
      sb.append(", ").append(PARAMETER.getOrDefault(solver, "mu")).append(' ').append(number(r.mu()));
    }
    return sb.append(String.format(Locale.ROOT, " (%.2f s)", r.wallMs() / 1e3)).toString();
  }

  private static String number(double v) {
    return String.format(Locale.ROOT, "%.4g", v);
  }

  /** Prints {@code text}; {@code phase} (null: unchanged) is what the heartbeat repeats until the next line. */
  private synchronized void line(String text, String phase) {
    if (phase != null) {
      current = phase;
      currentSince = System.nanoTime();
    }
    print(text);
  }

  private void print(String text) {
    if (out != null) {
      lastLine = System.nanoTime();
      out.printf(Locale.ROOT, "[%6.1f s] %s%n", (lastLine - started) / 1e9, text);
      out.flush();
    }
  }

  /** Whether {@code line} is a progress line. */
  public static boolean isProgressLine(String line) {
    return LINE.matcher(line).find();
  }

  /** Stops the heartbeat. */
  @Override
  public void close() {
    if (heartbeat != null) {
      heartbeat.shutdownNow();
    }
  }
}
