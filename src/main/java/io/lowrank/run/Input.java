package io.lowrank.run;

import io.lowrank.data.BlockSource;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Where a run's measurements come from: files (CSV or Parquet on any Hadoop FileSystem), a DataFrame, or a seeded
 * generator whose blocks every executor can rebuild.
 */
public sealed interface Input {
  /** Files at {@code path} in {@code format} (auto, csv or parquet). */
  record Files(String path, String format) implements Input {
    @Override
    public String describe() {
      return path;
    }
  }

  /** The rows of a DataFrame: a features column (ml Vector or array of numbers) and a numeric label column. */
  record Frame(Dataset<Row> frame, String featuresCol, String labelCol) implements Input {
    @Override
    public String describe() {
      return "DataFrame";
    }
  }

  /** A seeded generator (e.g. a {@code GaussianPhaseRetrieval} instance). */
  record Generated(BlockSource source) implements Input {
    @Override
    public String describe() {
      return "generated";
    }
  }

  /** What summaries call the input: its path, "DataFrame" or "generated". */
  String describe();

  /** Files at {@code path}, format read from the name or contents. */
  static Input path(String path) {
    return new Files(path, "auto");
  }

  /** Files at {@code path} in {@code format}: auto, csv or parquet. */
  static Input path(String path, String format) {
    return new Files(path, format);
  }

  static Input frame(Dataset<Row> frame, String featuresCol, String labelCol) {
    return new Frame(frame, featuresCol, labelCol);
  }

  static Input generated(BlockSource source) {
    return new Generated(source);
  }
}
