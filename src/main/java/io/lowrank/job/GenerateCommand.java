package io.lowrank.job;

import io.lowrank.data.BlockSource;
import io.lowrank.data.GaussianPhaseRetrieval;
import io.lowrank.data.SpikedMatrix;
import io.lowrank.engine.SparkEngine;
import io.lowrank.io.Format;
import io.lowrank.io.MeasurementWriter;
import io.lowrank.io.OutputPath;
import io.lowrank.io.TruthFile;
import io.lowrank.run.DenoisingSettings;
import io.lowrank.run.Instances;
import io.lowrank.run.Progress;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code lowrank generate}: writes a Gaussian phase-retrieval instance and its truth file, or ({@code --kind
 * spiked}) the rows of a spiked matrix of {@code lowrank denoise} and its spikes, as Parquet or CSV through
 * Spark's writers, so the same instance can be solved again, elsewhere, or by other tools. The truth files are
 * written last: their presence says the data beside them are complete.
 */
@Command(name = "generate",
    description = "Write a Gaussian phase-retrieval instance, or a spiked matrix (--kind spiked), and its truth.")
public final class GenerateCommand implements Callable<Integer> {
  static final String NAME = "generate";

  @Mixin
  ConfigOptions config = new ConfigOptions();

  @Option(names = "--kind", paramLabel = "phase-retrieval|spiked",
      description = "What to write (generate.kind, default phase-retrieval).")
  String kind;

  @Option(names = "--N", hidden = true)
  Integer oldN;

  @Option(names = "--M", hidden = true)
  Integer oldM;

  @Option(names = "--theta", paramLabel = "X", description = "spiked: signal strength θ (denoise.theta, default 1.5).")
  Double theta;

  @Option(names = "--n", paramLabel = "N", description = "Measurements (generate.n, default 4000); spiked: rows N (denoise.N, default 2000).")
  Integer n;

  @Option(names = "--d", paramLabel = "D",
      description = "Dimension (generate.d, default 50); spiked: columns M (denoise.M, default 4000).")
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

  @Option(names = "--truth", paramLabel = "PATH", description = "Where x* goes (default: PATH with .truth for its "
      + "extension); spiked: the spikes go to PATH with .u and .v.")
  String truth;

  @Option(names = "--partitions", paramLabel = "N", description = "Output part files (default: Spark's parallelism).")
  Integer partitions;

  @Option(names = "--master", paramLabel = "URL", description = "Spark master (default: spark-submit's, else local[*]).")
  String master;

  @Option(names = "--overwrite", description = "Replace existing output.")
  boolean overwrite;

  @Option(names = "--quiet", description = "No progress lines on stderr.")
  boolean quiet;

  @Override
  public Integer call() throws Exception {
    Renamed.refuse(oldN, "--N", "--n (with --kind spiked: the rows N)");
    Renamed.refuse(oldM, "--M", "--d (with --kind spiked: the columns M)");
    Map<String, Object> flags = new LinkedHashMap<>();
    JobConfig.flag(flags, "generate.kind", kind);
    JobConfig.flag(flags, "denoise.theta", theta);
    JobConfig.flag(flags, "generate.noise", noise);
    JobConfig.flag(flags, "seed", seed);
    JobConfig.flag(flags, "format", format);
    JobConfig.flag(flags, "out", out);
    JobConfig.flag(flags, "truth", truth);
    JobConfig.flag(flags, "partitions", partitions);
    JobConfig.flag(flags, "master", master);
    // --n and --d size whichever kind is written: its kind may come from a conf file, so read it first.
    boolean spiked = JobConfig.load(NAME, config.confFile(), config.sets(), flags)
        .oneOf("generate.kind", "phase-retrieval", "spiked").equals("spiked");
    requireFlagsOfKind(spiked);
    JobConfig.flag(flags, spiked ? "denoise.N" : "generate.n", n);
    JobConfig.flag(flags, spiked ? "denoise.M" : "generate.d", d);
    JobConfig cfg = JobConfig.load(NAME, config.confFile(), config.sets(), flags);
    String dataPath = cfg.requiredPath("out");
    String formatFlag = cfg.oneOf("format", "auto", "csv", "parquet");
    if (spiked) {
      if (cfg.optionalPath("truth").isPresent()) {
        throw new IllegalArgumentException("truth: --kind spiked writes its spikes beside the data, to "
            + withExtension(dataPath, ".u") + " and " + withExtension(dataPath, ".v") + "; drop --truth");
      }
      DenoisingSettings p = DenoisingSettings.of(cfg);
      SpikedMatrix instance = p.instance(p.theta());
      String uPath = withExtension(dataPath, ".u");
      String vPath = withExtension(dataPath, ".v");
      write(cfg, dataPath, formatFlag, instance, true, List.of(uPath, vPath), hadoop -> {
        TruthFile.write(uPath, instance.u(), hadoop);
        TruthFile.write(vPath, instance.v(), hadoop);
      });
      System.out.printf(Locale.ROOT, "generate: spiked N = %d, M = %d, theta = %s, seed = %d -> %s, spikes %s and %s%n",
          p.n(), p.m(), p.theta(), p.seed(), dataPath, withExtension(dataPath, ".u"), withExtension(dataPath, ".v"));
      return Main.OK;
    }
    GaussianPhaseRetrieval instance = Instances.phaseRetrieval(cfg);
    String truthPath = cfg.optionalPath("truth").orElse(defaultTruthPath(dataPath));
    write(cfg, dataPath, formatFlag, instance, false, List.of(truthPath),
        hadoop -> TruthFile.write(truthPath, instance.truth(), hadoop));
    System.out.printf("generate: n = %d, d = %d, seed = %d -> %s, truth %s%n", instance.n(), instance.d(),
        cfg.longValue("seed"), dataPath, truthPath);
    return Main.OK;
  }

  /** --noise applies to a phase-retrieval instance, --theta to a spiked matrix: not to the other kind. */
  private void requireFlagsOfKind(boolean spiked) {
    if (spiked && noise != null) {
      throw new IllegalArgumentException("--noise does not apply to --kind spiked (its noise is W, of entries N(0, 1/M))");
    }
    if (!spiked && theta != null) {
      throw new IllegalArgumentException("--theta does not apply to --kind phase-retrieval (it sets a spiked matrix's "
          + "signal strength)");
    }
  }

  /** Writes the truth files, after the data. */
  private interface TruthWriter {
    void write(Configuration hadoop);
  }

  private void write(JobConfig cfg, String dataPath, String formatFlag, BlockSource instance, boolean matrixRows,
      List<String> truthPaths, TruthWriter truths) throws IOException {
    try (Progress progress = Progress.start(quiet ? null : System.err)) {
      writeAll(cfg, dataPath, formatFlag, instance, matrixRows, truthPaths, truths, progress);
    }
  }

  private void writeAll(JobConfig cfg, String dataPath, String formatFlag, BlockSource instance, boolean matrixRows,
      List<String> truthPaths, TruthWriter truths, Progress progress) throws IOException {
    progress.phase("starting Spark");
    SparkSession spark = SparkSessions.create(cfg.explicitMaster(), "lowrank " + NAME);
    Configuration hadoop = spark.sparkContext().hadoopConfiguration();
    // Every output place is checked before anything is generated: a read-only directory or an existing output is
    // one line now, not a failed write job after the work (and no truth without its data).
    OutputPath.requireWritable("out", dataPath, true, overwrite, "pass --overwrite to replace it", hadoop);
    for (String t : truthPaths) {
      OutputPath.requireWritable(matrixRows ? "spike file" : "truth", t, false, true, "", hadoop);
    }
    Format fmt = Format.of(dataPath, formatFlag, hadoop);
    if (overwrite) {
      // The data beside them is about to be replaced: a write that fails must not leave their old truth.
      for (String t : truthPaths) {
        Path p = new Path(t);
        p.getFileSystem(hadoop).delete(p, false);
      }
    }
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    progress.sparkUi(spark.sparkContext());
    progress.phase("generating and writing " + dataPath);
    try (SparkEngine engine = SparkEngine.generated(jsc, instance, cfg.nonNegativeInt("partitions"), NAME,
        StorageLevel.MEMORY_AND_DISK())) {
      if (matrixRows) {
        MeasurementWriter.writeMatrix(spark, engine.blocks(), dataPath, fmt, overwrite);
      } else {
        MeasurementWriter.write(spark, engine.blocks(), dataPath, fmt, overwrite);
      }
    }
    progress.phase("writing " + String.join(" and ", truthPaths));
    truths.write(hadoop);
  }

  /** data.parquet → data.truth; data → data.truth. */
  static String defaultTruthPath(String dataPath) {
    return withExtension(dataPath, ".truth");
  }

  /** data.parquet → data + extension; data → data + extension. */
  static String withExtension(String dataPath, String extension) {
    String trimmed = dataPath.endsWith("/") ? dataPath.substring(0, dataPath.length() - 1) : dataPath;
    int slash = trimmed.lastIndexOf('/');
    int dot = trimmed.lastIndexOf('.');
    return (dot > slash ? trimmed.substring(0, dot) : trimmed) + extension;
  }

}
