package io.lowrank.ml;

import io.lowrank.run.PhaseRetrievalSettings;
import io.lowrank.run.PhaseRetrievalSolvers;
import io.lowrank.run.SensingSettings;
import java.io.Serializable;
import java.util.List;
import org.apache.spark.ml.linalg.Matrix;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamValidators;
import org.apache.spark.ml.param.Params;

/**
 * The param objects of one estimator or model, built for their owner in its constructor: the same names, docs,
 * validators and defaults whichever class holds them. Spark's Scala classes keep such params as fields of traits
 * ({@code HasFeaturesCol}, ...); Java interfaces cannot hold fields, so each instance holds one of these and the params
 * interfaces ({@link RecoveryParams}, {@link PhaseRetrievalParams}, {@link MatrixSensingParams}) read them through
 * {@code paramDefs()}. The classes are opaque outside this package. Defaults are the library's
 * ({@link PhaseRetrievalSettings#defaults()}, {@link SensingSettings#defaults()}: the {@code reference.conf} sections
 * {@code phase-retrieval} and {@code sensing}).
 */
public final class ParamDefs {
  static final List<String> PHASE_SOLVERS = PhaseRetrievalSolvers.NAMES;
  static final List<String> SCHEDULES = List.of("switching", "loss", "quantile", "fixed");
  static final List<String> HESSIANS = List.of("gauss-newton", "full");
  static final List<String> SENSING_SOLVERS = SensingSettings.SOLVERS;

  private ParamDefs() {}

  /** The params of {@link RecoveryParams}, with their defaults set on the owner. */
  public abstract static class Common implements Serializable {
    private static final long serialVersionUID = 1L;

    final Param<String> featuresCol;
    final Param<String> labelCol;
    final Param<String> predictionCol;
    final DoubleParam tol;
    final IntParam maxIter;
    final LongParam seed;
    final Param<String> solver;

    Common(Params owner, List<String> solvers, String defaultSolver, double defaultTol, int defaultMaxIter,
        long defaultSeed) {
      featuresCol = new Param<>(owner, "featuresCol",
          "features column name: the sensing vectors a_i, an ml Vector (dense or sparse) or an array of numbers");
      labelCol = new Param<>(owner, "labelCol", "label column name: the measurements y_i, numeric");
      predictionCol = new Param<>(owner, "predictionCol", "prediction column name: the predicted intensity");
      tol = new DoubleParam(owner, "tol", "the convergence tolerance for iterative algorithms (> 0): the distance to "
          + "the truth when one is set, else the relative step", ParamValidators.gt(0));
      maxIter = new IntParam(owner, "maxIter", "maximum number of iterations (>= 1)", ParamValidators.gtEq(1));
      seed = new LongParam(owner, "seed", "random seed");
      solver = new Param<>(owner, "solver", "the solver. Supported options: " + String.join(", ", solvers),
          ParamValidators.inArray(solvers));
      owner.setDefault(featuresCol, "features");
      owner.setDefault(labelCol, "label");
      owner.setDefault(predictionCol, "prediction");
      owner.setDefault(tol, defaultTol);
      owner.setDefault(maxIter, defaultMaxIter);
      owner.setDefault(seed, defaultSeed);
      owner.setDefault(solver, defaultSolver);
    }
  }

  /** The params of {@link PhaseRetrievalParams}. */
  public static final class Phase extends Common {
    private static final long serialVersionUID = 1L;

    final Param<String> schedule;
    final Param<String> hessian;
    final Param<Vector> truth;

    Phase(Params owner) {
      this(owner, PhaseRetrievalSettings.defaults());
    }

    private Phase(Params owner, PhaseRetrievalSettings defaults) {
      super(owner, PHASE_SOLVERS, defaults.solver(), defaults.tol(), defaults.maxIter(), defaults.seed());
      schedule = new Param<>(owner, "schedule", "the schedule of the smoothing parameter mu (smoothing-newton only). "
          + "Supported options: " + String.join(", ", SCHEDULES), ParamValidators.inArray(SCHEDULES));
      hessian = new Param<>(owner, "hessian", "the curvature of the Newton step (smoothing-newton only). "
          + "Supported options: " + String.join(", ", HESSIANS), ParamValidators.inArray(HESSIANS));
      truth = new Param<>(owner, "truth", "the ground truth x* (optional, d values): enables the distance to the "
          + "truth in the summary and trace, and stops at distance <= tol");
      owner.setDefault(schedule, defaults.schedule());
      owner.setDefault(hessian, defaults.hessian());
    }
  }

  /** The params of {@link MatrixSensingParams}. */
  public static final class Sensing extends Common {
    private static final long serialVersionUID = 1L;

    final IntParam rank;
    final Param<Matrix> truth;

    Sensing(Params owner) {
      this(owner, SensingSettings.defaults());
    }

    private Sensing(Params owner, SensingSettings defaults) {
      super(owner, SENSING_SOLVERS, defaults.solver(), defaults.tol(), defaults.maxIter(), defaults.seed());
      rank = new IntParam(owner, "rank", "the search rank r, columns of the factor X (>= 0; 0 = 2 r* capped at d, "
          + "r* the truth's rank or the library's default)", ParamValidators.gtEq(0));
      truth = new Param<>(owner, "truth", "the ground truth factor X* (optional, d x r*): enables the relative error "
          + "||XX^T - M*||_F/||M*||_F in the summary and trace, and stops when it is <= tol");
      owner.setDefault(rank, defaults.rank());
    }
  }
}
