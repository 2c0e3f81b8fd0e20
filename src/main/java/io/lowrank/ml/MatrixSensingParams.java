package io.lowrank.ml;

import org.apache.spark.ml.linalg.Matrix;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.Param;

/**
 * Params of {@link MatrixSensing} and {@link MatrixSensingModel}: those of {@link RecoveryParams} (the solver one of
 * scaledgd-lambda (default), scaledgd, precgd, gd, bwgd (rank-r BWGD)), the search rank and the truth X*.
 */
public interface MatrixSensingParams extends RecoveryParams {
  @Override
  ParamDefs.Sensing paramDefs();

  /**
   * Param of the search rank r, the columns of X̂ (&gt;= 0): 0 (default) = 2 r* capped at d, with r* the truth's rank,
   * or the library's default r* when no truth is set.
   */
  default IntParam rank() {
    return paramDefs().rank;
  }

  /** Param of the ground truth X* (d×r*, optional): enables the relative error and the error stopping rule. */
  default Param<Matrix> truth() {
    return paramDefs().truth;
  }

  default int getRank() {
    return (Integer) getOrDefault(rank());
  }

  /** The truth X*, or null when it is not set. */
  default Matrix getTruth() {
    return isDefined(truth()) ? getOrDefault(truth()) : null;
  }
}
