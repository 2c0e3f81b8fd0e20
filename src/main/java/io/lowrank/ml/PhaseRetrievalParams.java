package io.lowrank.ml;

import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.param.Param;

/**
 * Params of {@link PhaseRetrieval} and {@link PhaseRetrievalModel}: those of {@link RecoveryParams} (the solver one of
 * smoothing-newton (default), bwgd, wirtinger-flow, amplitude-flow, mllib-lbfgs), the smoothing schedule, the Hessian
 * and the truth x*.
 */
public interface PhaseRetrievalParams extends RecoveryParams {
  @Override
  ParamDefs.Phase paramDefs();

  /** Param of the schedule of the smoothing parameter μ (smoothing-newton only): loss (default), quantile, fixed. */
  default Param<String> schedule() {
    return paramDefs().schedule;
  }

  /** Param of the curvature of the Newton step (smoothing-newton only): gauss-newton (default) or full. */
  default Param<String> hessian() {
    return paramDefs().hessian;
  }

  /** Param of the ground truth x* (optional): enables the distance to the truth and the distance stopping rule. */
  default Param<Vector> truth() {
    return paramDefs().truth;
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
