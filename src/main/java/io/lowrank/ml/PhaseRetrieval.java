package io.lowrank.ml;

import io.lowrank.io.FrameReader;
import io.lowrank.run.Input;
import io.lowrank.run.PhaseRetrievalRun;
import io.lowrank.run.PhaseRetrievalSettings;
import io.lowrank.run.RunResult;
import org.apache.spark.ml.Estimator;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;
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
 * Phase retrieval as a spark.ml Estimator: recovers x* ∈ R^d (up to a global sign) from rows (a_i, y_i) with
 * y_i = (a_i^T x*)², by the spectral start and the chosen solver (smoothing Newton by default), every iteration one
 * distributed pass over the rows cached as blocks.
 *
 * <pre>{@code
 * PhaseRetrievalModel model = new PhaseRetrieval().setFeaturesCol("a").setLabelCol("y").fit(df);
 * model.summary();          // CONVERGED after 10 iterations ...
 * model.trace().show();     // loss, gradient norm, mu, passes, wall time per iteration
 * model.estimate();         // x̂ as an ml Vector
 * }</pre>
 *
 * <p>Params (validated when set; defaults are the library's, {@code reference.conf}): {@code solver}
 * (smoothing-newton), {@code schedule} (switching), {@code hessian} (gauss-newton), {@code tol} (1e-10), {@code maxIter}
 * (100), {@code seed} (1), {@code featuresCol} ("features": an ml Vector or an array of numbers), {@code labelCol}
 * ("label"), {@code predictionCol} ("prediction"), {@code truth} (x*, optional). {@code fit} refuses a DataFrame
 * without the columns, with nulls, NaN or infinite values, vectors of differing lengths or negative intensities,
 * naming the column and the row.
 */
public final class PhaseRetrieval extends Estimator<PhaseRetrievalModel> implements PhaseRetrievalParams, MLWritable {
  private static final long serialVersionUID = 1L;

  private final String uid;
  private final ParamDefs.Phase p;

  /** An estimator with the library's defaults. */
  public PhaseRetrieval() {
    this(Identifiable.randomUID("phaseRetrieval"));
  }

  /** An estimator with the given uid (as Spark's readers and {@code copy} create them). */
  public PhaseRetrieval(String uid) {
    this.uid = uid;
    this.p = new ParamDefs.Phase(this);
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

  public PhaseRetrieval setFeaturesCol(String value) {
    set(featuresCol(), value);
    return this;
  }

  public PhaseRetrieval setLabelCol(String value) {
    set(labelCol(), value);
    return this;
  }

  public PhaseRetrieval setPredictionCol(String value) {
    set(predictionCol(), value);
    return this;
  }

  /** The stopping tolerance (&gt; 0; default 1e-10). */
  public PhaseRetrieval setTol(double value) {
    set(tol(), value);
    return this;
  }

  /** The iteration budget (&gt;= 1; default 100). */
  public PhaseRetrieval setMaxIter(int value) {
    set(maxIter(), value);
    return this;
  }

  public PhaseRetrieval setSeed(long value) {
    set(seed(), value);
    return this;
  }

  /** smoothing-newton, bwgd, wirtinger-flow, amplitude-flow or mllib-lbfgs. */
  public PhaseRetrieval setSolver(String value) {
    set(solver(), value);
    return this;
  }

  /** switching, loss, quantile or fixed (smoothing-newton only). */
  public PhaseRetrieval setSchedule(String value) {
    set(schedule(), value);
    return this;
  }

  /** gauss-newton or full (smoothing-newton only). */
  public PhaseRetrieval setHessian(String value) {
    set(hessian(), value);
    return this;
  }

  /** The ground truth x*: the summary and trace then report the distance to it, and tol applies to it. */
  public PhaseRetrieval setTruth(Vector value) {
    set(truth(), value);
    return this;
  }

  /** {@link #setTruth(Vector)} from an array (e.g. {@code TruthFile.read}). */
  public PhaseRetrieval setTruth(double[] value) {
    return setTruth(Vectors.dense(value));
  }

  // ------------------------------------------------------------------------------------------------ fitting

  /**
   * Reads the features and label columns into cached blocks ({@link FrameReader}), solves with
   * {@link PhaseRetrievalRun}, and releases the blocks.
   *
   * @throws IllegalArgumentException for a bad DataFrame (naming the column and the row), a truth of the wrong length,
   *     or params that do not go together (e.g. solver bwgd with hessian full)
   */
  @Override
  public PhaseRetrievalModel fit(Dataset<?> dataset) {
    transformSchema(dataset.schema(), true);
    Vector truth = getTruth();
    RunResult r = PhaseRetrievalRun.run(dataset.sparkSession(), Input.frame(dataset.toDF(), getFeaturesCol(),
        getLabelCol()), truth == null ? null : truth.toArray(), settings());
    Object distance = r.summary().get("distance_to_truth");
    RecoverySummary summary = RecoverySummary.of(r.solver(), r.result(),
        truth == null || distance == null ? Double.NaN : (Double) distance, (Long) r.summary().get("n"), r.rows());
    PhaseRetrievalModel model = new PhaseRetrievalModel(uid, r.estimate(), summary);
    return copyValues(model, new ParamMap()).setParent(this);
  }

  /**
   * The run layer's settings of these params (the other keys at their defaults). The schedule and Hessian go first, so
   * that only the final combination with the solver is judged.
   */
  public PhaseRetrievalSettings settings() {
    return PhaseRetrievalSettings.defaults().withTol(getTol()).withMaxIter(getMaxIter()).withSeed(getSeed())
        .withSchedule(getSchedule()).withHessian(getHessian()).withSolver(getSolver());
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
  public PhaseRetrieval copy(ParamMap extra) {
    return defaultCopy(extra);
  }

  // ---------------------------------------------------------------------------------------------- save/load

  /** Saves the params (as Spark's {@code DefaultParamsWritable}). */
  @Override
  public MLWriter write() {
    return MlIo.paramsWriter(this);
  }

  /** The reader of saved estimators. */
  public static MLReader<PhaseRetrieval> read() {
    return MlIo.paramsReader(PhaseRetrieval.class);
  }

  /** Loads an estimator saved with {@code write().save(path)}. */
  public static PhaseRetrieval load(String path) {
    return read().load(path);
  }

  @Override
  public String toString() {
    return "PhaseRetrieval: uid=" + uid + ", solver=" + getSolver();
  }
}
