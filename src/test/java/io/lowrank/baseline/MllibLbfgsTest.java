package io.lowrank.baseline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lowrank.SparkTestSession;
import io.lowrank.data.GaussianPhaseRetrieval;
import io.lowrank.engine.SparkEngine;
import io.lowrank.report.ChartAssertions;
import io.lowrank.report.Reports;
import io.lowrank.report.TruthDistance;
import io.lowrank.solve.Result;
import io.lowrank.solve.Status;
import io.lowrank.solve.StoppingRule;
import io.lowrank.solve.phase.PhaseRetrievalProblem;
import io.lowrank.solve.phase.SpectralInitializer;
import org.apache.spark.mllib.linalg.Vectors;
import org.apache.spark.storage.StorageLevel;
import org.junit.jupiter.api.Test;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import scala.Tuple2;

/** The MLlib L-BFGS baseline: its row gradient against finite differences, and convergence on an easy instance. */
class MllibLbfgsTest {

  @Test
  void rowGradientMatchesFiniteDifferencesOfTheRowLoss() {
    MllibLbfgs.IntensityGradient g = new MllibLbfgs.IntensityGradient();
    double[] a = {0.3, -1.2, 0.7};
    double[] x = {0.5, 0.1, -0.4};
    double y = 0.8;
    Tuple2<org.apache.spark.mllib.linalg.Vector, Object> out = g.compute(Vectors.dense(a), y, Vectors.dense(x));
    double[] grad = out._1().toArray();
    double h = 1e-6;
    for (int j = 0; j < 3; j++) {
      double[] up = x.clone();
      double[] down = x.clone();
      up[j] += h;
      down[j] -= h;
      double fd = ((Double) g.compute(Vectors.dense(a), y, Vectors.dense(up))._2()
          - (Double) g.compute(Vectors.dense(a), y, Vectors.dense(down))._2()) / (2 * h);
      assertEquals(fd, grad[j], 1e-8);
    }
  }

  /** The id of a trivial job run now: ids are consecutive, so two of them bracket the jobs run in between. */
  private static int nextJobId() {
    try {
      var job = SparkTestSession.jsc().parallelize(java.util.List.of(1), 1).countAsync();
      job.get();
      return job.jobIds().get(0);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void convergesAtRatio8() {
    GaussianPhaseRetrieval easy = new GaussianPhaseRetrieval(400, 50, 41L, 0.0, 64);
    try (SparkEngine engine = SparkEngine.generated(SparkTestSession.jsc(), easy, 2, "test", StorageLevel.MEMORY_ONLY());
        MllibLbfgs lbfgs = new MllibLbfgs(engine.blocks(), new StoppingRule(1e-8, 500, 0), 10, 1e-15)) {
      PhaseRetrievalProblem p = PhaseRetrievalProblem.setUp(engine, easy.truth());
      double[] x0 = SpectralInitializer.defaults(4L).initialize(p);
      long before = engine.passes();
      int firstJob = nextJobId();
      Result r = lbfgs.solve(p, x0);
      int jobsRun = nextJobId() - firstJob - 1;
      // MLlib's passes are its own jobs, counted by job group; job ids count them independently (nothing else runs
      // here): its count of the rows, then at least one evaluation per iteration.
      long mllibPasses = r.passes() - before;
      assertEquals(jobsRun, mllibPasses);
      assertTrue(mllibPasses >= 1 + r.iterations(), mllibPasses + " passes for " + r.iterations() + " iterations");
      assertEquals(mllibPasses, r.trace().records().get(r.trace().records().size() - 1).passes());
      assertTrue(p.distance(r.estimate()) < 1e-8, "distance " + p.distance(r.estimate()) + " after "
          + r.iterations() + " iterations");
      assertEquals(Status.CONVERGED, r.status());
      // Its plot: the loss at every iteration as a line, the two known distances as points, never a line between them.
      XYChart chart = Reports.convergenceChart(r.trace(), "mllib-lbfgs", TruthDistance.PHASE_RETRIEVAL);
      ChartAssertions.linesJoinOnlyConsecutiveIterations(chart);
      XYSeries loss = chart.getSeriesMap().get("loss (left axis)");
      assertEquals(r.trace().size(), loss.getXData().length);
      XYSeries distance = chart.getSeriesMap().values().stream().filter(s -> s.getYAxisGroup() == 1).findFirst()
          .orElseThrow();
      assertEquals(XYSeries.XYSeriesRenderStyle.Scatter, distance.getXYSeriesRenderStyle());
    }
  }
}
