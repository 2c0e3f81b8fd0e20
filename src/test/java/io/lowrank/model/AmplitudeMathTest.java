package io.lowrank.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lowrank.data.Block;
import io.lowrank.data.GaussianPhaseRetrieval;
import io.lowrank.engine.LocalEngine;
import io.lowrank.linalg.Linalg;
import io.lowrank.solve.phase.PhaseRetrievalProblem;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.spark.SparkConf;
import org.apache.spark.serializer.JavaSerializer;
import org.apache.spark.serializer.KryoSerializer;
import org.apache.spark.serializer.SerializerInstance;
import org.junit.jupiter.api.Test;
import scala.reflect.ClassTag;
import scala.reflect.ClassTag$;

/** The kernels' sums against the same quantities written out row by row, and against finite differences. */
class AmplitudeMathTest {
  private static final int D = 6;
  private final GaussianPhaseRetrieval instance = new GaussianPhaseRetrieval(90, D, 3L, 0.0, 16);
  private final List<Block> blocks = instance.blocks();

  /** f_μ(x) = (1/2n) Σ (φ_μ(a_i^T x) − √y_i)², written out row by row (μ = 0 gives the amplitude loss). */
  private double smoothedLoss(double[] x, double mu) {
    double sum = 0;
    long n = 0;
    for (Block b : blocks) {
      for (int i = 0; i < b.rows; i++) {
        double z = 0;
        for (int j = 0; j < b.d; j++) {
          z += b.a(i, j) * x[j];
        }
        double r = Math.sqrt(z * z + mu * mu) - Math.sqrt(b.y[i]);
        sum += r * r;
        n++;
      }
    }
    return 0.5 * sum / n;
  }

  private double[] point(long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    double[] x = new double[D];
    for (int j = 0; j < D; j++) {
      x[j] = rng.nextGaussian();
    }
    return x;
  }

  @Test
  void lossAndSmoothedGradientMatchFiniteDifferences() {
    PhaseRetrievalProblem p = PhaseRetrievalProblem.setUp(new LocalEngine(blocks), instance.truth());
    double[] x = point(11);
    for (double mu : new double[] {0.3, 0.05}) {
      AmplitudeKernel.Stats stats = p.amplitude(x, mu, 0);
      assertEquals(smoothedLoss(x, 0), p.loss(stats), 1e-13 * smoothedLoss(x, 0));
      double[] g = p.gradient(x, stats);
      double h = 1e-6;
      for (int j = 0; j < D; j++) {
        double[] up = x.clone();
        double[] down = x.clone();
        up[j] += h;
        down[j] -= h;
        double fd = (smoothedLoss(up, mu) - smoothedLoss(down, mu)) / (2 * h);
        // central differences: O(h²) truncation and O(ε f / h) rounding, both ≲ 1e-8 here.
        assertEquals(fd, g[j], 1e-7 * Math.max(1, Math.abs(fd)), "gradient coordinate " + j + " at μ = " + mu);
      }
    }
  }

  @Test
  void unsmoothedGradientMatchesFiniteDifferencesAwayFromKinks() {
    PhaseRetrievalProblem p = PhaseRetrievalProblem.setUp(new LocalEngine(blocks), null);
    double[] x = point(12);
    double[] g = p.gradient(x, p.amplitude(x, 0, 0));
    double h = 1e-7; // small enough that no a_i^T x changes sign for this x
    for (int j = 0; j < D; j++) {
      double[] up = x.clone();
      double[] down = x.clone();
      up[j] += h;
      down[j] -= h;
      double fd = (smoothedLoss(up, 0) - smoothedLoss(down, 0)) / (2 * h);
      assertEquals(fd, g[j], 1e-6 * Math.max(1, Math.abs(fd)));
    }
  }

  @Test
  void hessianVectorProductMatchesFiniteDifferencesOfTheGradient() {
    PhaseRetrievalProblem p = PhaseRetrievalProblem.setUp(new LocalEngine(blocks), null);
    double[] x = point(13);
    double[] v = point(14);
    double mu = 0.2;
    double[] hv = p.hessianTimes(x, mu, v);
    double h = 1e-5;
    double[] up = x.clone();
    double[] down = x.clone();
    Linalg.axpy(h, v, up);
    Linalg.axpy(-h, v, down);
    double[] fd = Linalg.scaled(1 / (2 * h), Linalg.minus(p.gradient(up, p.amplitude(up, mu, 0)),
        p.gradient(down, p.amplitude(down, mu, 0))));
    for (int j = 0; j < D; j++) {
      assertEquals(fd[j], hv[j], 1e-6 * Math.max(1, Math.abs(fd[j])), "Hv coordinate " + j);
    }
  }

  /**
   * Rows where a_i^T x = 0 exactly (integer data, a sparse start) weigh nothing in b(x) = (1/n) Σ √y_i sign(a_i^T x) a_i:
   * sign(0) = 0, the generalized gradient's convention, not +1 or −1.
   */
  @Test
  void bOfXTakesSignOfZeroAsZero() {
    int d = 3;
    double[][] rows = {{1, 0, 2}, {0, 1, 0}, {2, -1, 1}, {0, 3, 0}, {-1, 0, 1}, {1, 1, 1}};
    double[] a = new double[rows.length * d];
    double[] y = new double[rows.length];
    for (int i = 0; i < rows.length; i++) {
      for (int j = 0; j < d; j++) {
        a[i + j * rows.length] = rows[i][j]; // column-major
      }
      y[i] = 1 + i;
    }
    double[] x = {1, 0, 0}; // a_i^T x = 0 exactly for rows 1 and 3
    PhaseRetrievalProblem p = PhaseRetrievalProblem.setUp(new LocalEngine(List.of(new Block(0, rows.length, d, a, y))),
        null);
    double[] b = p.b(p.amplitude(x, 0, 0));
    double[] expected = new double[d];
    for (int i = 0; i < rows.length; i++) {
      double z = rows[i][0] * x[0] + rows[i][1] * x[1] + rows[i][2] * x[2];
      for (int j = 0; j < d; j++) {
        expected[j] += Math.sqrt(y[i]) * Math.signum(z) * rows[i][j] / rows.length;
      }
    }
    for (int j = 0; j < d; j++) {
      assertEquals(expected[j], b[j], 1e-15, "b(x) coordinate " + j);
    }
  }

  @Test
  void residualSketchQuantileIsCloseToTheExactQuantile() {
    PhaseRetrievalProblem p = PhaseRetrievalProblem.setUp(new LocalEngine(blocks), null);
    double[] x = point(15);
    AmplitudeKernel.Stats stats = p.amplitude(x, 0, 200);
    double[] abs = new double[(int) p.n()];
    int k = 0;
    for (Block b : blocks) {
      for (int i = 0; i < b.rows; i++) {
        double z = 0;
        for (int j = 0; j < b.d; j++) {
          z += b.a(i, j) * x[j];
        }
        abs[k++] = Math.abs(Math.abs(z) - Math.sqrt(b.y[i]));
      }
    }
    java.util.Arrays.sort(abs);
    // The ⌈0.9·90⌉ = 81st smallest, to within the histogram's bucket (relative width 2^-7).
    double q = stats.residualQuantile(0.9);
    assertEquals(abs[80], q, 0x1p-7 * abs[80], "histogram quantile vs the order statistic");
  }

  @Test
  void sealedStatsKeepTheirSketchThroughJavaAndKryoSerialisation() {
    PhaseRetrievalProblem p = PhaseRetrievalProblem.setUp(new LocalEngine(blocks), null);
    double[] x = point(16);
    AmplitudeKernel.Stats stats = p.amplitude(x, 0, 200);
    double expected = stats.residualQuantile(0.9);
    SparkConf conf = new SparkConf();
    ClassTag<AmplitudeKernel.Stats> tag = ClassTag$.MODULE$.apply(AmplitudeKernel.Stats.class);
    for (SerializerInstance ser : new SerializerInstance[] {new JavaSerializer(conf).newInstance(),
        new KryoSerializer(conf).newInstance()}) {
      AmplitudeKernel.Stats copy = ser.deserialize(ser.serialize(new AmplitudeKernel().zero(
          new AmplitudeKernel.State(x, 0, 200)).merge(stats).seal(), tag), tag);
      assertEquals(expected, copy.residualQuantile(0.9), 0.0, ser.getClass().getSimpleName());
      assertEquals(stats.sumSquaredResiduals, copy.sumSquaredResiduals, 0.0);
    }
  }
}
