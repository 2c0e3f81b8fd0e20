package io.lowrank.job;

import io.lowrank.experiment.sweep.Sweep;
import io.lowrank.experiment.sweep.SweepCell;
import io.lowrank.experiment.sweep.SweepSpec;
import io.lowrank.io.OutputLock;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code lowrank sweep SPEC}: runs (or resumes) the sweep a HOCON spec describes ({@link SweepSpec}, {@link
 * Sweep}; docs/sweeps.md). Exit codes: 0 every trial done; 3 every trial done, some FAILED (their rows say why);
 * 2 bad input (the spec, the flags, an --out holding something else); 1 anything else (e.g. the cluster failed): a
 * rerun resumes where it stopped.
 */
@Command(name = "sweep", description = "Run or resume a sweep spec: a grid of cells x trials, results in Parquet parts.",
    footer = {"", "Presets: conf/sweeps/*.conf. Exit codes: 0 done, 3 done with FAILED trials, 2 bad input, 1 failed "
        + "(rerun to resume). See docs/sweeps.md."})
public final class SweepCommand implements Callable<Integer> {
  static final String NAME = "sweep";
  /** Exit code of a sweep that finished with failed trials. */
  public static final int FAILED_TRIALS = 3;

  @Parameters(index = "0", paramLabel = "SPEC", description = "The sweep spec (HOCON; any Hadoop FileSystem URL).")
  String specPath;

  @Option(names = "--out", paramLabel = "DIR",
      description = "Output directory, any Hadoop FileSystem URL (default: lowrank-out/sweeps/NAME).")
  String out;

  @Option(names = "--extend", description = "Accept a spec that adds grid values or trials to the one --out holds.")
  boolean extend;

  @Option(names = "--master", paramLabel = "URL", description = "Spark master (default: spark-submit's, else local[*]).")
  String master;

  @Option(names = "--dry-run", description = "List the cells and their engines, run nothing.")
  boolean dryRun;

  @Override
  public Integer call() throws Exception {
    SweepSpec spec = SweepSpec.parse(read(specPath), defaultName(specPath));
    if (dryRun) {
      System.out.printf(Locale.ROOT, "sweep %s (%s): %d cells x %d trials%n", spec.name(), spec.family().name(),
          spec.cells().size(), spec.trials());
      for (SweepCell c : spec.cells()) {
        System.out.println("  " + c.id() + "  " + c.describe() + "  size " + spec.family().size(c.settings()));
      }
      return Main.OK;
    }
    String dir = out != null ? out : "lowrank-out/sweeps/" + spec.name();
    SparkSession spark = SparkSessions.create(master, "lowrank sweep " + spec.name());
    Sweep.Outcome o;
    try (OutputLock lock = OutputLock.acquire(dir, spark.sparkContext().hadoopConfiguration())) {
      o = Sweep.run(spark, spec, lock, extend, System.err, System.console() != null);
    }
    System.out.print(summary(spec, o, dir));
    return o.failures() > 0 ? FAILED_TRIALS : Main.OK;
  }

  /** The closing lines: what ran, how fast, where the outputs are. */
  static String summary(SweepSpec spec, Sweep.Outcome o, String dir) {
    return String.format(Locale.ROOT, "sweep %s (%s): %d cells x %d trials; %d rows (%d failed), %d cells and %d "
        + "trials run now in %.1f s (%.2f cells/s)%noutputs in %s%n", spec.name(), spec.family().name(), o.cells(),
        spec.trials(), o.trialsDone(), o.failures(), o.cellsRun(), o.trialsRun(), o.seconds(),
        o.cellsRun() / Math.max(o.seconds(), 1e-9), dir);
  }

  /** The spec file's text, from any Hadoop FileSystem (a spark-submit in cluster mode reads it from HDFS). */
  static String read(String path) throws IOException {
    Path p = new Path(path);
    FileSystem fs = p.getFileSystem(new Configuration());
    if (!fs.exists(p) || fs.getFileStatus(p).isDirectory()) {
      throw new IllegalArgumentException("spec " + path + ": " + (fs.exists(p) ? "a directory, not a HOCON file"
          : "no such file"));
    }
    try (InputStream in = fs.open(p)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private static String defaultName(String path) {
    String n = new Path(path).getName();
    return n.endsWith(".conf") ? n.substring(0, n.length() - 5) : n;
  }
}
