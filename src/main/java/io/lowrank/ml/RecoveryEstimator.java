package io.lowrank.ml;

import io.lowrank.io.FrameReader;
import java.util.function.Function;
import org.apache.spark.ml.Estimator;
import org.apache.spark.ml.Model;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.param.Params;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.types.StructType;

/**
 * What the recovery estimators share, as Spark's {@code Predictor} does for its learners: the uid and the instance's
 * params, the setters of {@link RecoveryParams} (returning the estimator itself), the schema check, the sequence of
 * {@code fit} (check the schema, {@link #train}, copy the params onto the model, set its parent), {@code copy} and
 * saving the params. A family adds its own params' setters, {@link #train} and the static {@code read()} and
 * {@code load(path)}, which stay on each class because Spark's readers (a {@code Pipeline}'s) look them up there.
 *
 * @param <E> the estimator itself
 * @param <M> the model it fits
 * @param <D> its param objects
 */
public abstract class RecoveryEstimator<E extends RecoveryEstimator<E, M, D>, M extends Model<M>,
    D extends ParamDefs.Common> extends Estimator<M> implements RecoveryParams, MLWritable {
  private static final long serialVersionUID = 1L;

  private final String uid;
  private final D defs;

  /** An estimator with {@code uid} and the params {@code defs} builds for it (the uid first: params copy it). */
  RecoveryEstimator(String uid, Function<Params, D> defs) {
    this.uid = uid;
    this.defs = defs.apply(this);
  }

  @Override
  public String uid() {
    return uid;
  }

  @Override
  public D paramDefs() {
    return defs;
  }

  @SuppressWarnings("unchecked")
  final E self() {
    return (E) this;
  }

  public E setFeaturesCol(String value) {
    set(featuresCol(), value);
    return self();
  }

  public E setLabelCol(String value) {
    set(labelCol(), value);
    return self();
  }

  public E setPredictionCol(String value) {
    set(predictionCol(), value);
    return self();
  }

  /** The stopping tolerance (&gt; 0; the default is the family's section of {@code reference.conf}). */
  public E setTol(double value) {
    set(tol(), value);
    return self();
  }

  /** The iteration budget (&gt;= 1; the default is the family's). */
  public E setMaxIter(int value) {
    set(maxIter(), value);
    return self();
  }

  public E setSeed(long value) {
    set(seed(), value);
    return self();
  }

  /** One of the family's solvers (the param's doc lists them). */
  public E setSolver(String value) {
    set(solver(), value);
    return self();
  }

  /**
   * Checks the schema, solves ({@link #train}) and returns the model with this estimator's params and as its parent.
   *
   * @throws IllegalArgumentException for a bad DataFrame (naming the column and the row), a truth that does not fit the
   *     data, or params that do not go together
   */
  @Override
  public M fit(Dataset<?> dataset) {
    transformSchema(dataset.schema(), true);
    return copyValues(train(dataset), new ParamMap()).setParent(this);
  }

  /** The model fit on {@code dataset} (its schema checked already), params not yet copied. */
  abstract M train(Dataset<?> dataset);

  /**
   * Checks the features and label columns (as {@link FrameReader} reads them) and adds the prediction column.
   *
   * @throws IllegalArgumentException naming a missing or mistyped column, or a prediction column that exists
   */
  @Override
  public StructType transformSchema(StructType schema) {
    FrameReader.checkSchema(schema, getFeaturesCol(), getLabelCol());
    return RecoveryModel.withPrediction(schema, getPredictionCol());
  }

  @Override
  public E copy(ParamMap extra) {
    return defaultCopy(extra);
  }

  /** Saves the params (as Spark's {@code DefaultParamsWritable}). */
  @Override
  public MLWriter write() {
    return MlIo.paramsWriter(this);
  }
}
