package io.lowrank.ml;

import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.types.DataType;

/**
 * The result of {@link PhaseRetrieval#fit}: the estimate x̂ (defined up to a global sign), the {@link RecoverySummary}
 * of the solve and its trace. {@code transform} adds the predicted intensity |a^T x̂|² of each row's features as the
 * prediction column. Saved with {@code write().save(path)} (params as metadata, x̂ and the summary as Parquet), loaded
 * with {@link #load(String)}.
 */
public final class PhaseRetrievalModel extends RecoveryModel<PhaseRetrievalModel, ParamDefs.Phase, Vector>
    implements PhaseRetrievalParams {
  private static final long serialVersionUID = 1L;

  private final double[] estimate;

  PhaseRetrievalModel(String uid, double[] estimate, RecoverySummary summary) {
    super(uid, ParamDefs.Phase::new, summary);
    this.estimate = estimate.clone();
  }

  /** The estimate x̂ (d values). */
  @Override
  public Vector estimate() {
    return Vectors.dense(estimate.clone());
  }

  @Override
  public int numFeatures() {
    return estimate.length;
  }

  /** The predicted intensity |a^T x̂|² of one sensing vector. */
  public double predict(Vector features) {
    return squaredNorm(estimate, 1, features);
  }

  @Override
  UDF1<Vector, Double> predictor() {
    double[] x = estimate.clone();
    return a -> squaredNorm(x, 1, a);
  }

  @Override
  PhaseRetrievalModel sameFit() {
    return new PhaseRetrievalModel(uid(), estimate, summary());
  }

  @Override
  DataType estimateType() {
    return SQLDataTypes.VectorType();
  }

  @Override
  public String toString() {
    return "PhaseRetrievalModel: uid=" + uid() + ", d=" + estimate.length + ", " + summary().status();
  }

  /** The reader of saved models. */
  public static MLReader<PhaseRetrievalModel> read() {
    return reader(PhaseRetrievalModel.class,
        (String uid, Vector x, RecoverySummary summary) -> new PhaseRetrievalModel(uid, x.toArray(), summary));
  }

  /** Loads a model saved with {@code write().save(path)}. */
  public static PhaseRetrievalModel load(String path) {
    return read().load(path);
  }
}
