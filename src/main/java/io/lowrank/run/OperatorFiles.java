package io.lowrank.run;

import io.lowrank.data.Block;
import io.lowrank.data.LowRankTruth;
import io.lowrank.engine.SparkEngine;
import io.lowrank.io.FactorFile;
import io.lowrank.io.Format;
import io.lowrank.io.OperatorFile;
import io.lowrank.model.factor.DenseOperator;
import io.lowrank.model.factor.FactorOperator;
import io.lowrank.model.sensing.PackedGaussianOperator;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.logging.log4j.LogManager;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.apache.spark.util.LongAccumulator;

/**
 * A user's own sensing matrices ({@link OperatorFile}: header y,a_0,...,a_{D−1}) as run data. Square A_i with the
 * symmetric model go into the packed blocks of the stored Gaussian operator ({@link #run}: every ScaledGD-family
 * solver and SubGM runs on them as on a generated instance); asymmetric files (sensing.shape d1xd2 with d1 ≠ d2, or
 * sensing.asymmetric) load into {@link DenseOperator} blocks with their truth factors ({@link #loadFactored}) for a
 * factored run.
 */
public final class OperatorFiles {
  private static final StorageLevel LEVEL = StorageLevel.MEMORY_ONLY();

  private OperatorFiles() {}

  /**
   * Whether the files of {@code input} are an operator file (a column a_0 in their header), read on the driver.
   */
  public static boolean isOperatorFile(SparkSession spark, Input.Files input) {
    Format format = Format.of(input.path(), input.format(), spark.sparkContext().hadoopConfiguration());
    return OperatorFile.isOperatorHeader(OperatorFile.columns(spark, input.path(), format));
  }

  /**
   * Solves an operator file with the symmetric model: the A_i (square, symmetrised when they are not symmetric) and
   * y_i are scaled by 1/√m into the stored Gaussian operator's packed blocks, then {@link SensingRun#solve}.
   *
   * @param truthRows the rows of a truth given as values (0 = a file or none), checked against d
   */
  static RunResult run(SparkSession spark, Input input, Truth truth, int truthRows, SensingSettings s) {
    Input.Files files = requireFiles(input, s);
    if (s.asymmetric()) {
      throw new IllegalArgumentException("sensing.shape " + s.shape() + (s.shape() != null && !s.shape().isSquare()
          ? "" : " with sensing.asymmetric") + ": an asymmetric operator file is solved with the factored model "
          + "W1 W2^T, which this build's sensing command does not run yet (run/OperatorFiles.loadFactored loads it)");
    }
    if (!s.truthY().isEmpty()) {
      throw new IllegalArgumentException("sensing.truth-y (--truth-y) is the right factor Y* of an asymmetric truth; "
          + "the symmetric model's truth is X* alone (--truth)");
    }
    long t0 = System.nanoTime();
    requireOperatorHeader(spark, files);
    Symmetric data = loadSymmetric(spark, files, s.shape(), s.partitions(), s.solver());
    try (SparkEngine engine = data.engine()) {
      double load = RunResult.since(t0);
      int d = data.d();
      if (truthRows > 0 && truthRows != d) {
        throw new IllegalArgumentException("the truth factor X* has " + truthRows + " rows, but the operator file's "
            + "A_i are " + d + "x" + d);
      }
      LowRankTruth x = truthFactor(truth, d, spark.sparkContext().hadoopConfiguration());
      RunResult r = SensingRun.solve(engine, new PackedGaussianOperator(d, engine.rows()), x, s,
          "the operator file " + files.path());
      Map<String, Object> summary = new LinkedHashMap<>(r.summary());
      summary.put("operator", "file");
      summary.put("operator_scale", "A_i and y_i times 1/sqrt(m)");
      summary.put("nonsymmetric_matrices", data.nonSymmetric());
      return new RunResult(r.solver(), r.estimate(), r.rows(), r.columns(), r.result(), summary, r.timings())
          .loadedFrom(files.path(), RunResult.describe(truth, input), load, engine);
    }
  }

  /** The engine over the packed symmetric blocks of an operator file, with d and the count of non-symmetric A_i. */
  record Symmetric(SparkEngine engine, int d, long nonSymmetric) {}

  /**
   * Reads an operator file of square A_i and caches c·pack((A_i + A_iᵀ)/2), c·y_i (c = 1/√m) in blocks; the
   * symmetrisation is said once in the log when some A_i are not symmetric.
   */
  static Symmetric loadSymmetric(SparkSession spark, Input.Files files, OperatorFile.Shape shape, int partitions,
      String jobGroup) {
    if (shape != null && !shape.isSquare()) {
      throw new IllegalArgumentException("sensing.shape " + shape + ": the symmetric model W W^T needs square A_i");
    }
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    OperatorFile.Loaded raw = read(spark, files, shape, jobGroup);
    int d = raw.shape().d1();
    long m = raw.measurements().rows();
    LongAccumulator nonSymmetric = spark.sparkContext().longAccumulator("non-symmetric A_i of " + files.path());
    JavaRDD<Block> blocks = OperatorFile.symmetricPacked(repartition(raw, partitions), d, m, nonSymmetric);
    SparkEngine engine;
    try {
      engine = new SparkEngine(jsc, blocks, jobGroup, LEVEL);
    } finally {
      raw.measurements().unpersist();
    }
    long count = nonSymmetric.value();
    if (count > 0) {
      LogManager.getLogger(OperatorFiles.class).warn("{}: {} of {} A_i are not symmetric; the symmetric model W W^T "
          + "uses their symmetric parts (A_i + A_i^T)/2, since <A, W W^T> = <(A + A^T)/2, W W^T> (give --asymmetric for "
          + "W1 W2^T)", files.path(), count, m);
    }
    return new Symmetric(engine, d, count);
  }

  /**
   * An operator file as a factored run's data: the engine over its raw rows (vec(A_i) column-major, y_i as given,
   * r_i = ⟨A_i, M⟩ − y_i), its {@link FactorOperator} and the truth factors. Close it to drop the cache.
   *
   * @param truthLeft X* (d1×r*, column-major), or null when no truth was given
   * @param truthRight Y* (d2×r*); the same array as X* for the symmetric model
   */
  public record Factored(SparkEngine engine, FactorOperator operator, OperatorFile.Shape shape, double[] truthLeft,
      double[] truthRight, int truthRank, double loadSeconds) implements AutoCloseable {
    @Override
    public void close() {
      engine.close();
    }
  }

  /**
   * Loads an operator file for a factored run: {@link DenseOperator#asymmetric} when the settings say so (sensing.shape
   * d1xd2 with d1 ≠ d2, or sensing.asymmetric), else {@link DenseOperator#symmetric}; the truth X* from {@code truth}
   * and, when asymmetric, Y* from sensing.truth-y (both d×r* factor files, r* equal).
   */
  public static Factored loadFactored(SparkSession spark, Input input, Truth truth, SensingSettings s) {
    Input.Files files = requireFiles(input, s);
    long t0 = System.nanoTime();
    boolean asymmetric = s.asymmetric();
    String truthY = s.truthY();
    if (!asymmetric && !truthY.isEmpty()) {
      throw new IllegalArgumentException("sensing.truth-y (--truth-y) is the right factor Y* of an asymmetric truth; "
          + "the symmetric model's truth is X* alone (--truth)");
    }
    if (asymmetric && !truthY.isEmpty() && truth instanceof Truth.None) {
      throw new IllegalArgumentException("sensing.truth-y (--truth-y) gives Y* but no --truth gives X*: an asymmetric "
          + "truth X* Y*^T needs both");
    }
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    requireOperatorHeader(spark, files);
    OperatorFile.Loaded raw = read(spark, files, s.shape(), s.solver());
    OperatorFile.Shape shape = raw.shape();
    SparkEngine engine;
    try {
      engine = new SparkEngine(JavaSparkContext.fromSparkContext(spark.sparkContext()), repartition(raw,
          s.partitions()), s.solver(), LEVEL);
    } finally {
      if (s.partitions() > 0) {
        raw.measurements().unpersist();
      }
    }
    try {
      FactorOperator op = asymmetric ? DenseOperator.asymmetric(shape.d1(), shape.d2())
          : DenseOperator.symmetric(shape.d1());
      LowRankTruth x = truthFactor(truth, shape.d1(), conf);
      if (x == null) {
        return new Factored(engine, op, shape, null, null, 0, RunResult.since(t0));
      }
      if (!asymmetric) {
        return new Factored(engine, op, shape, x.factor(), x.factor(), x.rank(), RunResult.since(t0));
      }
      if (truthY.isEmpty()) {
        throw new IllegalArgumentException("--truth gives X* of an asymmetric truth X* Y*^T: give Y* (" + shape.d2()
            + " rows) with --truth-y");
      }
      LowRankTruth y = FactorFile.read(truthY, shape.d2(), conf);
      if (y.rank() != x.rank()) {
        throw new IllegalArgumentException("truth file " + truthY + " (Y*) has " + y.rank() + " columns but X* has "
            + x.rank() + ": the factors of X* Y*^T share their rank r*");
      }
      return new Factored(engine, op, shape, x.factor(), y.factor(), x.rank(), RunResult.since(t0));
    } catch (RuntimeException e) {
      engine.close();
      throw e;
    }
  }

  /**
   * The truth factor X* (d rows) of {@code truth}: a factor file, values in memory (d·r* of them, column-major), or
   * none (null).
   */
  static LowRankTruth truthFactor(Truth truth, int d, Configuration conf) {
    if (truth instanceof Truth.File f) {
      return FactorFile.read(f.path(), d, conf);
    }
    if (truth instanceof Truth.Values v) {
      if (v.values().length % d != 0) {
        throw new IllegalArgumentException("the truth factor has " + v.values().length + " values, not a multiple of "
            + "d = " + d);
      }
      return LowRankTruth.ofFactor(v.values(), d, v.values().length / d);
    }
    return null;
  }

  /** Refuses files without the operator layout's a_0 column, pointing rank-one data to --operator rank-one. */
  private static void requireOperatorHeader(SparkSession spark, Input.Files files) {
    Format format = Format.of(files.path(), files.format(), spark.sparkContext().hadoopConfiguration());
    String[] names = OperatorFile.columns(spark, files.path(), format);
    if (!OperatorFile.isOperatorHeader(names)) {
      String header = String.join(",", names);
      throw new IllegalArgumentException(files.path() + ": not an operator file: its header "
          + (header.length() > 60 ? header.substring(0, 57) + "..." : header) + " has no column a_0 (an operator "
          + "file's header is y,a_0,...,a_{D-1}); rank-one measurements (y_i, a_i) are read with --operator rank-one");
    }
  }

  private static Input.Files requireFiles(Input input, SensingSettings s) {
    if (!(input instanceof Input.Files files)) {
      throw new IllegalArgumentException("a DataFrame holds rank-one measurements (a_i, y_i): use --operator rank-one "
          + "(operator files are read from files)");
    }
    if (s.operator().equals("generated")) {
      throw new IllegalArgumentException("--operator generated regenerates the A_i from the seed; an operator file's "
          + "A_i are stored: use --operator gaussian (the default)");
    }
    return files;
  }

  /** Reads and validates the raw rows, in the job group (and UI label) {@code jobGroup}. */
  private static OperatorFile.Loaded read(SparkSession spark, Input.Files files, OperatorFile.Shape shape,
      String jobGroup) {
    Format format = Format.of(files.path(), files.format(), spark.sparkContext().hadoopConfiguration());
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    jsc.setJobGroup(jobGroup, jobGroup + ": read " + files.path(), false);
    try {
      return OperatorFile.read(spark, files.path(), format, shape, LEVEL);
    } finally {
      jsc.clearJobGroup();
    }
  }

  private static JavaRDD<Block> repartition(OperatorFile.Loaded raw, int partitions) {
    JavaRDD<Block> blocks = raw.measurements().blocks();
    return partitions > 0 ? blocks.repartition(partitions) : blocks;
  }
}
