package io.lowrank;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lowrank.engine.SparkEngine;
import io.lowrank.io.MeasurementReader;
import io.lowrank.io.Measurements;
import io.lowrank.io.TruthFile;
import io.lowrank.solve.Result;
import io.lowrank.solve.Status;
import io.lowrank.solve.phase.PhaseRetrievalProblem;
import io.lowrank.solve.phase.SmoothingNewton;
import io.lowrank.solve.phase.SmoothingSchedule;
import io.lowrank.solve.phase.SpectralInitializer;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.junit.jupiter.api.Test;

/** The README's "Library use" session, call for call (in Java; the README shows it in spark-shell's Scala). */
class LibraryUseTest {
  @Test
  void theReadmeSessionSolvesTheSample() {
    SparkSession spark = SparkTestSession.get();
    JavaSparkContext sc = SparkTestSession.jsc();

    Measurements m = MeasurementReader.read(spark, "data-samples/phase-retrieval.csv");
    SparkEngine engine = new SparkEngine(sc, m.blocks(), "shell", StorageLevel.MEMORY_ONLY());
    double[] truth = TruthFile.read("data-samples/phase-retrieval.truth", m.d(), sc.hadoopConfiguration());
    PhaseRetrievalProblem p = PhaseRetrievalProblem.setUp(engine, truth);
    double[] x0 = SpectralInitializer.defaults(1L).initialize(p);
    SmoothingNewton sn = new SmoothingNewton(SmoothingNewton.Options.smoothing(
        new SmoothingSchedule.LossBased(1, 0.8), SmoothingNewton.Hessian.GAUSS_NEWTON, 1e-10, 100));
    Result r = sn.solve(p, x0);
    engine.close();
    m.unpersist();

    assertEquals(256, m.rows());
    assertEquals(32, m.d());
    assertEquals(Status.CONVERGED, r.status());
    assertTrue(p.distance(r.estimate()) <= 1e-10, "distance " + p.distance(r.estimate()));
    assertEquals(0, engine.cachedBytes());
  }
}
