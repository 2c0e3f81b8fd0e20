package io.lowrank.ml;

import io.lowrank.data.LowRankTruth;
import io.lowrank.io.FrameReader;
import io.lowrank.run.Input;
import io.lowrank.run.RunResult;
import io.lowrank.run.SensingRun;
import io.lowrank.run.SensingSettings;
import org.apache.spark.ml.Estimator;
import org.apache.spark.ml.linalg.Matrix;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.Identifiable;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.types.StructType;

/**
 * Rank-one matrix sensing as a spark.ml Estimator: recovers M* = X*X*^T (d×d, rank r*) from rows (a_i, y_i) with
 * y_i = a_i^T M* a_i = ‖X*^T a_i‖², searching over factors X ∈ R^{d×r} with ScaledGD(λ) (default), ScaledGD, PrecGD,
 * GD or rank-r BWGD, every iteration one distributed pass. The model's estimate is the factor X̂ (d×r; X̂X̂^T ≈ M*,
 * X̂ itself defined up to an orthogonal r×r rotation).
 *
 * <pre>{@code
 * MatrixSensingModel model = new MatrixSensing().setRank(2).setFeaturesCol("a").setLabelCol("y").fit(df);
 * model.estimate();   // X̂ as an ml Matrix, d x r
 * }</pre>
 *
 * <p>Params (validated when set; defaults are the library's, {@code reference.conf} section {@code sensing}):
 * {@code solver} (scaledgd-lambda), {@code rank} (0 = 2 r* capped at d), {@code tol} (1e-8), {@code maxIter} (1000),
 * {@code seed} (1), {@code featuresCol}, {@code labelCol}, {@code predictionCol}, {@code truth} (X*, optional). The
 * step size, λ, the small-initialisation scale and PrecGD's c are the library's defaults.
 */
public final class MatrixSensing extends Estimator<MatrixSensingModel> implements MatrixSensingParams, MLWritable {
  private static final long serialVersionUID = 1L;

  private final String uid;
  private final ParamDefs.Sensing p;

  /** An estimator with the library's defaults. */
  public MatrixSensing() {
    this(Identifiable.randomUID("matrixSensing"));
  }

  /** An estimator with the given uid (as Spark's readers and {@code copy} create them). */
  public MatrixSensing(String uid) {
    this.uid = uid;
    this.p = new ParamDefs.Sensing(this);
  }

  @Override
  public String uid() {
    return uid;
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

  public MatrixSensing setFeaturesCol(String value) {
    set(featuresCol(), value);
    return this;
  }

  public MatrixSensing setLabelCol(String value) {
    set(labelCol(), value);
    return this;
  }

  public MatrixSensing setPredictionCol(String value) {
    set(predictionCol(), value);
    return this;
  }

  /** The stopping tolerance (&gt; 0; default 1e-8). */
  public MatrixSensing setTol(double value) {
    set(tol(), value);
    return this;
  }

  /** The iteration budget (&gt;= 1; default 1000). */
  public MatrixSensing setMaxIter(int value) {
    set(maxIter(), value);
    return this;
  }

  public MatrixSensing setSeed(long value) {
    set(seed(), value);
    return this;
  }

  /** scaledgd-lambda, scaledgd, precgd, gd or bwgd. */
  public MatrixSensing setSolver(String value) {
    set(solver(), value);
    return this;
  }

  /** The search rank r (&gt;= 0; 0 = 2 r* capped at d). */
  public MatrixSensing setRank(int value) {
    set(rank(), value);
    return this;
  }

  /** The ground truth factor X* (d×r*): the summary and trace then report the relative error, and tol applies to it. */
  public MatrixSensing setTruth(Matrix value) {
    set(truth(), value);
    return this;
  }

  // ------------------------------------------------------------------------------------------------ fitting

  /**
   * Reads the features and label columns into cached blocks ({@link FrameReader}), solves with {@link SensingRun}
   * (rank-one operator), and releases the blocks.
   *
   * @throws IllegalArgumentException for a bad DataFrame (naming the column and the row), a truth whose rows are not
   *     d or whose columns are dependent, or a rank above d
   */
  @Override
  public MatrixSensingModel fit(Dataset<?> dataset) {
    transformSchema(dataset.schema(), true);
    Matrix t = getTruth();
    LowRankTruth truth = t == null ? null : LowRankTruth.ofFactor(t.toArray(), t.numRows(), t.numCols());
    RunResult r = SensingRun.run(dataset.sparkSession(), Input.frame(dataset.toDF(), getFeaturesCol(), getLabelCol()),
        truth, settings());
    Object error = r.summary().get("relative_error");
    RecoverySummary summary = RecoverySummary.of(r.solver(), r.result(), error == null ? Double.NaN : (Double) error,
        (Long) r.summary().get("m"), r.rows());
    MatrixSensingModel model = new MatrixSensingModel(uid, r.estimate(), r.columns(), summary);
    return copyValues(model, new ParamMap()).setParent(this);
  }

  /** The run layer's settings of these params: the rank-one operator, the other keys at their defaults. */
  public SensingSettings settings() {
    return SensingSettings.defaults().with("operator", "rank-one").withTol(getTol()).withMaxIter(getMaxIter())
        .withSeed(getSeed()).withRank(getRank()).withSolver(getSolver());
  }

  /**
   * Checks the features and label columns (as {@link FrameReader} reads them) and adds the prediction column.
   *
   * @throws IllegalArgumentException naming a missing or mistyped column, or a prediction column that exists
   */
  @Override
  public StructType transformSchema(StructType schema) {
    FrameReader.checkSchema(schema, getFeaturesCol(), getLabelCol());
    return PhaseRetrievalModel.withPrediction(schema, getPredictionCol());
  }

  @Override
  public MatrixSensing copy(ParamMap extra) {
    return defaultCopy(extra);
  }

  // ---------------------------------------------------------------------------------------------- save/load

  /** Saves the params (as Spark's {@code DefaultParamsWritable}). */
  @Override
  public MLWriter write() {
    return MlIo.paramsWriter(this);
  }

  /** The reader of saved estimators. */
  public static MLReader<MatrixSensing> read() {
    return MlIo.paramsReader(MatrixSensing.class);
  }

  /** Loads an estimator saved with {@code write().save(path)}. */
  public static MatrixSensing load(String path) {
    return read().load(path);
  }

  @Override
  public String toString() {
    return "MatrixSensing: uid=" + uid + ", solver=" + getSolver() + ", rank=" + getRank();
  }
}
