package io.lowrank.ml;

import org.apache.spark.ml.linalg.DenseMatrix;
import org.apache.spark.ml.linalg.Matrix;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.types.DataType;

/**
 * The result of {@link MatrixSensing#fit}: the factor X̂ (d×r, X̂X̂^T ≈ M*), the {@link RecoverySummary} of the solve
 * and its trace. {@code transform} adds the predicted measurement ‖X̂^T a‖² = a^T X̂X̂^T a of each row's features.
 * Saved with {@code write().save(path)}, loaded with {@link #load(String)}.
 */
public final class MatrixSensingModel extends RecoveryModel<MatrixSensingModel, ParamDefs.Sensing, Matrix>
    implements MatrixSensingParams {
  private static final long serialVersionUID = 1L;

  private final double[] factor;
  private final int r;

  MatrixSensingModel(String uid, double[] factor, int r, RecoverySummary summary) {
    super(uid, ParamDefs.Sensing::new, summary);
    this.factor = factor.clone();
    this.r = r;
  }

  /** The factor X̂, d×r (column-major, as the library holds it). */
  @Override
  public Matrix estimate() {
    return new DenseMatrix(factor.length / r, r, factor.clone());
  }

  /** The estimate of M* = X̂X̂^T, d×d. */
  public Matrix matrix() {
    DenseMatrix x = (DenseMatrix) estimate();
    return x.multiply((DenseMatrix) x.transpose());
  }

  @Override
  public int numFeatures() {
    return factor.length / r;
  }

  /** The predicted measurement ‖X̂^T a‖² of one sensing vector. */
  public double predict(Vector features) {
    return squaredNorm(factor, r, features);
  }

  @Override
  UDF1<Vector, Double> predictor() {
    double[] x = factor.clone();
    int rank = r;
    return a -> squaredNorm(x, rank, a);
  }

  @Override
  MatrixSensingModel sameFit() {
    return new MatrixSensingModel(uid(), factor, r, summary());
  }

  @Override
  DataType estimateType() {
    return SQLDataTypes.MatrixType();
  }

  @Override
  public String toString() {
    return "MatrixSensingModel: uid=" + uid() + ", d=" + numFeatures() + ", r=" + r + ", " + summary().status();
  }

  /** The reader of saved models. */
  public static MLReader<MatrixSensingModel> read() {
    return reader(MatrixSensingModel.class,
        (String uid, Matrix x, RecoverySummary summary) -> new MatrixSensingModel(uid, x.toArray(), x.numCols(),
            summary));
  }

  /** Loads a model saved with {@code write().save(path)}. */
  public static MatrixSensingModel load(String path) {
    return read().load(path);
  }
}
