package io.lowrank.job;

import io.lowrank.data.Format;
import io.lowrank.data.GaussianPhaseRetrieval;
import io.lowrank.data.MeasurementWriter;
import io.lowrank.data.TruthFile;
import io.lowrank.engine.SparkEngine;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code lowrank generate}: writes a Gaussian phase-retrieval instance (Parquet or CSV, through Spark's writers)
 * and its truth file, so the same instance can be solved again, elsewhere, or by other tools.
 */
@Command(name = "generate", description = "Write a Gaussian phase-retrieval instance (Parquet or CSV) and its truth.")
public final class GenerateCommand implements Callable<Integer> {
  static final String NAME = "generate";

  @Mixin
  ConfigOptions config = new ConfigOptions();

  @Option(names = "--n", paramLabel = "N", description = "Measurements (default: generate.n = 4000).")
  Integer n;

  @Option(names = "--d", paramLabel = "D", description = "Dimension (default: generate.d = 50).")
  Integer d;

  @Option(names = "--noise", paramLabel = "SIGMA", description = "σ of additive N(0, σ²) noise on y, clipped at 0 (default 0).")
  Double noise;

  @Option(names = "--seed", paramLabel = "N", description = "Seed of the instance (default: 1).")
  Long seed;

  @Option(names = "--format", paramLabel = "auto|csv|parquet", description = "Output format (default: by extension).")
  String format;

  @Option(names = "--out", required = true, paramLabel = "PATH",
      description = "Where the measurements go (a .parquet or .csv directory, any Hadoop FileSystem URL).")
  String out;

  @Option(names = "--truth", paramLabel = "PATH", description = "Where x* goes (default: PATH with .truth for its extension).")
  String truth;

  @Option(names = "--partitions", paramLabel = "N", description = "Output part files (default: Spark's parallelism).")
  Integer partitions;

  @Option(names = "--master", paramLabel = "URL", description = "Spark master (default: spark-submit's, else local[*]).")
  String master;

  @Option(names = "--overwrite", description = "Replace existing output.")
  boolean overwrite;

  @Override
  public Integer call() throws Exception {
    Map<String, Object> flags = new LinkedHashMap<>();
    JobConfig.flag(flags, "generate.n", n);
    JobConfig.flag(flags, "generate.d", d);
    JobConfig.flag(flags, "generate.noise", noise);
    JobConfig.flag(flags, "seed", seed);
    JobConfig.flag(flags, "format", format);
    JobConfig.flag(flags, "out", out);
    JobConfig.flag(flags, "truth", truth);
    JobConfig.flag(flags, "partitions", partitions);
    JobConfig.flag(flags, "master", master);
    JobConfig cfg = JobConfig.load(NAME, config.confFile(), config.sets(), flags);
    GaussianPhaseRetrieval instance = PhaseRetrievalCommand.generated(cfg);
    String dataPath = cfg.requiredPath("out");
    String truthPath = cfg.optionalPath("truth").orElse(defaultTruthPath(dataPath));
    String formatFlag = cfg.oneOf("format", "auto", "csv", "parquet");

    SparkSession spark = SparkSessions.create(cfg.explicitMaster(), "lowrank " + NAME);
    Configuration hadoop = spark.sparkContext().hadoopConfiguration();
    Format fmt = Format.of(dataPath, formatFlag, hadoop);
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    try (SparkEngine engine = SparkEngine.generated(jsc, instance, cfg.nonNegativeInt("partitions"), NAME,
        StorageLevel.MEMORY_AND_DISK())) {
      MeasurementWriter.write(spark, engine.blocks(), dataPath, fmt, overwrite);
    }
    // The truth last: its presence says the data beside it is complete.
    TruthFile.write(truthPath, instance.truth(), hadoop);
    System.out.printf("generate: n = %d, d = %d, seed = %d -> %s (%s), truth %s%n", instance.n(), instance.d(),
        cfg.longValue("seed"), dataPath, fmt.name().toLowerCase(), truthPath);
    return Main.OK;
  }

  /** data.parquet → data.truth; data → data.truth. */
  static String defaultTruthPath(String dataPath) {
    String trimmed = dataPath.endsWith("/") ? dataPath.substring(0, dataPath.length() - 1) : dataPath;
    int slash = trimmed.lastIndexOf('/');
    int dot = trimmed.lastIndexOf('.');
    return (dot > slash ? trimmed.substring(0, dot) : trimmed) + ".truth";
  }

}
