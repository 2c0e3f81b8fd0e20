package io.lowrank.ml;

import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.Params;

/**
 * Params every recovery estimator and its model share: the columns, the solver, the stopping tolerance, the iteration
 * budget and the seed. Names and meanings follow Spark's shared params ({@code featuresCol}, {@code labelCol},
 * {@code predictionCol}, {@code tol}, {@code maxIter}, {@code seed}); the defaults of the last four are the family's.
 * The param objects live in the instance's {@link #paramDefs()} (Java interfaces hold no fields), so each accessor is
 * written once here and serves the estimator and the model alike.
 */
public interface RecoveryParams extends Params {
  /** The param objects this instance owns, built in its constructor: the plumbing behind the accessors. */
  ParamDefs.Common paramDefs();

  /** Param of the column of sensing vectors a_i: an ml {@code Vector} or an array of numbers (default "features"). */
  default Param<String> featuresCol() {
    return paramDefs().featuresCol;
  }

  /** Param of the numeric column of measurements y_i (default "label"). */
  default Param<String> labelCol() {
    return paramDefs().labelCol;
  }

  /** Param of the column {@code transform} adds, the predicted intensity (default "prediction"). */
  default Param<String> predictionCol() {
    return paramDefs().predictionCol;
  }

  /** Param of the stopping tolerance (&gt; 0): distance to the truth when one is set, else relative step. */
  default DoubleParam tol() {
    return paramDefs().tol;
  }

  /** Param of the iteration budget (&gt;= 1). */
  default IntParam maxIter() {
    return paramDefs().maxIter;
  }

  /** Param of the seed of every random draw (the spectral start's Lanczos vector, a small random start). */
  default LongParam seed() {
    return paramDefs().seed;
  }

  /** Param of the solver: one of the family's (listed in the param's doc and the family's params interface). */
  default Param<String> solver() {
    return paramDefs().solver;
  }

  default String getFeaturesCol() {
    return getOrDefault(featuresCol());
  }

  default String getLabelCol() {
    return getOrDefault(labelCol());
  }

  default String getPredictionCol() {
    return getOrDefault(predictionCol());
  }

  default double getTol() {
    return (Double) getOrDefault(tol());
  }

  default int getMaxIter() {
    return (Integer) getOrDefault(maxIter());
  }

  default long getSeed() {
    return (Long) getOrDefault(seed());
  }

  default String getSolver() {
    return getOrDefault(solver());
  }
}
