package io.lowrank.ml;

import io.lowrank.data.LowRankTruth;
import io.lowrank.io.FrameReader;
import io.lowrank.run.Input;
import io.lowrank.run.RunResult;
import io.lowrank.run.SensingRun;
import io.lowrank.run.SensingSettings;
import org.apache.spark.ml.linalg.Matrix;
import org.apache.spark.ml.util.Identifiable;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.Dataset;

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
public final class MatrixSensing extends RecoveryEstimator<MatrixSensing, MatrixSensingModel, ParamDefs.Sensing>
    implements MatrixSensingParams {
  private static final long serialVersionUID = 1L;

  /** An estimator with the library's defaults. */
  public MatrixSensing() {
    this(Identifiable.randomUID("matrixSensing"));
  }

  /** An estimator with the given uid (as Spark's readers and {@code copy} create them). */
  public MatrixSensing(String uid) {
    super(uid, ParamDefs.Sensing::new);
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

  /**
   * Reads the features and label columns into cached blocks ({@link FrameReader}), solves with {@link SensingRun}
   * (rank-one operator), and releases the blocks.
   *
   * @throws IllegalArgumentException for a bad DataFrame (naming the column and the row), a truth whose rows are not
   *     d or whose columns are dependent, or a rank above d
   */
  @Override
  MatrixSensingModel train(Dataset<?> dataset) {
    Matrix t = getTruth();
    LowRankTruth truth = t == null ? null : LowRankTruth.ofFactor(t.toArray(), t.numRows(), t.numCols());
    RunResult r = SensingRun.run(dataset.sparkSession(), Input.frame(dataset.toDF(), getFeaturesCol(), getLabelCol()),
        truth, settings());
    Object error = r.summary().get("relative_error");
    RecoverySummary summary = RecoverySummary.of(r.solver(), r.result(), error == null ? Double.NaN : (Double) error,
        (Long) r.summary().get("m"), r.rows());
    return new MatrixSensingModel(uid(), r.estimate(), r.columns(), summary);
  }

  /** The run layer's settings of these params: the rank-one operator, the other keys at their defaults. */
  public SensingSettings settings() {
    return SensingSettings.defaults().with("operator", "rank-one").withTol(getTol()).withMaxIter(getMaxIter())
        .withSeed(getSeed()).withRank(getRank()).withSolver(getSolver());
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
    return "MatrixSensing: uid=" + uid() + ", solver=" + getSolver() + ", rank=" + getRank();
  }
}
