package io.lowrank.ml;

import static org.apache.spark.sql.functions.col;

import io.lowrank.io.FrameReader;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.ml.Model;
import org.apache.spark.ml.linalg.DenseVector;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.SparseVector;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The result of {@link PhaseRetrieval#fit}: the estimate x̂ (defined up to a global sign), the {@link RecoverySummary}
 * of the solve and its trace. {@code transform} adds the predicted intensity |a^T x̂|² of each row's features as the
 * prediction column. Saved with {@code write().save(path)} (params as metadata, x̂ and the summary as Parquet), loaded
 * with {@link #load(String)}.
 */
public final class PhaseRetrievalModel extends Model<PhaseRetrievalModel>
    implements PhaseRetrievalParams, MLWritable {
  private static final long serialVersionUID = 1L;

  private final String uid;
  private final ParamDefs.Phase p;
  private final double[] estimate;
  private final RecoverySummary summary;

  PhaseRetrievalModel(String uid, double[] estimate, RecoverySummary summary) {
    this.uid = uid;
    this.p = new ParamDefs.Phase(this);
    this.estimate = estimate.clone();
    this.summary = summary;
  }

  @Override
  public String uid() {
    return uid;
  }

  /** The estimate x̂ (d values). */
  public Vector estimate() {
    return Vectors.dense(estimate.clone());
  }

  /** Dimension d of the sensing vectors the model was fit on. */
  public int numFeatures() {
    return estimate.length;
  }

  /** How the solve ended: status, iterations, passes, seconds, distance to the truth when one was set. */
  public RecoverySummary summary() {
    return summary;
  }

  /**
   * The per-iteration trace as a DataFrame, in the active SparkSession: columns {@code iteration, loss, gradient_norm,
   * mu, step_norm, distance_to_truth, passes, wall_ms} (those of {@code trace.csv}), row 0 = the spectral start,
   * null where a quantity does not apply.
   */
  public Dataset<Row> trace() {
    return summary.trace(SparkSession.active());
  }

  // ------------------------------------------------------------------------------------------------- params

  @Override
  public Param<String> featuresCol() {
    return p.common.featuresCol;
  }

  @Override
  public Param<String> labelCol() {
    return p.common.labelCol;
  }

  @Override
  public Param<String> predictionCol() {
    return p.common.predictionCol;
  }

  @Override
  public DoubleParam tol() {
    return p.common.tol;
  }

  @Override
  public IntParam maxIter() {
    return p.common.maxIter;
  }

  @Override
  public LongParam seed() {
    return p.common.seed;
  }

  @Override
  public Param<String> solver() {
    return p.solver;
  }

  @Override
  public Param<String> schedule() {
    return p.schedule;
  }

  @Override
  public Param<String> hessian() {
    return p.hessian;
  }

  @Override
  public Param<Vector> truth() {
    return p.truth;
  }

  public PhaseRetrievalModel setFeaturesCol(String value) {
    set(featuresCol(), value);
    return this;
  }

  public PhaseRetrievalModel setPredictionCol(String value) {
    set(predictionCol(), value);
    return this;
  }

  // ----------------------------------------------------------------------------------------------- predicting

  /** The predicted intensity |a^T x̂|² of one sensing vector. */
  public double predict(Vector features) {
    return intensity(estimate, features);
  }

  /**
   * Adds the prediction column |a^T x̂|² (null where the features are null).
   *
   * @throws IllegalArgumentException when the features column is missing or mistyped, or the prediction column exists;
   *     a vector of another length than d fails the Spark job with a message saying so
   */
  @Override
  public Dataset<Row> transform(Dataset<?> dataset) {
    transformSchema(dataset.schema(), true);
    double[] x = estimate.clone(); // the UDF's closure carries the estimate, not the model
    UserDefinedFunction predict = functions.udf((UDF1<Vector, Double>) a -> a == null ? null : intensity(x, a),
        DataTypes.DoubleType);
    return dataset.withColumn(getPredictionCol(), predict.apply(features(dataset.schema(), getFeaturesCol())));
  }

  /** The features column as a Vector column (arrays of numbers are converted). */
  static Column features(StructType schema, String name) {
    Column c = col("`" + name.replace("`", "``") + "`");
    if (FrameReader.featuresKind(schema.apply(name).dataType()) == FrameReader.FeaturesKind.ARRAY) {
      return org.apache.spark.ml.functions.array_to_vector(c.cast(DataTypes.createArrayType(DataTypes.DoubleType)));
    }
    return c;
  }

  /** (a^T x)², for dense and sparse a. */
  static double intensity(double[] x, Vector a) {
    if (a.size() != x.length) {
      throw new IllegalArgumentException("features vector of length " + a.size() + ", but the model was fit with d = "
          + x.length);
    }
    double z = 0;
    if (a instanceof SparseVector s) {
      int[] idx = s.indices();
      double[] v = s.values();
      for (int k = 0; k < idx.length; k++) {
        z += v[k] * x[idx[k]];
      }
    } else {
      double[] v = ((DenseVector) a).values();
      for (int j = 0; j < v.length; j++) {
        z += v[j] * x[j];
      }
    }
    return z * z;
  }

  @Override
  public StructType transformSchema(StructType schema) {
    FrameReader.checkSchema(schema, getFeaturesCol(), null);
    return withPrediction(schema, getPredictionCol());
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

  @Override
  public PhaseRetrievalModel copy(ParamMap extra) {
    PhaseRetrievalModel copied = copyValues(new PhaseRetrievalModel(uid, estimate, summary), extra);
    return copied.setParent(parent());
  }

  @Override
  public String toString() {
    return "PhaseRetrievalModel: uid=" + uid + ", d=" + estimate.length + ", " + summary.status();
  }

  // ---------------------------------------------------------------------------------------------- save/load

  private static final StructType DATA_SCHEMA = new StructType(concat(
      new StructType().add("estimate", SQLDataTypes.VectorType(), false).fields(),
      RecoverySummary.SCALARS_SCHEMA.fields()));

  static StructField[] concat(StructField[] a, StructField[] b) {
    StructField[] out = new StructField[a.length + b.length];
    System.arraycopy(a, 0, out, 0, a.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  /**
   * Writes {@code path/metadata} (params), {@code path/data} (x̂ and the summary's scalars, one Parquet row) and
   * {@code path/trace} (the trace, Parquet).
   */
  @Override
  public MLWriter write() {
    PhaseRetrievalModel model = this;
    return new MLWriter() {
      @Override
      public void saveImpl(String path) {
        SparkSession spark = sparkSession();
        MlIo.saveMetadata(model, path, spark);
        Object[] scalars = model.summary.scalars();
        Object[] values = new Object[scalars.length + 1];
        values[0] = Vectors.dense(model.estimate);
        System.arraycopy(scalars, 0, values, 1, scalars.length);
        spark.createDataFrame(List.of(RowFactory.create(values)), DATA_SCHEMA).coalesce(1).write()
            .parquet(new Path(path, "data").toString());
        spark.createDataFrame(model.summary.traceRows(), RecoverySummary.TRACE_SCHEMA).coalesce(1).write()
            .parquet(new Path(path, "trace").toString());
      }
    };
  }

  /** The reader of saved models. */
  public static MLReader<PhaseRetrievalModel> read() {
    return new MLReader<>() {
      @Override
      public PhaseRetrievalModel load(String path) {
        SparkSession spark = sparkSession();
        var metadata = MlIo.loadMetadata(path, spark, PhaseRetrievalModel.class);
        Row data = spark.read().parquet(new Path(path, "data").toString()).first();
        List<Row> trace = new ArrayList<>(spark.read().parquet(new Path(path, "trace").toString())
            .orderBy("iteration").collectAsList());
        Vector x = data.getAs("estimate");
        PhaseRetrievalModel model = new PhaseRetrievalModel(MlIo.uid(metadata), x.toArray(),
            RecoverySummary.of(data, 1, trace));
        MlIo.setParams(model, metadata);
        return model;
      }
    };
  }

  /** Loads a model saved with {@code write().save(path)}. */
  public static PhaseRetrievalModel load(String path) {
    return read().load(path);
  }
}
