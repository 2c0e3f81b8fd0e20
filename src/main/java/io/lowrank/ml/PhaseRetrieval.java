package io.lowrank.ml;

import io.lowrank.io.FrameReader;
import io.lowrank.run.Input;
import io.lowrank.run.PhaseRetrievalRun;
import io.lowrank.run.PhaseRetrievalSettings;
import io.lowrank.run.RunResult;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.ml.util.Identifiable;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.Dataset;

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
public final class PhaseRetrieval extends RecoveryEstimator<PhaseRetrieval, PhaseRetrievalModel, ParamDefs.Phase>
    implements PhaseRetrievalParams {
  private static final long serialVersionUID = 1L;

  /** An estimator with the library's defaults. */
  public PhaseRetrieval() {
    this(Identifiable.randomUID("phaseRetrieval"));
  }

  /** An estimator with the given uid (as Spark's readers and {@code copy} create them). */
  public PhaseRetrieval(String uid) {
    super(uid, ParamDefs.Phase::new);
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

  /**
   * Reads the features and label columns into cached blocks ({@link FrameReader}), solves with
   * {@link PhaseRetrievalRun}, and releases the blocks.
   *
   * @throws IllegalArgumentException for a bad DataFrame (naming the column and the row), a truth of the wrong length,
   *     or params that do not go together (e.g. solver bwgd with hessian full)
   */
  @Override
  PhaseRetrievalModel train(Dataset<?> dataset) {
    Vector truth = getTruth();
    RunResult r = PhaseRetrievalRun.run(dataset.sparkSession(), Input.frame(dataset.toDF(), getFeaturesCol(),
        getLabelCol()), truth == null ? null : truth.toArray(), settings());
    Object distance = r.summary().get("distance_to_truth");
    RecoverySummary summary = RecoverySummary.of(r.solver(), r.result(),
        truth == null || distance == null ? Double.NaN : (Double) distance, (Long) r.summary().get("n"), r.rows());
    return new PhaseRetrievalModel(uid(), r.estimate(), summary);
  }

  /**
   * The run layer's settings of these params (the other keys at their defaults). The schedule and Hessian go first, so
   * that only the final combination with the solver is judged.
   */
  public PhaseRetrievalSettings settings() {
    return PhaseRetrievalSettings.defaults().withTol(getTol()).withMaxIter(getMaxIter()).withSeed(getSeed())
        .withSchedule(getSchedule()).withHessian(getHessian()).withSolver(getSolver());
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
    return "PhaseRetrieval: uid=" + uid() + ", solver=" + getSolver();
  }
}
