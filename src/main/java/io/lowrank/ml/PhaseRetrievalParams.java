package io.lowrank.ml;

import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.param.Param;

/** Params of {@link PhaseRetrieval} and {@link PhaseRetrievalModel}. */
public interface PhaseRetrievalParams extends RecoveryParams {
  /** Param of the solver: smoothing-newton (default), bwgd, wirtinger-flow, amplitude-flow, mllib-lbfgs. */
  Param<String> solver();

  /** Param of the schedule of the smoothing parameter μ (smoothing-newton only): loss (default), quantile, fixed. */
  Param<String> schedule();

  /** Param of the curvature of the Newton step (smoothing-newton only): gauss-newton (default) or full. */
  Param<String> hessian();

  /** Param of the ground truth x* (optional): enables the distance to the truth and the distance stopping rule. */
  Param<Vector> truth();

  default String getSolver() {
    return getOrDefault(solver());
  }

  default String getSchedule() {
    return getOrDefault(schedule());
  }

  default String getHessian() {
    return getOrDefault(hessian());
  }

  /** The truth x*, or null when it is not set. */
  default Vector getTruth() {
    return isDefined(truth()) ? getOrDefault(truth()) : null;
  }
}
