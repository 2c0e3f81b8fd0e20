package io.lowrank.ml;

import static org.apache.spark.sql.functions.col;

import io.lowrank.io.FrameReader;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.apache.hadoop.fs.Path;
import org.apache.spark.ml.Model;
import org.apache.spark.ml.linalg.DenseVector;
import org.apache.spark.ml.linalg.SparseVector;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.param.Params;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * What the recovery models share, as Spark's {@code PredictionModel} does for its models: the uid, the instance's
 * params, the {@link RecoverySummary} and its trace, the column setters, {@code transform} (the prediction column from
 * the family's {@link #predictor()}), {@code copy}, and saving and loading in Spark ML's layout ({@code path/metadata}
 * the params, {@code path/data} the estimate and the summary's scalars in one Parquet row, {@code path/trace} the
 * trace). A family adds its estimate, {@code predict} and the static {@code read()} (through {@link #reader}) and
 * {@code load(path)}, which stay on each class because Spark's readers (a {@code PipelineModel}'s) look them up there.
 *
 * @param <M> the model itself
 * @param <D> its param objects
 * @param <T> the type of its estimate (an ml {@code Vector} or {@code Matrix})
 */
public abstract class RecoveryModel<M extends RecoveryModel<M, D, T>, D extends ParamDefs.Common, T>
    extends Model<M> implements RecoveryParams, MLWritable {
  private static final long serialVersionUID = 1L;

  private final String uid;
  private final D defs;
  private final RecoverySummary summary;

  /** A model with {@code uid}, the params {@code defs} builds for it and the summary of its solve. */
  RecoveryModel(String uid, Function<Params, D> defs, RecoverySummary summary) {
    this.uid = uid;
    this.defs = defs.apply(this);
    this.summary = summary;
  }

  @Override
  public String uid() {
    return uid;
  }

  @Override
  public D paramDefs() {
    return defs;
  }

  /** The estimate (a copy). */
  public abstract T estimate();

  /** Dimension d of the sensing vectors the model was fit on. */
  public abstract int numFeatures();

  /**
   * How the solve ended: status, iterations, passes, seconds, and when a truth was set the distance to it (phase
   * retrieval) or the relative error (sensing).
   */
  public RecoverySummary summary() {
    return summary;
  }

  /**
   * The per-iteration trace as a DataFrame, in the active SparkSession: columns {@code iteration, loss, gradient_norm,
   * mu, step_norm, distance_to_truth, passes, wall_ms} (those of {@code trace.csv}), row 0 = the start, null where a
   * quantity does not apply.
   */
  public Dataset<Row> trace() {
    return summary.trace(SparkSession.active());
  }

  @SuppressWarnings("unchecked")
  private M self() {
    return (M) this;
  }

  public M setFeaturesCol(String value) {
    set(featuresCol(), value);
    return self();
  }

  public M setPredictionCol(String value) {
    set(predictionCol(), value);
    return self();
  }

  // ----------------------------------------------------------------------------------------------- predicting

  /**
   * The prediction of one sensing vector as a function that carries a copy of the estimate, not the model (it is
   * shipped to the executors in {@code transform}).
   */
  abstract UDF1<Vector, Double> predictor();

  /**
   * Adds the prediction column (null where the features are null).
   *
   * @throws IllegalArgumentException when the features column is missing or mistyped, or the prediction column exists;
   *     a vector of another length than d fails the Spark job with a message saying so
   */
  @Override
  public Dataset<Row> transform(Dataset<?> dataset) {
    transformSchema(dataset.schema(), true);
    UDF1<Vector, Double> f = predictor();
    UserDefinedFunction predict = functions.udf((UDF1<Vector, Double>) a -> a == null ? null : f.call(a),
        DataTypes.DoubleType);
    return dataset.withColumn(getPredictionCol(), predict.apply(features(dataset.schema(), getFeaturesCol())));
  }

  @Override
  public StructType transformSchema(StructType schema) {
    FrameReader.checkSchema(schema, getFeaturesCol(), null);
    return withPrediction(schema, getPredictionCol());
  }

  /** The features column as a Vector column (arrays of numbers are converted). */
  static Column features(StructType schema, String name) {
    Column c = col("`" + name.replace("`", "``") + "`");
    if (FrameReader.featuresKind(schema.apply(name).dataType()) == FrameReader.FeaturesKind.ARRAY) {
      return org.apache.spark.ml.functions.array_to_vector(c.cast(DataTypes.createArrayType(DataTypes.DoubleType)));
    }
    return c;
  }

  /** {@code schema} with a double column {@code name} appended (Spark's message when it exists). */
  static StructType withPrediction(StructType schema, String name) {
    for (StructField f : schema.fields()) {
      if (f.name().equals(name)) {
        throw new IllegalArgumentException("Column " + name + " already exists.");
      }
    }
    return schema.add(name, DataTypes.DoubleType, true);
  }

  /**
   * ‖X^T a‖² = Σ_k (a^T x_k)² over the r columns of x (d×r column-major), for dense and sparse a; r = 1 gives the
   * intensity (a^T x)².
   *
   * @throws IllegalArgumentException when a does not have d entries
   */
  static double squaredNorm(double[] x, int r, Vector a) {
    int d = x.length / r;
    if (a.size() != d) {
      throw new IllegalArgumentException("features vector of length " + a.size() + ", but the model was fit with d = "
          + d);
    }
    double sum = 0;
    for (int k = 0; k < r; k++) {
      int off = k * d;
      double z = 0;
      if (a instanceof SparseVector s) {
        int[] idx = s.indices();
        double[] v = s.values();
        for (int i = 0; i < idx.length; i++) {
          z += v[i] * x[off + idx[i]];
        }
      } else {
        double[] v = ((DenseVector) a).values();
        for (int j = 0; j < d; j++) {
          z += v[j] * x[off + j];
        }
      }
      sum += z * z;
    }
    return sum;
  }

  /** A model with this one's uid, estimate and summary and no params set (for {@code copy}). */
  abstract M sameFit();

  @Override
  public M copy(ParamMap extra) {
    return copyValues(sameFit(), extra).setParent(parent());
  }

  // ---------------------------------------------------------------------------------------------- save/load

  /** The SQL type of the estimate column ({@code SQLDataTypes.VectorType()} or {@code MatrixType()}). */
  abstract DataType estimateType();

  /**
   * Writes {@code path/metadata} (params), {@code path/data} (the estimate and the summary's scalars, one Parquet row)
   * and {@code path/trace} (the trace, Parquet).
   */
  @Override
  public MLWriter write() {
    RecoveryModel<M, D, T> model = this;
    return new MLWriter() {
      @Override
      public void saveImpl(String path) {
        SparkSession spark = sparkSession();
        MlIo.saveMetadata(model, path, spark);
        StructType schema = new StructType().add("estimate", model.estimateType(), false);
        for (StructField f : RecoverySummary.SCALARS_SCHEMA.fields()) {
          schema = schema.add(f);
        }
        Object[] scalars = model.summary.scalars();
        Object[] values = new Object[scalars.length + 1];
        values[0] = model.estimate();
        System.arraycopy(scalars, 0, values, 1, scalars.length);
        spark.createDataFrame(List.of(RowFactory.create(values)), schema).coalesce(1).write()
            .parquet(new Path(path, "data").toString());
        spark.createDataFrame(model.summary.traceRows(), RecoverySummary.TRACE_SCHEMA).coalesce(1).write()
            .parquet(new Path(path, "trace").toString());
      }
    };
  }

  /** How a family builds its model from what {@link #write()} saved. */
  @FunctionalInterface
  interface Saved<M, T> {
    M model(String uid, T estimate, RecoverySummary summary);
  }

  /** The reader of models of class {@code cls} that {@link #write()} saved: the params set as they were saved. */
  static <M extends RecoveryModel<M, ?, T>, T> MLReader<M> reader(Class<M> cls, Saved<M, T> saved) {
    return new MLReader<>() {
      @Override
      public M load(String path) {
        SparkSession spark = sparkSession();
        var metadata = MlIo.loadMetadata(path, spark, cls);
        Row data = spark.read().parquet(new Path(path, "data").toString()).first();
        List<Row> trace = new ArrayList<>(spark.read().parquet(new Path(path, "trace").toString())
            .orderBy("iteration").collectAsList());
        M model = saved.model(MlIo.uid(metadata), data.getAs("estimate"), RecoverySummary.of(data, 1, trace));
        MlIo.setParams(model, metadata);
        return model;
      }
    };
  }
}
