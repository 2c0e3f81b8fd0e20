package io.lowrank.experiment.sweep;

import java.io.PrintStream;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A sweep's progress on stderr: cells and trials done of the total, the rate of this run, the ETA and the failed
 * trials. On a terminal one line refreshed in place every second; otherwise (logs, cron) one line per interval and
 * one at the end.
 */
final class SweepProgress implements AutoCloseable {
  private final String name;
  private final int cellsTotal;
  private final long trialsTotal;
  private final long trialsAtStart;
  private final PrintStream out;
  private final boolean terminal;
  private final long start = System.nanoTime();
  private final ScheduledExecutorService timer;
  private int cellsDone;
  private long trialsDone;
  private long failures;
  private int cellsThisRun;

  SweepProgress(String name, int cellsTotal, long trialsTotal, int cellsDone, long trialsDone, long failures,
      double intervalSeconds, PrintStream out, boolean terminal) {
    this.name = name;
    this.cellsTotal = cellsTotal;
    this.trialsTotal = trialsTotal;
    this.cellsDone = cellsDone;
    this.trialsDone = trialsDone;
    this.trialsAtStart = trialsDone;
    this.failures = failures;
    this.out = out;
    this.terminal = terminal;
    this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "sweep-progress");
      t.setDaemon(true);
      return t;
    });
    long every = terminal ? 1000 : Math.max(1, Math.round(intervalSeconds * 1000));
    // Fixed delay: a driver paused (GC, SIGSTOP) prints one line when it resumes, not a burst of missed ticks.
    timer.scheduleWithFixedDelay(this::print, every, every, TimeUnit.MILLISECONDS);
    print();
  }

  /** Records the state after a batch and prints it. */
  synchronized void update(int cells, long trials, long failed, int cellsRun) {
    this.cellsDone = cells;
    this.trialsDone = trials;
    this.failures = failed;
    this.cellsThisRun = cellsRun;
    if (terminal) {
      print();
    }
  }

  /** Seconds since this run started. */
  double seconds() {
    return (System.nanoTime() - start) / 1e9;
  }

  /** Cells completed per second in this run. */
  synchronized double cellsPerSecond() {
    return cellsThisRun / Math.max(seconds(), 1e-9);
  }

  synchronized String line() {
    double s = seconds();
    long fresh = trialsDone - trialsAtStart;
    double rate = fresh / Math.max(s, 1e-9);
    String eta = fresh == 0 ? "?" : clock((trialsTotal - trialsDone) / rate);
    return String.format(Locale.ROOT, "sweep %s: cells %d/%d, trials %d/%d (%.0f%%), %.2f cells/s, %.1f trials/s, "
        + "ETA %s, failures %d, %s elapsed", name, cellsDone, cellsTotal, trialsDone, trialsTotal,
        100.0 * trialsDone / Math.max(trialsTotal, 1), cellsThisRun / Math.max(s, 1e-9), rate, eta, failures,
        clock(s));
  }

  private synchronized void print() {
    if (terminal) {
      out.print("\r" + line() + "\u001b[K");
      out.flush();
    } else {
      out.println(line());
    }
  }

  static String clock(double seconds) {
    long s = Math.round(seconds);
    return String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, (s / 60) % 60, s % 60);
  }

  @Override
  public void close() {
    timer.shutdownNow();
    synchronized (this) {
      if (terminal) {
        out.println("\r" + line() + "\u001b[K");
      } else {
        out.println(line());
      }
    }
  }
}
