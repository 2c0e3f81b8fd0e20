package io.lowrank.job;

import io.lowrank.experiment.Bench;
import io.lowrank.experiment.PassScaling;
import io.lowrank.io.OutputDir;
import io.lowrank.io.OutputLock;
import io.lowrank.report.Reports;
import io.lowrank.run.PhaseRetrievalSettings;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code lowrank bench}: the {@link Bench} figures to the console and to {@code bench.json}, including the robust
 * case ({@code sensing.robust}: the ℓ1 pass vs the ℓ2 pass, the ℓ1 Spark pass vs its in-process limit, the bytes
 * cached, and whether the targets are met).
 */
@Command(name = "bench", description = "Benchmark: Spark pass vs in-process limit, solvers vs MLlib L-BFGS, memory, "
    + "the robust (l1) sensing pass.")
public final class BenchCommand implements Callable<Integer> {
  static final String NAME = "bench";

  @Mixin
  ConfigOptions config = new ConfigOptions();

  @Option(names = "--n", paramLabel = "N", description = "Measurements (default: bench.n = 1000000).")
  Long n;

  @Option(names = "--d", paramLabel = "D", description = "Dimension (default: bench.d = 100).")
  Integer d;

  @Option(names = "--repeats", paramLabel = "R", description = "Timed passes per engine (default: bench.repeats = 10).")
  Integer repeats;

  @Option(names = "--out", paramLabel = "DIR", description = "Output directory (default: lowrank-out/bench).")
  String out;

  @Option(names = "--master", paramLabel = "URL", description = "Spark master (default: spark-submit's, else local[*]).")
  String master;

  @Option(names = "--partitions", paramLabel = "N", description = "Partitions (default: Spark's parallelism).")
  Integer partitions;

  @Option(names = "--seed", paramLabel = "N", description = "Seed of the instance (default: 1).")
  Long seed;

  @Option(names = "--scale", paramLabel = "N,N,...", split = ",",
      description = "Only time warm passes at each n (d = --d) and fit seconds = a + b n, e.g. "
          + "--scale 1000000,2000000,4000000,10000000.")
  List<Long> scale;

  @Override
  @SuppressWarnings("unchecked")
  public Integer call() throws Exception {
    Map<String, Object> flags = new LinkedHashMap<>();
    JobConfig.flag(flags, "bench.n", n);
    JobConfig.flag(flags, "bench.d", d);
    JobConfig.flag(flags, "bench.repeats", repeats);
    JobConfig.flag(flags, "out", out);
    JobConfig.flag(flags, "master", master);
    JobConfig.flag(flags, "partitions", partitions);
    JobConfig.flag(flags, "seed", seed);
    JobConfig cfg = JobConfig.load(NAME, config.confFile(), config.sets(), flags);
    String outDir = cfg.optionalPath("out").orElse("lowrank-out/" + NAME);
    PhaseRetrievalSettings.of(cfg);
    if (scale != null) {
      PassScaling.requireSizes(scale, cfg.positiveInt("bench.d"));
    }
    SparkSession spark = SparkSessions.create(cfg.explicitMaster(), "lowrank " + NAME);
    Map<String, Object> report;
    try (OutputLock lock = OutputLock.acquire(outDir, spark.sparkContext().hadoopConfiguration());
        OutputDir dir = OutputDir.open(lock)) {
      report = scale == null ? Bench.run(spark, cfg) : Map.of("scale", PassScaling.run(spark, scale,
          cfg.positiveInt("bench.d"), cfg.positiveInt("bench.repeats"), cfg.nonNegativeInt("partitions"),
          cfg.longValue("seed"), cfg.nonNegativeInt("bench.driver-warm-up")));
      dir.writeText("bench.json", Reports.summaryJson(report));
      dir.writeText("config.conf", cfg.render());
      dir.commit();
    }
    System.out.print(scale == null ? Bench.console(report)
        : PassScaling.console((Map<String, Object>) report.get("scale")));
    System.out.println("outputs in " + outDir);
    return Main.OK;
  }
}
