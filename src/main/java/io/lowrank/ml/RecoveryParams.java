package io.lowrank.ml;

import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.Params;

/**
 * Params every recovery estimator and its model share: the columns, the stopping tolerance, the iteration budget and
 * the seed. Names and meanings follow Spark's shared params ({@code featuresCol}, {@code labelCol},
 * {@code predictionCol}, {@code tol}, {@code maxIter}, {@code seed}); the defaults of the last three are the library's.
 */
public interface RecoveryParams extends Params {
  /** Param of the column of sensing vectors a_i: an ml {@code Vector} or an array of numbers (default "features"). */
  Param<String> featuresCol();

  /** Param of the numeric column of measurements y_i (default "label"). */
  Param<String> labelCol();

  /** Param of the column {@code transform} adds, the predicted intensity (default "prediction"). */
  Param<String> predictionCol();

  /** Param of the stopping tolerance (&gt; 0): distance to the truth when one is set, else relative step. */
  DoubleParam tol();

  /** Param of the iteration budget (&gt;= 1). */
  IntParam maxIter();

  /** Param of the seed of every random draw (the spectral start's Lanczos vector, a small random start). */
  LongParam seed();

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
}
