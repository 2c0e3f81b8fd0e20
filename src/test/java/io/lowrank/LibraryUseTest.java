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
import io.lowrank.job.Main;
import io.lowrank.ml.PhaseRetrieval;
import io.lowrank.ml.PhaseRetrievalModel;
import io.lowrank.ml.RecoverySummary;
import java.io.IOException;
import java.nio.file.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's "Library use" sessions, call for call, in Java (the README shows them in spark-shell's Scala; ShellIT
 * types the spark.ml one into {@code jobs/lowrank shell}).
 */
class LibraryUseTest {
  @TempDir
  Path dir;

  /** The spark.ml session: generate a Parquet file, fit, show the trace, save, load, transform. */
  @Test
  void theReadmeSparkMlSession() throws IOException {
    SparkSession spark = SparkTestSession.get();
    String data = dir.resolve("pr.parquet").toString();
    // jobs/lowrank generate --n 4000 --d 50 --seed 7 --out pr.parquet
    assertEquals(0, Main.run("generate", "--n", "4000", "--d", "50", "--seed", "7", "--out", data));

    Dataset<Row> df = spark.read().parquet(data);
    double[] truth = TruthFile.read(dir.resolve("pr.truth").toString(), 50, spark.sparkContext().hadoopConfiguration());
    PhaseRetrievalModel model = new PhaseRetrieval().setFeaturesCol("a").setLabelCol("y").setTruth(truth).fit(df);
    System.out.println(model.summary());
    model.trace().select("iteration", "loss", "mu", "distance_to_truth", "passes").show();
    model.write().overwrite().save(dir.resolve("pr-model").toString());
    PhaseRetrievalModel loaded = PhaseRetrievalModel.load(dir.resolve("pr-model").toString());
    assertEquals(model.estimate(), loaded.estimate());
    loaded.transform(df).select("y", "prediction").show(3);

    RecoverySummary s = model.summary();
    assertEquals(Status.CONVERGED, s.status(), s.toString());
    assertTrue(s.distanceToTruth().getAsDouble() <= 1e-10, s.toString());
    assertEquals(4000, s.rows());
    assertEquals(50, s.d());
    assertEquals(s.iterations() + 1, model.trace().count());
    assertEquals(s.toString(), loaded.summary().toString());
    assertEquals(4000, loaded.transform(df).where("abs(prediction - y) <= 1e-8 * (1 + y)").count());
  }

  /** The session underneath: reader, engine, problem, spectral start, solver. */
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
        new SmoothingSchedule.Switching(1, 0.8, 0.5, 0.45), SmoothingNewton.Hessian.GAUSS_NEWTON, 1e-10, 100));
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
