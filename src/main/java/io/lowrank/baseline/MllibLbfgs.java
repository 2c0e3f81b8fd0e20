package io.lowrank.baseline;

import io.lowrank.data.Block;
import io.lowrank.engine.SparkEngine;
import io.lowrank.solve.Result;
import io.lowrank.solve.Status;
import io.lowrank.solve.Stopping;
import io.lowrank.solve.StoppingRule;
import io.lowrank.solve.Trace;
import io.lowrank.solve.phase.PhaseRetrievalProblem;
import io.lowrank.solve.phase.PhaseRetrievalSolver;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.spark.SparkContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.mllib.linalg.DenseVector;
import org.apache.spark.mllib.linalg.Vector;
import org.apache.spark.mllib.linalg.Vectors;
import org.apache.spark.mllib.optimization.Gradient;
import org.apache.spark.mllib.optimization.LBFGS;
import org.apache.spark.mllib.optimization.SimpleUpdater;
import org.apache.spark.storage.StorageLevel;
import scala.Tuple2;

/**
 * The baseline "what a Spark user would do without us": Spark MLlib's {@link LBFGS} on the intensity loss
 * (1/4n) Σ ((a_i^T x)² − y_i)² through a custom {@link Gradient}, over the same measurements turned into MLlib's
 * usual RDD of (label, vector) rows, one object per measurement, cached. MLlib reports only its loss history
 * (the intensity loss, in the trace's loss column); the distance to the truth is known for the final iterate only,
 * and its passes (Spark jobs: one per loss-and-gradient evaluation, line search included) are counted for the
 * whole solve, in the last trace record (from the jobs Spark's status tracker retains: spark.ui.retainedJobs, 1000
 * by default).
 */
public final class MllibLbfgs implements PhaseRetrievalSolver, AutoCloseable {
  private final JavaRDD<Tuple2<Object, Vector>> rows;
  private final StoppingRule stopping;
  private final int corrections;
  private final double convergenceTol;

  /**
   * Converts the blocks to cached MLlib rows (one job), so that {@link #solve} times the optimisation alone.
   *
   * @param corrections L-BFGS memory (MLlib's numCorrections; 10 is its default)
   * @param convergenceTol MLlib's relative tolerance on the loss
   */
  public MllibLbfgs(JavaRDD<Block> blocks, StoppingRule stopping, int corrections, double convergenceTol) {
    if (corrections < 1) {
      throw new IllegalArgumentException("lbfgs.corrections must be >= 1, got " + corrections);
    }
    if (!(convergenceTol >= 0)) {
      throw new IllegalArgumentException("lbfgs.tol must be >= 0, got " + convergenceTol);
    }
    this.stopping = stopping;
    this.corrections = corrections;
    this.convergenceTol = convergenceTol;
    this.rows = blocks.flatMap(MllibLbfgs::toRows).persist(StorageLevel.MEMORY_ONLY());
    this.rows.count();
  }

  private static java.util.Iterator<Tuple2<Object, Vector>> toRows(Block b) {
    List<Tuple2<Object, Vector>> out = new ArrayList<>(b.rows);
    for (int i = 0; i < b.rows; i++) {
      double[] a = new double[b.d];
      for (int j = 0; j < b.d; j++) {
        a[j] = b.a(i, j);
      }
      out.add(new Tuple2<>(b.y[i], Vectors.dense(a)));
    }
    return out.iterator();
  }

  @Override
  public String name() {
    return "mllib-lbfgs";
  }

  @Override
  public Result solve(PhaseRetrievalProblem p, double[] x0) {
    long start = System.nanoTime();
    SparkContext sc = rows.context();
    // Its own job group, to count MLlib's passes (one job per loss-and-gradient evaluation).
    String group = "mllib-lbfgs-" + UUID.randomUUID();
    sc.setJobGroup(group, "mllib-lbfgs: loss and gradient", false);
    Tuple2<Vector, double[]> out;
    try {
      out = LBFGS.runLBFGS(rows.rdd(), new IntensityGradient(), new SimpleUpdater(), corrections, convergenceTol,
          stopping.maxIterations(), 0.0, Vectors.dense(x0.clone()));
    } finally {
      sc.clearJobGroup();
    }
    long millis = (System.nanoTime() - start) / 1_000_000;
    int passes = sc.statusTracker().getJobIdsForGroup(group).length;
    double[] x = out._1().toArray();
    double[] history = out._2();
    Trace trace = new Trace();
    for (int t = 0; t < history.length; t++) {
      boolean last = t == history.length - 1;
      trace.add(new Trace.Record(t, history[t], Double.NaN, Double.NaN, Double.NaN,
          t == 0 ? p.distance(x0) : last ? p.distance(x) : Double.NaN, last ? passes : 0, last ? millis : 0));
    }
    // MLlib ran the loop; the shared rule judges where it ended (no step is known, so only divergence and the
    // distance to the truth apply). Otherwise MLlib stopped on the budget or on its own loss criterion, which
    // counts as converged only when the truth cannot say otherwise.
    Trace.Record end = new Trace.Record(history.length - 1, history[history.length - 1], Double.NaN, Double.NaN,
        Double.NaN, p.distance(x), passes, millis);
    Status status = stopping.check(new Stopping.Progress(end, x, history[0], Double.POSITIVE_INFINITY, p.hasTruth(),
        true));
    if (status == null) {
      status = history.length - 1 >= stopping.maxIterations() ? Status.MAX_ITER
          : p.hasTruth() ? Status.STALLED : Status.CONVERGED;
    }
    return new Result(x, status, trace, p.passes() + passes, (System.nanoTime() - start) / 1e9);
  }

  /** Partitions of the MLlib rows in Spark's storage, and of the rows in all: see {@link SparkEngine#cachedPartitions()}. */
  public int[] cachedPartitions() {
    return new int[] {SparkEngine.cachedPartitions(rows.id(), rows.getNumPartitions()), rows.getNumPartitions()};
  }

  /** Unpersists the MLlib rows. */
  @Override
  public void close() {
    rows.unpersist(false);
  }

  /** MLlib gradient of ((a^T x)² − y)²/4: ((a^T x)² − y)(a^T x) a, row by row (MLlib's contract). */
  static final class IntensityGradient extends Gradient {
    private static final long serialVersionUID = 1L;

    @Override
    public double compute(Vector data, double label, Vector weights, Vector cumGradient) {
      double[] a = data.toArray();
      double[] x = weights.toArray();
      double z = 0;
      for (int j = 0; j < a.length; j++) {
        z += a[j] * x[j];
      }
      double r = z * z - label;
      double[] g = ((DenseVector) cumGradient).values();
      for (int j = 0; j < a.length; j++) {
        g[j] += r * z * a[j];
      }
      return 0.25 * r * r;
    }

    @Override
    public Tuple2<Vector, Object> compute(Vector data, double label, Vector weights) {
      double[] g = new double[weights.size()];
      double loss = compute(data, label, weights, Vectors.dense(g));
      return new Tuple2<>(Vectors.dense(g), loss);
    }
  }
}
