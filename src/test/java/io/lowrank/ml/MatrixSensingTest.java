package io.lowrank.ml;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lowrank.SparkTestSession;
import io.lowrank.data.Block;
import io.lowrank.data.LowRankTruth;
import io.lowrank.data.RankOneSensing;
import io.lowrank.solve.Status;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.ml.linalg.DenseMatrix;
import org.apache.spark.ml.linalg.Matrix;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link MatrixSensing} on a generated rank-one sensing instance (d = 20, r* = 2, κ = 2, m = 2400). */
class MatrixSensingTest {
  private static final int D = 20;
  private static LowRankTruth truth;
  private static Dataset<Row> data;
  private static MatrixSensingModel model;

  @TempDir
  Path dir;

  private static SparkSession spark() {
    return SparkTestSession.get();
  }

  @BeforeAll
  static void fit() {
    truth = LowRankTruth.generate(D, 2, 2, 11);
    RankOneSensing inst = new RankOneSensing(truth, 2400, 11, 0, 300);
    List<Row> rows = new ArrayList<>();
    for (Block b : inst.blocks()) {
      for (int i = 0; i < b.rows; i++) {
        double[] a = new double[b.d];
        for (int j = 0; j < b.d; j++) {
          a[j] = b.a(i, j);
        }
        rows.add(RowFactory.create(Vectors.dense(a), b.y[i]));
      }
    }
    StructType schema = new StructType().add("a", SQLDataTypes.VectorType(), false).add("y", DataTypes.DoubleType);
    data = spark().createDataFrame(SparkTestSession.jsc().parallelize(rows, 2), schema).cache();
    // PrecGD: at r > r* and m = 60 d r*, a fixed λ (scaledgd-lambda) leaves a slow sublinear tail (docs/design.md).
    model = new MatrixSensing().setFeaturesCol("a").setLabelCol("y").setSolver("precgd").setTruth(truthMatrix())
        .fit(data);
  }

  private static Matrix truthMatrix() {
    return new DenseMatrix(D, truth.rank(), truth.factor());
  }

  @Test
  void reachesTheTruth() {
    RecoverySummary s = model.summary();
    assertEquals(Status.CONVERGED, s.status(), s.toString());
    assertTrue(s.distanceToTruth().getAsDouble() <= 1e-6, s.toString());
    assertTrue(relativeError(model.matrix(), truthMatrix()) <= 1e-6, "||XX^T - M*||_F / ||M*||_F");
    // rank 0 = 2 r*: the overparameterized factor.
    assertEquals(4, model.estimate().numCols());
    assertEquals(D, model.estimate().numRows());
    assertEquals(2400, s.rows());
    assertEquals("precgd", s.solver());
  }

  @Test
  void defaultSolverWithoutTruthAtTheExactRank() {
    MatrixSensingModel m = new MatrixSensing().setFeaturesCol("a").setLabelCol("y").setRank(2).fit(data);
    assertEquals("scaledgd-lambda", m.summary().solver());
    assertEquals(Status.CONVERGED, m.summary().status(), m.summary().toString());
    assertTrue(m.summary().distanceToTruth().isEmpty());
    assertTrue(relativeError(m.matrix(), truthMatrix()) <= 1e-6, m.summary().toString());
    assertEquals(2, m.estimate().numCols());
  }

  @Test
  void transformPredictsTheMeasurements() {
    List<Row> rows = model.transform(data).select("y", "prediction").collectAsList();
    for (Row r : rows) {
      assertEquals(r.getDouble(0), r.getDouble(1), 1e-4 * (1 + r.getDouble(0)));
    }
    double[] a = new double[D];
    a[3] = 2;
    Matrix x = model.estimate();
    double expected = 0;
    for (int k = 0; k < x.numCols(); k++) {
      expected += 4 * x.apply(3, k) * x.apply(3, k);
    }
    assertEquals(expected, model.predict(Vectors.dense(a)), 1e-15);
    assertEquals(expected, model.predict(Vectors.dense(a).toSparse()), 1e-15);
  }

  @Test
  void paramsValidatedWhenSetAndAtFit() {
    MatrixSensing ms = new MatrixSensing();
    assertEquals("scaledgd-lambda", ms.getSolver());
    assertEquals(0, ms.getRank());
    assertEquals(1e-8, ms.getTol());
    assertEquals(1000, ms.getMaxIter());
    assertEquals(1L, ms.getSeed());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ms.setSolver("adam"));
    assertEquals(ms.uid() + " parameter solver given invalid value adam.", e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> ms.setRank(-1));
    assertEquals(ms.uid() + " parameter rank given invalid value -1.", e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> ms.setTol(-1e-3));
    assertEquals(ms.uid() + " parameter tol given invalid value -0.001.", e.getMessage());
    MatrixSensing tooWide = new MatrixSensing().setFeaturesCol("a").setLabelCol("y").setRank(D + 1);
    e = assertThrows(IllegalArgumentException.class, () -> tooWide.fit(data));
    assertTrue(e.getMessage().contains("must be in [1, d = 20]") && e.getMessage().contains("got 21"),
        e.getMessage());
    MatrixSensing badTruth = new MatrixSensing().setFeaturesCol("a").setLabelCol("y").setTruth(column(40));
    e = assertThrows(IllegalArgumentException.class, () -> badTruth.fit(data));
    assertTrue(e.getMessage().contains("the truth factor X* has 40 rows, but the data have d = 20"), e.getMessage());
  }

  @Test
  void saveAndLoad() throws IOException {
    String p = dir.resolve("model").toString();
    model.save(p);
    MatrixSensingModel loaded = MatrixSensingModel.load(p);
    assertEquals(model.uid(), loaded.uid());
    assertArrayEquals(model.estimate().toArray(), loaded.estimate().toArray(), "bit-identical factor");
    assertEquals(model.estimate().numCols(), loaded.estimate().numCols());
    assertEquals(model.extractParamMap().toString(), loaded.extractParamMap().toString());
    assertArrayEquals(truthMatrix().toArray(), loaded.getTruth().toArray(), "the truth param round-trips exactly");
    assertEquals(model.summary().toString(), loaded.summary().toString());
    assertEquals(model.trace().collectAsList(), loaded.trace().collectAsList());
    assertEquals(model.transform(data).collectAsList(), loaded.transform(data).collectAsList());

    MatrixSensing ms = new MatrixSensing().setRank(3).setSolver("precgd");
    String ep = dir.resolve("estimator").toString();
    ms.save(ep);
    MatrixSensing back = MatrixSensing.load(ep);
    assertEquals(ms.extractParamMap().toString(), back.extractParamMap().toString());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PhaseRetrieval.load(ep));
    assertTrue(e.getMessage().contains("Expected class name io.lowrank.ml.PhaseRetrieval but found class name "
        + "io.lowrank.ml.MatrixSensing"), e.getMessage());
  }

  /** A full-rank 40×1 factor: 40 values, a multiple of d = 20, which must still not pass as a 20×2 one. */
  private static Matrix column(int rows) {
    double[] v = new double[rows];
    for (int i = 0; i < rows; i++) {
      v[i] = 1 + i;
    }
    return new DenseMatrix(rows, 1, v);
  }

  private static double relativeError(Matrix xxt, Matrix xStar) {
    DenseMatrix t = (DenseMatrix) xStar;
    double[] mStar = t.multiply((DenseMatrix) t.transpose()).toArray();
    double[] m = xxt.toArray();
    double diff = 0;
    double norm = 0;
    for (int i = 0; i < m.length; i++) {
      diff += (m[i] - mStar[i]) * (m[i] - mStar[i]);
      norm += mStar[i] * mStar[i];
    }
    return Math.sqrt(diff / norm);
  }
}
