package io.lowrank.ml;

import io.lowrank.io.FrameReader;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.fs.Path;
import org.apache.spark.ml.Model;
import org.apache.spark.ml.linalg.DenseMatrix;
import org.apache.spark.ml.linalg.DenseVector;
import org.apache.spark.ml.linalg.Matrix;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.SparseVector;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The result of {@link MatrixSensing#fit}: the factor X̂ (d×r, X̂X̂^T ≈ M*), the {@link RecoverySummary} of the solve
 * and its trace. {@code transform} adds the predicted measurement ‖X̂^T a‖² = a^T X̂X̂^T a of each row's features.
 * Saved with {@code write().save(path)}, loaded with {@link #load(String)}.
 */
public final class MatrixSensingModel extends Model<MatrixSensingModel> implements MatrixSensingParams, MLWritable {
  private static final long serialVersionUID = 1L;

  private final String uid;
  private final ParamDefs.Sensing p;
  private final double[] factor;
  private final int r;
  private final RecoverySummary summary;

  MatrixSensingModel(String uid, double[] factor, int r, RecoverySummary summary) {
    this.uid = uid;
    this.p = new ParamDefs.Sensing(this);
    this.factor = factor.clone();
    this.r = r;
    this.summary = summary;
  }

  @Override
  public String uid() {
    return uid;
  }

  /** The factor X̂, d×r (column-major, as the library holds it). */
  public Matrix estimate() {
    return new DenseMatrix(factor.length / r, r, factor.clone());
  }

  /** The estimate of M* = X̂X̂^T, d×d. */
  public Matrix matrix() {
    DenseMatrix x = (DenseMatrix) estimate();
    return x.multiply((DenseMatrix) x.transpose());
  }

  /** Dimension d of the sensing vectors the model was fit on. */
  public int numFeatures() {
    return factor.length / r;
  }

  /** How the solve ended: status, iterations, passes, seconds, relative error when a truth was set. */
  public RecoverySummary summary() {
    return summary;
  }

  /** The per-iteration trace as a DataFrame in the active SparkSession (see {@link PhaseRetrievalModel#trace()}). */
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
  public IntParam rank() {
    return p.rank;
  }

  @Override
  public Param<Matrix> truth() {
    return p.truth;
  }

  public MatrixSensingModel setFeaturesCol(String value) {
    set(featuresCol(), value);
    return this;
  }

  public MatrixSensingModel setPredictionCol(String value) {
    set(predictionCol(), value);
    return this;
  }

  // ----------------------------------------------------------------------------------------------- predicting

  /** The predicted measurement ‖X̂^T a‖² of one sensing vector. */
  public double predict(Vector features) {
    return quadratic(factor, r, features);
  }

  /**
   * Adds the prediction column ‖X̂^T a‖² (null where the features are null).
   *
   * @throws IllegalArgumentException when the features column is missing or mistyped, or the prediction column exists
   */
  @Override
  public Dataset<Row> transform(Dataset<?> dataset) {
    transformSchema(dataset.schema(), true);
    double[] x = factor.clone();
    int rank = r;
    UserDefinedFunction predict = functions.udf((UDF1<Vector, Double>) a -> a == null ? null : quadratic(x, rank, a),
        DataTypes.DoubleType);
    return dataset.withColumn(getPredictionCol(),
        predict.apply(PhaseRetrievalModel.features(dataset.schema(), getFeaturesCol())));
  }

  /** Σ_k (a^T x_k)² over the r columns of x (d×r column-major), for dense and sparse a. */
  static double quadratic(double[] x, int r, Vector a) {
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

  @Override
  public StructType transformSchema(StructType schema) {
    FrameReader.checkSchema(schema, getFeaturesCol(), null);
    return PhaseRetrievalModel.withPrediction(schema, getPredictionCol());
  }

  @Override
  public MatrixSensingModel copy(ParamMap extra) {
    MatrixSensingModel copied = copyValues(new MatrixSensingModel(uid, factor, r, summary), extra);
    return copied.setParent(parent());
  }

  @Override
  public String toString() {
    return "MatrixSensingModel: uid=" + uid + ", d=" + numFeatures() + ", r=" + r + ", " + summary.status();
  }

  // ---------------------------------------------------------------------------------------------- save/load

  private static final StructType DATA_SCHEMA = new StructType(PhaseRetrievalModel.concat(
      new StructType().add("estimate", SQLDataTypes.MatrixType(), false).fields(),
      RecoverySummary.SCALARS_SCHEMA.fields()));

  /**
   * Writes {@code path/metadata} (params), {@code path/data} (X̂ and the summary's scalars, one Parquet row) and
   * {@code path/trace} (the trace, Parquet).
   */
  @Override
  public MLWriter write() {
    MatrixSensingModel model = this;
    return new MLWriter() {
      @Override
      public void saveImpl(String path) {
        SparkSession spark = sparkSession();
        MlIo.saveMetadata(model, path, spark);
        Object[] scalars = model.summary.scalars();
        Object[] values = new Object[scalars.length + 1];
        values[0] = model.estimate();
        System.arraycopy(scalars, 0, values, 1, scalars.length);
        spark.createDataFrame(List.of(RowFactory.create(values)), DATA_SCHEMA).coalesce(1).write()
            .parquet(new Path(path, "data").toString());
        spark.createDataFrame(model.summary.traceRows(), RecoverySummary.TRACE_SCHEMA).coalesce(1).write()
            .parquet(new Path(path, "trace").toString());
      }
    };
  }

  /** The reader of saved models. */
  public static MLReader<MatrixSensingModel> read() {
    return new MLReader<>() {
      @Override
      public MatrixSensingModel load(String path) {
        SparkSession spark = sparkSession();
        var metadata = MlIo.loadMetadata(path, spark, MatrixSensingModel.class);
        Row data = spark.read().parquet(new Path(path, "data").toString()).first();
        List<Row> trace = new ArrayList<>(spark.read().parquet(new Path(path, "trace").toString())
            .orderBy("iteration").collectAsList());
        Matrix x = data.getAs("estimate");
        MatrixSensingModel model = new MatrixSensingModel(MlIo.uid(metadata), x.toArray(), x.numCols(),
            RecoverySummary.of(data, 1, trace));
        MlIo.setParams(model, metadata);
        return model;
      }
    };
  }

  /** Loads a model saved with {@code write().save(path)}. */
  public static MatrixSensingModel load(String path) {
    return read().load(path);
  }
}
