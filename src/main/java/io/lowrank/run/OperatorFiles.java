package io.lowrank.run;

import io.lowrank.data.Block;
import io.lowrank.data.FactorTruth;
import io.lowrank.data.LowRankTruth;
import io.lowrank.engine.SparkEngine;
import io.lowrank.io.FactorFile;
import io.lowrank.io.Format;
import io.lowrank.io.Measurements;
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
 * symmetric model (sensing.operator gaussian) go into the packed blocks of the stored Gaussian operator ({@link #run}:
 * every ScaledGD-family solver and SubGM runs on them as on a generated instance); with sensing.operator asymmetric the
 * d1×d2 A_i load into {@link DenseOperator} blocks as given, with the truth factors ({@link #loadFactored}), for
 * {@link FactoredSensingRun} ({@link #runFactored}). The shape is sensing.d1 × sensing.d2 when set (--shape), else the
 * truth's, else square (D = d²).
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
  static RunResult run(SparkSession spark, Input input, Truth truth, int truthRows, SensingSettings s,
      Progress progress) {
    Input.Files files = requireFiles(input, s);
    OperatorFile.Shape shape = shapeSet(s);
    long t0 = System.nanoTime();
    requireOperatorHeader(spark, files);
    progress.sparkUi(spark.sparkContext());
    progress.phase("loading " + files.path());
    Symmetric data = loadSymmetric(spark, files, shape, s.partitions(), s.solver());
    try (SparkEngine engine = data.engine()) {
      double load = RunResult.since(t0);
      int d = data.d();
      if (truthRows > 0 && truthRows != d) {
        throw new IllegalArgumentException("the truth factor X* has " + truthRows + " rows, but the operator file's "
            + "A_i are " + d + "x" + d);
      }
      LowRankTruth x = truthFactor(truth, d, spark.sparkContext().hadoopConfiguration());
      RunResult r = SensingRun.solve(engine, new PackedGaussianOperator(d, engine.rows()), x, s,
          "the operator file " + files.path(), progress);
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
      throw new IllegalArgumentException("--shape " + shape + ": the symmetric model W W^T (--operator gaussian) needs "
          + "square A_i; rectangular ones are read with --operator asymmetric (W1 W2^T)");
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
   * An operator file as a factored run's data: its raw rows, cached (vec(A_i) column-major, y_i as given, so
   * r_i = ⟨A_i, M⟩ − y_i), the {@link FactorOperator} of their layout, the shape and the truth (null when unknown).
   */
  public record Factored(Measurements measurements, FactorOperator operator, OperatorFile.Shape shape,
      FactorTruth truth) {}

  /**
   * Loads an operator file for the factored model W1 W2ᵀ: {@link DenseOperator#asymmetric} over its rows, the shape
   * sensing.d1 × sensing.d2 when set, else the truth's, else square.
   *
   * @param truth M* = X* Y*ᵀ when known (its shape must be the file's), else null
   */
  public static Factored loadFactored(SparkSession spark, Input input, FactorTruth truth, SensingSettings s) {
    Input.Files files = requireFiles(input, s);
    OperatorFile.Shape shape = shapeSet(s);
    int width = requireOperatorHeader(spark, files).length - 1;
    if (shape == null && truth != null) {
      if ((long) truth.d1() * truth.d2() != width) {
        throw new IllegalArgumentException("the truth X* Y*^T is " + truth.d1() + "x" + truth.d2() + " (D = "
            + (long) truth.d1() * truth.d2() + "), but " + files.path() + " has " + width + " sensing columns a_0..a_"
            + (width - 1) + ": one per entry of A_i");
      }
      shape = new OperatorFile.Shape(truth.d1(), truth.d2());
    }
    OperatorFile.Loaded raw = read(spark, files, shape, s.solver());
    OperatorFile.Shape found = raw.shape();
    if (truth != null && (truth.d1() != found.d1() || truth.d2() != found.d2())) {
      raw.measurements().unpersist();
      throw new IllegalArgumentException("the truth X* Y*^T is " + truth.d1() + "x" + truth.d2() + ", but the A_i of "
          + files.path() + " are " + found + " (--shape)");
    }
    return new Factored(raw.measurements(), DenseOperator.asymmetric(found.d1(), found.d2()), found, truth);
  }

  /**
   * Solves an operator file with the factored model W1 W2ᵀ ({@link FactoredSensingRun}); {@code truthSource} is what
   * the summary says of the truth (a path, "given", or null).
   */
  static RunResult runFactored(SparkSession spark, Input input, FactorTruth truth, String truthSource,
      SensingSettings s, Progress progress) {
    long t0 = System.nanoTime();
    progress.sparkUi(spark.sparkContext());
    progress.phase("loading " + input.describe());
    Factored f = loadFactored(spark, input, truth, s);
    double load = RunResult.since(t0);
    RunResult r = FactoredSensingRun.run(spark, f.measurements(), f.operator(), f.truth(), truthSource, s, 0,
        progress);
    Map<String, Object> summary = new LinkedHashMap<>(r.summary());
    summary.put("operator", "file (W1 W2^T)");
    return new RunResult(r.solver(), r.estimate(), r.rows(), r.columns(), r.result(), summary,
        new RunResult.Timings(load, r.timings().start(), r.timings().solve()));
  }

  /** The shape sensing.d1 × sensing.d2 (d2 0 = d1) when d1 is set, else null. */
  private static OperatorFile.Shape shapeSet(SensingSettings s) {
    int d1 = s.values().nonNegativeInt("sensing.d1");
    int d2 = s.values().nonNegativeInt("sensing.d2");
    if (d1 == 0 && d2 > 0) {
      throw new IllegalArgumentException("sensing.d2 = " + d2 + " without sensing.d1: give both (--shape d1xd2)");
    }
    return d1 == 0 ? null : new OperatorFile.Shape(d1, d2 == 0 ? d1 : d2);
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

  /**
   * The column names of an operator file; refuses files without the layout's a_0 column, pointing rank-one data to
   * --operator rank-one.
   */
  static String[] requireOperatorHeader(SparkSession spark, Input.Files files) {
    Format format = Format.of(files.path(), files.format(), spark.sparkContext().hadoopConfiguration());
    String[] names = OperatorFile.columns(spark, files.path(), format);
    if (!OperatorFile.isOperatorHeader(names)) {
      String header = String.join(",", names);
      throw new IllegalArgumentException(files.path() + ": not an operator file: its header "
          + (header.length() > 60 ? header.substring(0, 57) + "..." : header) + " has no column a_0 (an operator "
          + "file's header is y,a_0,...,a_{D-1}); rank-one measurements (y_i, a_i) are read with --operator rank-one");
    }
    return names;
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
