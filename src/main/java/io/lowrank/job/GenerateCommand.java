package io.lowrank.job;

import io.lowrank.data.AsymmetricGaussianSensing;
import io.lowrank.data.BlockSource;
import io.lowrank.data.FactorTruth;
import io.lowrank.data.GaussianPhaseRetrieval;
import io.lowrank.data.GaussianSensing;
import io.lowrank.data.LowRankTruth;
import io.lowrank.data.Outliers;
import io.lowrank.data.SpikedMatrix;
import io.lowrank.engine.SparkEngine;
import io.lowrank.io.Format;
import io.lowrank.io.FactorFile;
import io.lowrank.io.MeasurementWriter;
import io.lowrank.io.OperatorFile;
import io.lowrank.io.OperatorRows;
import io.lowrank.io.OutlierRecord;
import io.lowrank.io.OutputPath;
import io.lowrank.io.TruthFile;
import io.lowrank.run.DenoisingSettings;
import io.lowrank.run.Instances;
import io.lowrank.run.FactoredSensingSettings;
import io.lowrank.run.SensingSettings;
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
 * {@code lowrank generate}: writes a Gaussian phase-retrieval instance and its truth file, ({@code --kind
 * spiked}) the rows of a spiked matrix of {@code lowrank denoise} and its spikes, or ({@code --kind sensing}) a
 * symmetric Gaussian matrix-sensing instance as an operator file with its truth X* (and, with {@code --outliers p},
 * the record of the corrupted measurements), as Parquet or CSV through
 * Spark's writers, so the same instance can be solved again, elsewhere, or by other tools. The truth files are
 * written last: their presence says the data beside them are complete.
 */
@Command(name = "generate",
    description = "Write a Gaussian phase-retrieval instance, a spiked matrix (--kind spiked) or a matrix-sensing "
        + "operator file (--kind sensing), and its truth.")
public final class GenerateCommand implements Callable<Integer> {
  static final String NAME = "generate";

  @Mixin
  ConfigOptions config = new ConfigOptions();

  @Option(names = "--kind", paramLabel = "phase-retrieval|spiked|sensing",
      description = "What to write (generate.kind, default phase-retrieval).")
  String kind;

  @Option(names = "--rstar", paramLabel = "N", description = "sensing: true rank r* (sensing.rstar, default 3).")
  Integer rstar;

  @Option(names = "--kappa", paramLabel = "X", description = "sensing: condition number of M* (sensing.kappa, default 10).")
  Double kappa;

  @Option(names = "--shape", paramLabel = "D1xD2", description = "sensing: an asymmetric instance of d1 x d2 A_i "
      + "(sensing.d1, sensing.d2; default a symmetric d x d one).")
  String shape;

  @Option(names = "--outliers", paramLabel = "P", description = "sensing: fraction of corrupted measurements (default 0).")
  Double outliers;

  @Option(names = "--outlier-kind", paramLabel = "gaussian|uniform|positive", description = "sensing: outlier law.")
  String outlierKind;

  @Option(names = "--outlier-scale", paramLabel = "S", description = "sensing: outlier scale s (default 10).")
  Double outlierScale;

  @Option(names = "--N", hidden = true)
  Integer oldN;

  @Option(names = "--M", hidden = true)
  Integer oldM;

  @Option(names = "--theta", paramLabel = "X", description = "spiked: signal strength θ (denoise.theta, default 1.5).")
  Double theta;

  @Option(names = "--n", paramLabel = "N", description = "Measurements (generate.n, default 4000); spiked: rows N "
      + "(denoise.N, default 2000); sensing: m (sensing.m, default 10 d r*).")
  Integer n;

  @Option(names = "--d", paramLabel = "D",
      description = "Dimension (generate.d, default 50); spiked: columns M (denoise.M, default 4000); sensing: d "
          + "(sensing.d, default 60).")
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

  @Option(names = "--truth", paramLabel = "PATH", description = "Where x* (sensing: X*) goes (default: PATH with .truth "
      + "for its extension; sensing outliers: .outliers beside it); spiked: the spikes go to PATH with .u and .v.")
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
    String kindOf = JobConfig.load(NAME, config.confFile(), config.sets(), flags)
        .oneOf("generate.kind", "phase-retrieval", "spiked", "sensing");
    boolean spiked = kindOf.equals("spiked");
    boolean sensing = kindOf.equals("sensing");
    requireFlagsOfKind(kindOf);
    JobConfig.flag(flags, spiked ? "denoise.N" : sensing ? "sensing.m" : "generate.n", n);
    JobConfig.flag(flags, spiked ? "denoise.M" : sensing ? "sensing.d" : "generate.d", d);
    if (sensing) {
      flags.remove("generate.noise");
      JobConfig.flag(flags, "sensing.noise", noise);
      JobConfig.flag(flags, "sensing.rstar", rstar);
      JobConfig.flag(flags, "sensing.kappa", kappa);
      FactoredSensingOutputs.shapeFlags(flags, shape, null, null, null, false);
      JobConfig.flag(flags, "sensing.outliers", outliers);
      JobConfig.flag(flags, "sensing.outlier-kind", outlierKind);
      JobConfig.flag(flags, "sensing.outlier-scale", outlierScale);
    }
    JobConfig cfg = JobConfig.load(NAME, config.confFile(), config.sets(), flags);
    String dataPath = cfg.requiredPath("out");
    String formatFlag = cfg.oneOf("format", "auto", "csv", "parquet");
    if (sensing) {
      return sensing(cfg, dataPath, formatFlag);
    }
    if (spiked) {
      if (cfg.optionalPath("truth").isPresent()) {
        throw new IllegalArgumentException("truth: --kind spiked writes its spikes beside the data, to "
            + withExtension(dataPath, ".u") + " and " + withExtension(dataPath, ".v") + "; drop --truth");
      }
      DenoisingSettings p = DenoisingSettings.of(cfg);
      SpikedMatrix instance = p.instance(p.theta());
      String uPath = withExtension(dataPath, ".u");
      String vPath = withExtension(dataPath, ".v");
      write(cfg, dataPath, formatFlag, instance, Layout.MATRIX_ROWS, List.of(uPath, vPath), hadoop -> {
        TruthFile.write(uPath, instance.u(), hadoop);
        TruthFile.write(vPath, instance.v(), hadoop);
      });
      System.out.printf(Locale.ROOT, "generate: spiked N = %d, M = %d, theta = %s, seed = %d -> %s, spikes %s and %s%n",
          p.n(), p.m(), p.theta(), p.seed(), dataPath, withExtension(dataPath, ".u"), withExtension(dataPath, ".v"));
      return Main.OK;
    }
    GaussianPhaseRetrieval instance = Instances.phaseRetrieval(cfg);
    String truthPath = cfg.optionalPath("truth").orElse(defaultTruthPath(dataPath));
    write(cfg, dataPath, formatFlag, instance, Layout.MEASUREMENTS, List.of(truthPath),
        hadoop -> TruthFile.write(truthPath, instance.truth(), hadoop));
    System.out.printf("generate: n = %d, d = %d, seed = %d -> %s, truth %s%n", instance.n(), instance.d(),
        cfg.longValue("seed"), dataPath, truthPath);
    return Main.OK;
  }

  /**
   * --noise applies to phase-retrieval and sensing instances, --theta to a spiked matrix, the rank, shape and outlier
   * flags to sensing: not to the other kinds.
   */
  private void requireFlagsOfKind(String kindOf) {
    if (kindOf.equals("spiked") && noise != null) {
      throw new IllegalArgumentException("--noise does not apply to --kind spiked (its noise is W, of entries N(0, 1/M))");
    }
    if (!kindOf.equals("spiked") && theta != null) {
      throw new IllegalArgumentException("--theta does not apply to --kind " + kindOf + " (it sets a spiked matrix's "
          + "signal strength)");
    }
    if (!kindOf.equals("sensing")) {
      Map<String, Object> sensingOnly = new LinkedHashMap<>();
      sensingOnly.put("--rstar", rstar);
      sensingOnly.put("--kappa", kappa);
      sensingOnly.put("--shape", shape);
      sensingOnly.put("--outliers", outliers);
      sensingOnly.put("--outlier-kind", outlierKind);
      sensingOnly.put("--outlier-scale", outlierScale);
      for (Map.Entry<String, Object> e : sensingOnly.entrySet()) {
        if (e.getValue() != null) {
          throw new IllegalArgumentException(e.getKey() + " applies to --kind sensing, not to --kind " + kindOf);
        }
      }
    }
  }

  /**
   * --kind sensing: the Gaussian instance of the sensing settings (d, r*, κ, m, noise, outliers, seed), the in-memory
   * instance of {@code lowrank sensing} with the same settings — symmetric (M* = X* X*ᵀ, packed) or, with --shape
   * d1xd2, asymmetric (M* = X* Y*ᵀ, {@code --operator asymmetric}) — as an operator file of unit-scale A_i (vec(A_i)
   * and y_i are the normalised operator's values times √m), its truth X* (and Y*, in the truth's name with
   * .truth-right) and, with outliers, the record of which measurements were corrupted (.outliers beside the truth).
   */
  private Integer sensing(JobConfig cfg, String dataPath, String formatFlag) throws IOException {
    SensingSettings s = SensingSettings.of(cfg);
    boolean asymmetric = cfg.nonNegativeInt("sensing.d1") > 0;
    String truthPath = cfg.optionalPath("truth").orElse(defaultTruthPath(dataPath));
    String rightPath = withExtension(truthPath, ".truth-right");
    String recordPath = withExtension(truthPath, ".outliers");
    Outliers model = s.outlierModel();
    BlockSource instance;
    long m;
    double cleanMax;
    TruthWriter truthFiles;
    String shape;
    if (asymmetric) {
      // The instance FactoredSensingRun generates for --operator asymmetric (stored), with its m default.
      FactoredSensingSettings f = FactoredSensingSettings.of(s.with("operator", "asymmetric").with("solver", "subgm"));
      FactorTruth truth = FactorTruth.generate(f.d1(), f.d2(), s.rstar(), s.kappa(), s.seed());
      AsymmetricGaussianSensing inst = AsymmetricGaussianSensing.stored(truth, f.m(), s.seed(), s.noise(), model, 0);
      instance = inst;
      m = inst.m();
      cleanMax = inst.cleanMaxAbs();
      shape = f.d1() + "x" + f.d2();
      truthFiles = hadoop -> {
        FactorFile.write(truthPath, truth.left(), truth.d1(), truth.rank(), hadoop);
        FactorFile.write(rightPath, truth.right(), truth.d2(), truth.rank(), hadoop);
      };
    } else {
      s.requireGeneratable();
      LowRankTruth truth = LowRankTruth.generate(s.d(), s.rstar(), s.kappa(), s.seed());
      GaussianSensing inst = GaussianSensing.stored(truth, s.m(), s.seed(), s.noise(), model,
          GaussianSensing.defaultBlockRows(s.d()));
      instance = inst;
      m = inst.m();
      cleanMax = inst.cleanMaxAbs();
      shape = s.d() + "x" + s.d();
      truthFiles = hadoop -> FactorFile.write(truthPath, truth.factor(), truth.d(), truth.rank(), hadoop);
    }
    OperatorRows rows = OperatorRows.unitScale(instance, m, asymmetric ? 0 : s.d());
    List<String> truths = new java.util.ArrayList<>(List.of(truthPath));
    if (asymmetric) {
      truths.add(rightPath);
    }
    if (model.any()) {
      truths.add(recordPath);
    }
    write(cfg, dataPath, formatFlag, rows, Layout.OPERATOR, truths, hadoop -> {
      truthFiles.write(hadoop);
      if (model.any()) {
        // s_i in the file's units, as y_i there: the in-memory instance's s_i / c.
        OutlierRecord.write(recordPath, m, i -> model.isCorrupted(s.seed(), i),
            i -> model.offset(s.seed(), i, cleanMax) / rows.c(), hadoop);
      }
    });
    System.out.printf(Locale.ROOT, "generate: sensing %s, r* = %d, kappa = %s, m = %d, outliers %s, seed = %d -> %s, "
        + "truth %s%s%s%n", shape, s.rstar(), s.kappa(), m, model.describe(), s.seed(), dataPath, truthPath,
        asymmetric ? " and " + rightPath : "", model.any() ? ", outliers " + recordPath : "");
    return Main.OK;
  }

  /** How the blocks are written. */
  private enum Layout {
    MEASUREMENTS, MATRIX_ROWS, OPERATOR
  }

  /** Writes the truth files, after the data. */
  private interface TruthWriter {
    void write(Configuration hadoop);
  }

  private void write(JobConfig cfg, String dataPath, String formatFlag, BlockSource instance, Layout layout,
      List<String> truthPaths, TruthWriter truths) throws IOException {
    try (Progress progress = Progress.start(quiet ? null : System.err)) {
      writeAll(cfg, dataPath, formatFlag, instance, layout, truthPaths, truths, progress);
    }
  }

  private void writeAll(JobConfig cfg, String dataPath, String formatFlag, BlockSource instance, Layout layout,
      List<String> truthPaths, TruthWriter truths, Progress progress) throws IOException {
    progress.phase("starting Spark");
    SparkSession spark = SparkSessions.create(cfg.explicitMaster(), "lowrank " + NAME);
    Configuration hadoop = spark.sparkContext().hadoopConfiguration();
    // Every output place is checked before anything is generated: a read-only directory or an existing output is
    // one line now, not a failed write job after the work (and no truth without its data).
    OutputPath.requireWritable("out", dataPath, true, overwrite, "pass --overwrite to replace it", hadoop);
    for (String t : truthPaths) {
      OutputPath.requireWritable(layout == Layout.MATRIX_ROWS ? "spike file" : "truth", t, false, true, "", hadoop);
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
      switch (layout) {
        case MATRIX_ROWS -> MeasurementWriter.writeMatrix(spark, engine.blocks(), dataPath, fmt, overwrite);
        case OPERATOR -> OperatorFile.write(spark, engine.blocks(), dataPath, fmt, overwrite);
        default -> MeasurementWriter.write(spark, engine.blocks(), dataPath, fmt, overwrite);
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
