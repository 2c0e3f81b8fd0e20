package io.lowrank.run;

import io.lowrank.engine.Engine;
import io.lowrank.engine.LocalEngine;
import io.lowrank.engine.SparkEngine;
import java.util.Locale;

/**
 * Where the passes of a loaded run go. Spark reads (or generates) and caches the data in every case; then, under a
 * local master, a pass over the cached RDD still costs a Spark job (scheduling, task serialisation, result
 * collection: 10–30 ms each), which dominates a solve on data of a few MB. {@link Kind#LOCAL} copies the cached
 * blocks to the driver once and runs every pass in-process over them ({@link LocalEngine}, one thread per core
 * Spark was given); {@link Kind#AUTO} does so when the master is local and the copy fits the driver, and keeps
 * Spark otherwise (cluster masters, data too large, MLlib's L-BFGS, which runs on RDDs).
 */
public record EngineChoice(Kind kind) {
  /** The data's copy may take at most this fraction of the driver's maximum heap (it briefly exists twice). */
  public static final double HEAP_FRACTION = 0.25;

  /** The config spellings: auto, spark, local. */
  public enum Kind {
    AUTO, SPARK, LOCAL
  }

  /** What was decided and why, for the summary. */
  public record Decision(boolean local, String reason) {}

  /** Parses {@code value} of {@code key} for {@code solver}; local with mllib-lbfgs is refused. */
  public static EngineChoice of(String key, String value, String solver) {
    Kind kind;
    try {
      kind = Kind.valueOf(value.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(key + " must be auto, spark or local, got '" + value + "'");
    }
    if (kind == Kind.LOCAL && PhaseRetrievalSolvers.needsSpark(solver)) {
      throw new IllegalArgumentException(key + " = local cannot run " + solver + ", which runs on Spark RDDs: use auto "
          + "or spark");
    }
    return new EngineChoice(kind);
  }

  /** Decides for a loaded engine and solver under {@code master}. */
  public Decision decide(SparkEngine loaded, String solver, long maxHeap) {
    boolean localMaster = loaded.master().startsWith("local");
    if (kind == Kind.SPARK) {
      return new Decision(false, "engine = spark");
    }
    if (kind == Kind.LOCAL) {
      if (!localMaster) {
        throw new IllegalArgumentException("engine = local runs the passes in the driver's JVM, but the master is "
            + loaded.master() + ": the data lives on the executors (use auto or spark)");
      }
      return new Decision(true, "engine = local");
    }
    if (!localMaster) {
      return new Decision(false, "auto: cluster master " + loaded.master());
    }
    if (PhaseRetrievalSolvers.needsSpark(solver)) {
      return new Decision(false, "auto: " + solver + " runs on Spark RDDs");
    }
    long bytes = loaded.cachedBytes();
    long budget = (long) (HEAP_FRACTION * maxHeap);
    if (bytes > budget) {
      return new Decision(false, String.format(Locale.ROOT, "auto: %.1f MB cached > %.0f%% of the driver heap (%.1f MB)",
          bytes / 1e6, 100 * HEAP_FRACTION, budget / 1e6));
    }
    return new Decision(true, String.format(Locale.ROOT, "auto: local master, %.1f MB cached <= %.0f%% of the driver heap",
        bytes / 1e6, 100 * HEAP_FRACTION));
  }

  /** An in-process engine over a copy of {@code loaded}'s blocks, one thread per core of the local master. */
  public static Engine inProcess(SparkEngine loaded) {
    int threads = Math.max(1, loaded.blocks().context().defaultParallelism());
    return new LocalEngine(loaded.collectBlocks(), threads);
  }
}
