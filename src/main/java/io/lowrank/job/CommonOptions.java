package io.lowrank.job;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The flags every solve command shares, as a picocli mixin ({@code @Mixin CommonOptions common;}). Each flag is
 * a shortcut for one config key (see {@link #overrides()}); {@code --conf} and {@code --set} feed
 * {@link JobConfig#load(String, CommonOptions)}. A flag left out is {@code null} here, so the layers below it
 * (--set, the conf file, reference.conf) decide.
 */
public final class CommonOptions {
  @Mixin
  ConfigOptions config = new ConfigOptions();

  @Option(names = "--input", paramLabel = "PATH", description = "Measurements (file:, hdfs://, s3a:// or local path).")
  String input;

  @Option(names = "--format", paramLabel = "auto|csv|parquet", description = "Input format (default: auto).")
  String format;

  @Option(names = "--truth", paramLabel = "PATH", description = "Ground truth x*, one number per line (optional).")
  String truth;

  @Option(names = "--solver", paramLabel = "NAME",
      description = "smoothing-newton (default), bwgd, wirtinger-flow, amplitude-flow or mllib-lbfgs.")
  String solver;

  @Option(names = "--schedule", paramLabel = "loss|quantile|fixed", description = "Smoothing schedule (default: loss).")
  String schedule;

  @Option(names = "--hessian", paramLabel = "gauss-newton|full", description = "Newton curvature (default: gauss-newton).")
  String hessian;

  @Option(names = "--tol", paramLabel = "X", description = "Stopping tolerance (default: 1e-10).")
  Double tol;

  @Option(names = "--max-iter", paramLabel = "N", description = "Iteration budget (default: 100).")
  Integer maxIter;

  @Option(names = "--seed", paramLabel = "N", description = "Seed of every random draw (default: 1).")
  Long seed;

  @Option(names = "--out", paramLabel = "DIR", description = "Output directory (any Hadoop FileSystem URL).")
  String out;

  @Option(names = "--master", paramLabel = "URL",
      description = "Spark master (default: the spark-submit master, else local[*]).")
  String master;

  @Option(names = "--partitions", paramLabel = "N", description = "Partitions of the measurements (0 = Spark default).")
  Integer partitions;

  /** The {@code --conf} file as given, or {@code null}. */
  public String confFile() {
    return config.confFile();
  }

  /** The {@code --set} arguments in the order given. */
  public List<String> sets() {
    return config.sets();
  }

  /**
   * The flags that were given, as config key to value (insertion ordered). Keys: input, format, truth, solver,
   * schedule, hessian, tol, max-iter, seed, out, master, partitions.
   */
  /**
   * Refuses the phase-retrieval solver flags (--truth, --solver, --schedule, --hessian, --tol, --max-iter) for a
   * command they do not apply to, rather than ignoring them.
   */
  public void rejectSolverFlags(String command, String instead) {
    Map<String, Object> given = new LinkedHashMap<>();
    given.put("--truth", truth);
    given.put("--solver", solver);
    given.put("--schedule", schedule);
    given.put("--hessian", hessian);
    given.put("--tol", tol);
    given.put("--max-iter", maxIter);
    for (Map.Entry<String, Object> e : given.entrySet()) {
      if (e.getValue() != null) {
        throw new IllegalArgumentException(e.getKey() + " does not apply to " + command + " (it is phase retrieval's)"
            + (instead.isEmpty() ? "" : "; " + instead));
      }
    }
  }

  public Map<String, Object> overrides() {
    Map<String, Object> m = new LinkedHashMap<>();
    JobConfig.flag(m, "input", input);
    JobConfig.flag(m, "format", format);
    JobConfig.flag(m, "truth", truth);
    JobConfig.flag(m, "solver", solver);
    JobConfig.flag(m, "schedule", schedule);
    JobConfig.flag(m, "hessian", hessian);
    JobConfig.flag(m, "tol", tol);
    JobConfig.flag(m, "max-iter", maxIter);
    JobConfig.flag(m, "seed", seed);
    JobConfig.flag(m, "out", out);
    JobConfig.flag(m, "master", master);
    JobConfig.flag(m, "partitions", partitions);
    return m;
  }
}
