package io.lowrank.ml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.ml.linalg.DenseMatrix;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.param.Params;
import org.junit.jupiter.api.Test;

/**
 * What {@link RecoveryEstimator} and {@link RecoveryModel} give every family, without Spark jobs: each class lists its
 * params once (as Spark's reflection finds them, the default accessors of the params interfaces), an estimator and its
 * model list the same ones, a model's copy keeps its fit and params, instances survive Java serialization, and the
 * shared ‖X^T a‖² agrees with the formula for dense and sparse a.
 */
class RecoveryBasesTest {
  private static final List<String> COMMON =
      List.of("featuresCol", "labelCol", "maxIter", "predictionCol", "seed", "solver", "tol");

  private static List<String> names(Params p) {
    return Arrays.stream(p.params()).map(Param::name).toList();
  }

  private static List<String> sorted(List<String> common, String... more) {
    List<String> all = new java.util.ArrayList<>(common);
    all.addAll(List.of(more));
    return all.stream().sorted().toList();
  }

  @Test
  void eachClassListsItsParamsOnceAndEstimatorAndModelAgree() {
    List<String> phase = sorted(COMMON, "hessian", "schedule", "truth");
    List<String> sensing = sorted(COMMON, "rank", "truth");
    assertEquals(phase, names(new PhaseRetrieval()));
    assertEquals(phase, names(new PhaseRetrievalModel("m", new double[] {1, 2}, null)));
    assertEquals(sensing, names(new MatrixSensing()));
    assertEquals(sensing, names(new MatrixSensingModel("m", new double[] {1, 2, 3, 4}, 2, null)));
    // The params belong to their owner: each instance builds its own.
    PhaseRetrieval a = new PhaseRetrieval();
    PhaseRetrieval b = new PhaseRetrieval();
    assertNotSame(a.tol(), b.tol());
    assertEquals(a.uid(), a.tol().parent());
    assertEquals(1e-8, new MatrixSensing().getTol(), "the sensing section's default");
    assertEquals(1e-10, a.getTol(), "the phase-retrieval section's default");
  }

  @Test
  void modelCopyKeepsTheFitTheParamsAndTheParent() {
    MatrixSensing parent = new MatrixSensing("ms");
    MatrixSensingModel m = new MatrixSensingModel("ms", new double[] {1, 2, 3, 4, 5, 6}, 2, null);
    m.setParent(parent);
    m.setPredictionCol("p");
    MatrixSensingModel copy = m.copy(new ParamMap().put(m.featuresCol().w("a")));
    assertEquals("ms", copy.uid());
    assertEquals(m.estimate(), copy.estimate());
    assertEquals("p", copy.getPredictionCol());
    assertEquals("a", copy.getFeaturesCol());
    assertEquals("features", m.getFeaturesCol());
    assertSame(parent, copy.parent());
  }

  @Test
  void instancesSurviveJavaSerialization() throws IOException, ClassNotFoundException {
    PhaseRetrieval pr = new PhaseRetrieval().setSolver("bwgd").setTol(1e-7).setTruth(new double[] {1, -1});
    PhaseRetrieval back = roundTrip(pr);
    assertEquals(pr.uid(), back.uid());
    assertEquals("bwgd", back.getSolver());
    assertEquals(1e-7, back.getTol());
    assertEquals(pr.getTruth(), back.getTruth());
    PhaseRetrievalModel m = roundTrip(new PhaseRetrievalModel("m", new double[] {3, 4}, null));
    assertEquals(Vectors.dense(3, 4), m.estimate());
  }

  @SuppressWarnings("unchecked")
  private static <T> T roundTrip(T value) throws IOException, ClassNotFoundException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(value);
    }
    try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      return (T) in.readObject();
    }
  }

  @Test
  void squaredNormIsTheSumOfSquaredProjections() {
    // X = [x1 x2], d = 3, column-major; a dense and the same a sparse.
    double[] x = {1, 2, -1, 0.5, 0, 3};
    Vector dense = Vectors.dense(2, -1, 4);
    Vector sparse = Vectors.sparse(3, new int[] {0, 1, 2}, new double[] {2, -1, 4});
    double p1 = 2 * 1 + -1 * 2 + 4 * -1; // a^T x1 = -4
    double p2 = 2 * 0.5 + -1 * 0 + 4 * 3; // a^T x2 = 13
    assertEquals(p1 * p1 + p2 * p2, RecoveryModel.squaredNorm(x, 2, dense), 0);
    assertEquals(p1 * p1 + p2 * p2, RecoveryModel.squaredNorm(x, 2, sparse), 0);
    assertEquals(p1 * p1, RecoveryModel.squaredNorm(Arrays.copyOf(x, 3), 1, sparse), 0);
    MatrixSensingModel m = new MatrixSensingModel("m", x, 2, null);
    assertEquals(new DenseMatrix(3, 2, x), m.estimate());
    assertEquals(p1 * p1 + p2 * p2, m.predict(dense), 0);
    assertEquals(p1 * p1, new PhaseRetrievalModel("m", Arrays.copyOf(x, 3), null).predict(dense), 0);
  }
}
