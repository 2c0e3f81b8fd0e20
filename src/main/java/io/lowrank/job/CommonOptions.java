package io.lowrank.job;

import io.lowrank.run.Progress;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The flags every solve command shares, as a picocli mixin ({@code @Mixin CommonOptions common;}). Each flag is
 * a shortcut for one top-level config key (see {@link #overrides()}); {@code --conf} and {@code --set} feed
 * {@link JobConfig#load}. A flag left out is {@code null} here, so the layers below it (--set, the conf file,
 * reference.conf) decide. The solver flags of a family are in {@link SolverOptions}.
 */
public final class CommonOptions {
  @Mixin
  ConfigOptions config = new ConfigOptions();

  @Option(names = "--input", paramLabel = "PATH", description = "Measurements (file:, hdfs://, s3a:// or local path).")
  String input;

  @Option(names = "--format", paramLabel = "auto|csv|parquet", description = "Input format (default: auto).")
  String format;

  @Option(names = "--truth", paramLabel = "PATH", description = "Ground truth of an --input (optional).")
  String truth;

  @Option(names = "--seed", paramLabel = "N", description = "Seed of every random draw (default: 1).")
  Long seed;

  @Option(names = "--out", paramLabel = "DIR", description = "Output directory (any Hadoop FileSystem URL).")
  String out;

  @Option(names = "--master", paramLabel = "URL",
      description = "Spark master (default: the spark-submit master, else local[*]).")
  String master;

  @Option(names = "--partitions", paramLabel = "N", description = "Partitions of the measurements (0 = Spark default).")
  Integer partitions;

  @Option(names = "--quiet", description = "No progress lines on stderr (phases, Spark UI, one line per iteration).")
  boolean quiet;

  /** The run's progress on stderr, or a silent one with {@code --quiet}; close it when the run ends. */
  public Progress progress() {
    return Progress.start(quiet ? null : System.err);
  }

  /** The {@code --conf} file as given, or {@code null}. */
  public String confFile() {
    return config.confFile();
  }

  /** The {@code --set} arguments in the order given. */
  public List<String> sets() {
    return config.sets();
  }

  /** The flags that were given, as config key to value (insertion ordered). */
  public Map<String, Object> overrides() {
    Map<String, Object> m = new LinkedHashMap<>();
    JobConfig.flag(m, "input", input);
    JobConfig.flag(m, "format", format);
    JobConfig.flag(m, "truth", truth);
    JobConfig.flag(m, "seed", seed);
    JobConfig.flag(m, "out", out);
    JobConfig.flag(m, "master", master);
    JobConfig.flag(m, "partitions", partitions);
    return m;
  }

  /** The configuration of {@code command}: these flags plus {@code more} (a command's own, config key to value). */
  public JobConfig load(String command, Map<String, Object> more) {
    Map<String, Object> flags = overrides();
    flags.putAll(more);
    return JobConfig.load(command, confFile(), sets(), flags);
  }
}
