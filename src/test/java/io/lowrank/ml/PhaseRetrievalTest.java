package io.lowrank.ml;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lowrank.SparkTestSession;
import io.lowrank.engine.SparkEngine;
import io.lowrank.io.MeasurementReader;
import io.lowrank.io.Measurements;
import io.lowrank.io.TruthFile;
import io.lowrank.solve.Result;
import io.lowrank.solve.Status;
import io.lowrank.solve.Trace;
import io.lowrank.solve.phase.PhaseRetrievalProblem;
import io.lowrank.solve.phase.SmoothingNewton;
import io.lowrank.solve.phase.SmoothingSchedule;
import io.lowrank.solve.phase.SpectralInitializer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link PhaseRetrieval} on the sample: inside a Pipeline after a VectorAssembler it converges to the truth and
 * agrees with the library's own path (LibraryUseTest's calls); params are validated when set; save/load round-trips.
 */
class PhaseRetrievalTest {
  private static final String SAMPLE = "data-samples/phase-retrieval.csv";
  private static final String TRUTH = "data-samples/phase-retrieval.truth";

  private static Dataset<Row> csv;
  private static double[] truth;
  private static PipelineModel fitted;

  @TempDir
  Path dir;

  private static SparkSession spark() {
    return SparkTestSession.get();
  }

  @BeforeAll
  static void fitTheSample() {
    csv = spark().read().option("header", "true").option("inferSchema", "true").csv(SAMPLE);
    truth = TruthFile.read(TRUTH, 32, spark().sparkContext().hadoopConfiguration());
    fitted = pipeline(new PhaseRetrieval().setLabelCol("y").setTruth(truth)).fit(csv);
  }

  /** VectorAssembler (a1..a32 → features) then the estimator. */
  static Pipeline pipeline(PipelineStage estimator) {
    String[] coords = new String[32];
    for (int j = 0; j < 32; j++) {
      coords[j] = "a" + (j + 1);
    }
    VectorAssembler assembler = new VectorAssembler().setInputCols(coords).setOutputCol("features");
    return new Pipeline().setStages(new PipelineStage[] {assembler, estimator});
  }

  private static PhaseRetrievalModel model() {
    return (PhaseRetrievalModel) fitted.stages()[1];
  }

  @Test
  void pipelineFitConvergesToTheTruth() {
    PhaseRetrievalModel m = model();
    RecoverySummary s = m.summary();
    assertEquals(Status.CONVERGED, s.status(), s.toString());
    assertTrue(s.distanceToTruth().getAsDouble() <= 1e-10, s.toString());
    assertTrue(distance(m.estimate().toArray(), truth) <= 1e-10, "sign-invariant distance");
    assertEquals(256, s.rows());
    assertEquals(32, s.d());
    assertEquals(32, m.numFeatures());
    assertTrue(s.iterations() >= 1 && s.passes() > s.iterations(), s.toString());
    assertEquals("smoothing-newton", s.solver());
    assertTrue(m.hasParent());
    assertEquals("y", m.getLabelCol());
  }

  @Test
  void estimateEqualsTheLibraryPath() {
    // LibraryUseTest's session, call for call.
    Measurements meas = MeasurementReader.read(spark(), SAMPLE);
    SparkEngine engine = new SparkEngine(SparkTestSession.jsc(), meas.blocks(), "shell", StorageLevel.MEMORY_ONLY());
    PhaseRetrievalProblem p = PhaseRetrievalProblem.setUp(engine, truth);
    double[] x0 = SpectralInitializer.defaults(1L).initialize(p);
    Result r = new SmoothingNewton(SmoothingNewton.Options.smoothing(new SmoothingSchedule.Switching(1, 0.8, 0.5, 0.45),
        SmoothingNewton.Hessian.GAUSS_NEWTON, 1e-10, 100)).solve(p, x0);
    engine.close();
    meas.unpersist();
    double[] x = model().estimate().toArray();
    for (int j = 0; j < x.length; j++) {
      assertEquals(r.estimate()[j], x[j], 1e-12, "coordinate " + j);
    }
    assertEquals(r.iterations(), model().summary().iterations());
  }

  @Test
  void traceIsADataFrameWithTheCsvColumns() {
    Dataset<Row> trace = model().trace();
    assertEquals(Arrays.asList(Trace.CSV_HEADER.split(",")), Arrays.asList(trace.columns()));
    List<Row> rows = trace.collectAsList();
    assertEquals(model().summary().iterations() + 1, rows.size());
    assertEquals(0, rows.get(0).getInt(0));
    assertTrue(rows.get(0).isNullAt(trace.schema().fieldIndex("step_norm")), "no step at the start: null, not NaN");
    Row last = rows.get(rows.size() - 1);
    assertTrue(last.getDouble(trace.schema().fieldIndex("distance_to_truth")) <= 1e-10);
  }

  @Test
  void transformAddsThePredictedIntensity() {
    Dataset<Row> out = fitted.transform(csv);
    List<Row> rows = out.select("y", "prediction").collectAsList();
    assertEquals(256, rows.size());
    for (Row r : rows) {
      // Noise-free intensities: |a^T x̂|² = y up to the estimate's error.
      assertEquals(r.getDouble(0), r.getDouble(1), 1e-8 * (1 + r.getDouble(0)));
    }
    // One row by hand, dense and sparse.
    double[] x = model().estimate().toArray();
    Vector a = Vectors.dense(1, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        0, 3);
    double z = x[0] + 2 * x[1] + 3 * x[31];
    assertEquals(z * z, model().predict(a), 1e-15);
    assertEquals(z * z, model().predict(a.toSparse()), 1e-15);
  }

  @Test
  void arrayFeaturesFitAndTransformAsVectors() {
    Dataset<Row> assembled = fitted.stages()[0].transform(csv);
    Dataset<Row> arrays = assembled.select(org.apache.spark.ml.functions.vector_to_array(assembled.col("features"),
        "float64").as("a"), assembled.col("y"));
    PhaseRetrievalModel m = new PhaseRetrieval().setFeaturesCol("a").setLabelCol("y").setTruth(truth).fit(arrays);
    assertArrayEquals(model().estimate().toArray(), m.estimate().toArray(), "same blocks, same solve");
    assertEquals(fitted.transform(csv).select("prediction").collectAsList(),
        m.transform(arrays).select("prediction").collectAsList());
    // Prediction needs vectors of length d: Spark fails the job, the cause says why.
    Dataset<Row> short3 = spark().createDataFrame(List.of(org.apache.spark.sql.RowFactory.create(
        (Object) new double[] {1, 2, 3})), new org.apache.spark.sql.types.StructType().add("a",
        org.apache.spark.sql.types.DataTypes.createArrayType(org.apache.spark.sql.types.DataTypes.DoubleType)));
    Exception e = assertThrows(Exception.class, () -> m.transform(short3).collectAsList());
    assertTrue(rootMessage(e).contains("features vector of length 3, but the model was fit with d = 32"),
        rootMessage(e));
    IllegalArgumentException exists = assertThrows(IllegalArgumentException.class, () -> m.transform(
        m.transform(arrays)));
    assertEquals("Column prediction already exists.", exists.getMessage());
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null) {
      t = t.getCause();
    }
    return t.getMessage();
  }

  @Test
  void paramsAreValidatedWhenSet() {
    PhaseRetrieval pr = new PhaseRetrieval();
    assertInvalid(() -> pr.setTol(0), pr.uid() + " parameter tol given invalid value 0.0.");
    assertInvalid(() -> pr.setTol(Double.NaN), "parameter tol given invalid value NaN.");
    assertInvalid(() -> pr.setMaxIter(0), pr.uid() + " parameter maxIter given invalid value 0.");
    assertInvalid(() -> pr.setSolver("newton"), pr.uid() + " parameter solver given invalid value newton.");
    assertInvalid(() -> pr.setSchedule("linear"), "parameter schedule given invalid value linear.");
    assertInvalid(() -> pr.setHessian("exact"), "parameter hessian given invalid value exact.");
    // Nothing was set by the failed calls.
    assertEquals(1e-10, pr.getTol());
    assertEquals(100, pr.getMaxIter());
    assertEquals("smoothing-newton", pr.getSolver());
    assertEquals("switching", pr.getSchedule());
    assertEquals("gauss-newton", pr.getHessian());
    assertEquals(1L, pr.getSeed());
    assertEquals("features", pr.getFeaturesCol());
    assertEquals("label", pr.getLabelCol());
    assertEquals("prediction", pr.getPredictionCol());
    assertEquals(null, pr.getTruth());
    assertTrue(pr.explainParams().contains("solver: the solver. Supported options: smoothing-newton"),
        pr.explainParams());
    // The generic setter validates too (what Spark's readers and copyValues call).
    assertInvalid(() -> pr.set("maxIter", -3), "parameter maxIter given invalid value -3.");
  }

  @Test
  void crossParamChecksAtFit() {
    PhaseRetrieval pr = new PhaseRetrieval().setSolver("bwgd").setHessian("full").setLabelCol("y");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> pipeline(pr).fit(csv));
    assertTrue(e.getMessage().contains("BWGD uses the Gauss-Newton step"), e.getMessage());
    PhaseRetrieval wrongTruth = new PhaseRetrieval().setLabelCol("y").setTruth(new double[] {1, 2, 3});
    e = assertThrows(IllegalArgumentException.class, () -> pipeline(wrongTruth).fit(csv));
    assertTrue(e.getMessage().contains("truth has 3 values") && e.getMessage().contains("d = 32"), e.getMessage());
  }

  @Test
  void missingColumnsAreRefusedBeforeAnyJob() {
    PhaseRetrieval pr = new PhaseRetrieval(); // labelCol "label" is not in the CSV
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> pipeline(pr).fit(csv));
    assertTrue(e.getMessage().contains("no column label (the label column); columns are: y, a1, a2"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> pr.setLabelCol("y").setFeaturesCol("a1").fit(csv));
    assertTrue(e.getMessage().contains("column a1 (the features column) has type double"), e.getMessage());
  }

  @Test
  void copyCarriesParamsAndExtra() {
    PhaseRetrieval pr = new PhaseRetrieval().setTol(1e-6).setSolver("bwgd");
    PhaseRetrieval copy = pr.copy(new ParamMap().put(pr.maxIter().w(7)));
    assertEquals(pr.uid(), copy.uid());
    assertEquals(1e-6, copy.getTol());
    assertEquals("bwgd", copy.getSolver());
    assertEquals(7, copy.getMaxIter());
    assertEquals(100, pr.getMaxIter());
  }

  @Test
  void estimatorAndModelSaveAndLoad() throws IOException {
    PhaseRetrieval pr = new PhaseRetrieval().setTol(1e-9).setSolver("bwgd").setLabelCol("y").setTruth(truth);
    String ep = dir.resolve("estimator").toString();
    pr.save(ep);
    PhaseRetrieval back = PhaseRetrieval.load(ep);
    assertEquals(pr.uid(), back.uid());
    assertEquals(pr.extractParamMap().toString(), back.extractParamMap().toString());
    assertArrayEquals(truth, back.getTruth().toArray());
    assertThrows(IOException.class, () -> pr.save(ep), "save refuses an existing path");
    pr.write().overwrite().save(ep);

    PhaseRetrievalModel m = model();
    String mp = dir.resolve("model").toString();
    m.write().save(mp);
    PhaseRetrievalModel loaded = PhaseRetrievalModel.load(mp);
    assertEquals(m.uid(), loaded.uid());
    assertArrayEquals(m.estimate().toArray(), loaded.estimate().toArray(), "bit-identical estimate");
    assertEquals(m.extractParamMap().toString(), loaded.extractParamMap().toString());
    assertEquals(m.summary().toString(), loaded.summary().toString());
    assertEquals(m.summary().records(), loaded.summary().records());
    assertEquals(m.trace().collectAsList(), loaded.trace().collectAsList());
    Dataset<Row> assembled = fitted.stages()[0].transform(csv);
    assertEquals(m.transform(assembled).collectAsList(), loaded.transform(assembled).collectAsList());

    // A fitted pipeline with our model saves and loads through Spark's PipelineModel reader.
    String pp = dir.resolve("pipeline").toString();
    fitted.save(pp);
    PipelineModel again = PipelineModel.load(pp);
    assertEquals(fitted.transform(csv).collectAsList(), again.transform(csv).collectAsList());
  }

  private static void assertInvalid(org.junit.jupiter.api.function.Executable set, String message) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, set);
    assertTrue(e.getMessage().contains(message), e.getMessage());
  }

  static double distance(double[] x, double[] t) {
    double minus = 0;
    double plus = 0;
    double norm = 0;
    for (int j = 0; j < t.length; j++) {
      minus += (x[j] - t[j]) * (x[j] - t[j]);
      plus += (x[j] + t[j]) * (x[j] + t[j]);
      norm += t[j] * t[j];
    }
    return Math.sqrt(Math.min(minus, plus) / norm);
  }
}
