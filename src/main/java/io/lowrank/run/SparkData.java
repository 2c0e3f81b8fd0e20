package io.lowrank.run;

import io.lowrank.engine.SparkEngine;
import io.lowrank.io.Format;
import io.lowrank.io.FrameReader;
import io.lowrank.io.MatrixReader;
import io.lowrank.io.MeasurementReader;
import io.lowrank.io.Measurements;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;

/**
 * An {@link Input} loaded into a {@link SparkEngine}: read (or generated), validated and cached, repartitioned when
 * asked. Every job of the load runs in the engine's job group, so the Spark UI names it.
 */
final class SparkData {
  /** How the rows of a file are read. */
  enum Layout {
    /** A measurement per row: y and the sensing vector a (phase retrieval, rank-one sensing). */
    MEASUREMENTS,
    /** A matrix row per row, with its index (denoising). */
    MATRIX_ROWS
  }

  private SparkData() {}

  /**
   * The engine over {@code input}'s blocks.
   *
   * @param partitions 0 = as read or generated
   * @param blockRows rows per block of a matrix read from files (0 = about 4 MB)
   * @param jobGroup the Spark job group (and UI label) of the load and of every later pass
   * @param progress told of the load (and shows the Spark UI's address)
   */
  static SparkEngine open(SparkSession spark, Input input, Layout layout, int partitions, int blockRows,
      String jobGroup, Progress progress) {
    progress.sparkUi(spark.sparkContext());
    progress.phase("loading " + (input instanceof Input.Generated ? "the generated instance" : input.describe()));
    SparkEngine engine = load(spark, input, layout, partitions, blockRows, jobGroup);
    progress.phase("loaded " + engine.rows() + " rows of dimension " + engine.dimension() + " in "
        + engine.partitions() + " partitions");
    return engine;
  }

  private static SparkEngine load(SparkSession spark, Input input, Layout layout, int partitions, int blockRows,
      String jobGroup) {
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    StorageLevel level = StorageLevel.MEMORY_ONLY();
    if (input instanceof Input.Generated g) {
      return SparkEngine.generated(jsc, g.source(), partitions, jobGroup, level);
    }
    if (input instanceof Input.Frame fr) {
      if (layout != Layout.MEASUREMENTS) {
        throw new IllegalArgumentException("a DataFrame input holds measurements (a features and a label column), "
            + "not matrix rows: read the matrix from files");
      }
      jsc.setJobGroup(jobGroup, jobGroup + ": read DataFrame[" + fr.featuresCol() + ", " + fr.labelCol() + "]", false);
      Measurements m;
      try {
        m = FrameReader.read(fr.frame(), fr.featuresCol(), fr.labelCol(), FrameReader.Labels.INTENSITIES, 0, level);
      } finally {
        jsc.clearJobGroup();
      }
      return engine(jsc, m, partitions, jobGroup, level);
    }
    Input.Files f = (Input.Files) input;
    Format format = Format.of(f.path(), f.format(), spark.sparkContext().hadoopConfiguration());
    jsc.setJobGroup(jobGroup, jobGroup + ": read " + f.path(), false);
    Measurements m;
    try {
      m = layout == Layout.MEASUREMENTS
          ? MeasurementReader.read(spark, f.path(), format, 0, level)
          : MatrixReader.read(spark, f.path(), format, blockRows, level);
    } finally {
      jsc.clearJobGroup();
    }
    return engine(jsc, m, partitions, jobGroup, level);
  }

  private static SparkEngine engine(JavaSparkContext jsc, Measurements m, int partitions, String jobGroup,
      StorageLevel level) {
    SparkEngine engine = new SparkEngine(jsc, partitions > 0 ? m.blocks().repartition(partitions) : m.blocks(),
        jobGroup, level);
    if (partitions > 0) {
      m.unpersist();
    }
    return engine;
  }
}
