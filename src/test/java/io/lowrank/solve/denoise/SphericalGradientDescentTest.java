package io.lowrank.solve.denoise;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lowrank.data.SpikedMatrix;
import io.lowrank.engine.LocalEngine;
import io.lowrank.linalg.Linalg;
import io.lowrank.linalg.SymmetricEigen;
import io.lowrank.data.Block;
import io.lowrank.theory.RankOneDenoisingTheory;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Gradient descent on the in-process backend against the random-matrix-theory trajectory. */
class SphericalGradientDescentTest {

  private static SphericalGradientDescent.Run run(SpikedMatrix inst, double mu0, double mv0, double eta, int steps) {
    DenoisingProblem p = new DenoisingProblem(new LocalEngine(inst.blocks()), 1, inst.u(), inst.v());
    return new SphericalGradientDescent(new SphericalGradientDescent.Options(eta, steps, 0))
        .solve(p, inst.initialX(mu0), inst.initialY(mv0));
  }

  /** Max over iterates of |simulated − predicted| for {u, v, μ}. */
  static double[] maxDeviation(SphericalGradientDescent.Run r, RankOneDenoisingTheory th, double mu0, double mv0) {
    double[] dev = new double[3];
    for (int k = 0; k < r.size(); k++) {
      RankOneDenoisingTheory.Point p = th.predict(r.t()[k], mu0, mv0);
      dev[0] = Math.max(dev[0], Math.abs(r.overlapU()[k] - p.overlapU()));
      dev[1] = Math.max(dev[1], Math.abs(r.overlapV()[k] - p.overlapV()));
      dev[2] = Math.max(dev[2], Math.abs(r.mu()[k] - p.mu()));
    }
    return dev;
  }

  @Test
  void issueSettingFollowsTheTheoryUpToTimeFour() {
    SpikedMatrix inst = new SpikedMatrix(2000, 4000, 1.5, 4L, 0);
    SphericalGradientDescent.Run r = run(inst, 0.3, 0.2, 0.05, 80);
    assertEquals(81, r.size());
    assertEquals(81, r.result().passes(), "one pass per step (+ the final evaluation)");
    assertEquals(4.0, r.t()[80], 1e-12);
    RankOneDenoisingTheory th = RankOneDenoisingTheory.of(0.5, 1.5);
    double[] dev = maxDeviation(r, th, 0.3, 0.2);
    System.out.printf("max deviation up to t=4 (eta=0.05): u %.4f, v %.4f, mu %.4f%n", dev[0], dev[1], dev[2]);
    assertTrue(dev[0] <= 0.03, "overlap u deviates by " + dev[0]);
    assertTrue(dev[1] <= 0.03, "overlap v deviates by " + dev[1]);
  }

  @Test
  void largeTimeLimitsMatchTheTheoryAndTheTopSingularVectors() {
    int n = 300;
    int m = 600;
    SpikedMatrix inst = new SpikedMatrix(n, m, 1.5, 11L, 64);
    SphericalGradientDescent.Run r = run(inst, 0.3, 0.2, 0.1, 400);
    RankOneDenoisingTheory th = RankOneDenoisingTheory.of(0.5, 1.5);
    double[] lim = th.limit(0.3, 0.2);
    int last = r.size() - 1;
    // Finite N: the overlaps fluctuate by O(1/sqrt(N)) around the limits.
    assertEquals(lim[0], r.overlapU()[last], 0.06);
    assertEquals(lim[1], r.overlapV()[last], 0.06);
    assertEquals(lim[2], r.mu()[last], 0.05);
    // Independently: the top eigenvector of Y Y^T by LAPACK on the driver.
    double[] yyt = new double[n * n];
    int row0 = 0;
    double[] dense = new double[n * m];
    for (Block b : inst.blocks()) {
      for (int i = 0; i < b.rows; i++) {
        for (int j = 0; j < m; j++) {
          dense[row0 + i + j * n] = b.a(i, j);
        }
      }
      row0 += b.rows;
    }
    for (int i = 0; i < n; i++) {
      for (int k = 0; k < n; k++) {
        double sum = 0;
        for (int j = 0; j < m; j++) {
          sum += dense[i + j * n] * dense[k + j * n];
        }
        yyt[i + k * n] = sum;
      }
    }
    SymmetricEigen eig = SymmetricEigen.of(yyt, n);
    double[] uHat = eig.vector(n - 1);
    double[] vHat = new double[m];
    for (int j = 0; j < m; j++) {
      double sum = 0;
      for (int i = 0; i < n; i++) {
        sum += dense[i + j * n] * uHat[i];
      }
      vHat[j] = sum;
    }
    Linalg.scale(1 / Linalg.norm(vHat), vHat);
    // GD converges to the top singular pair (up to a common sign) ...
    double sign = Math.signum(Linalg.dot(r.x(), uHat));
    assertEquals(1, sign * Linalg.dot(r.x(), uHat), 1e-6);
    assertEquals(1, sign * Linalg.dot(r.y(), vHat), 1e-6);
    assertEquals(Math.sqrt(eig.value(n - 1)), r.mu()[last], 1e-6);
    // ... whose overlaps with the spikes are the BBP limits, up to finite-N fluctuations.
    assertEquals(Math.sqrt(th.alphaU()), Math.abs(Linalg.dot(uHat, inst.u())), 0.06);
    assertEquals(Math.sqrt(th.alphaV()), Math.abs(Linalg.dot(vHat, inst.v())), 0.06);
  }

  @Test
  void finalSignFlipsAcrossTheCriticalRatio() {
    SpikedMatrix inst = new SpikedMatrix(300, 600, 1.5, 5L, 64);
    DenoisingProblem p = new DenoisingProblem(new LocalEngine(inst.blocks()), 1, inst.u(), inst.v());
    RankOneDenoisingTheory th = RankOneDenoisingTheory.of(0.5, 1.5);
    double critical = th.criticalRatio();
    double mv0 = 0.4;
    SphericalGradientDescent gd = new SphericalGradientDescent(new SphericalGradientDescent.Options(0.1, 150, 0));
    for (double offset : new double[] {-0.25, 0.25}) {
      double mu0 = (critical + offset) * mv0;
      SphericalGradientDescent.Run r = gd.solve(p, inst.initialX(mu0), inst.initialY(mv0));
      double expected = Math.signum(th.limit(mu0, mv0)[0]);
      assertEquals(Math.signum(offset), expected, "theory sign at ratio offset " + offset);
      assertEquals(expected, Math.signum(r.overlapU()[r.size() - 1]), "simulated sign at ratio offset " + offset);
      assertEquals(expected, Math.signum(r.overlapV()[r.size() - 1]), "simulated v sign at ratio offset " + offset);
    }
  }

  @Test
  void badParametersAreNamed() {
    assertMessage("theta", () -> new SpikedMatrix(10, 20, 0, 1L, 0));
    assertMessage("theta", () -> new SpikedMatrix(10, 20, -1, 1L, 0));
    assertMessage("N must be >= 2", () -> new SpikedMatrix(1, 20, 1, 1L, 0));
    assertMessage("M must be >= 2", () -> new SpikedMatrix(10, 1, 1, 1L, 0));
    SpikedMatrix inst = new SpikedMatrix(10, 20, 1, 1L, 0);
    assertMessage("mu0", () -> inst.initialX(1.5));
    assertMessage("mv0", () -> inst.initialY(-1.01));
    assertMessage("eta", () -> new SphericalGradientDescent.Options(0, 10, 0));
    assertMessage("eta", () -> new SphericalGradientDescent.Options(-0.1, 10, 0));
    assertMessage("steps", () -> new SphericalGradientDescent.Options(0.1, -1, 0));
  }

  @Test
  void benchPassIsOnePass() {
    LocalEngine engine = new LocalEngine(new SpikedMatrix(50, 80, 1, 1L, 16).blocks());
    Runnable pass = DenoisingProblem.benchPass(engine);
    long before = engine.passes();
    pass.run();
    assertEquals(before + 1, engine.passes());
  }

  @Test
  void shuffledRowBlocksGiveTheSameProducts() {
    SpikedMatrix inst = new SpikedMatrix(40, 70, 1.2, 3L, 7);
    List<Block> blocks = new java.util.ArrayList<>(inst.blocks());
    // Reverse the rows inside each block: row indices are no longer consecutive.
    List<Block> shuffled = new java.util.ArrayList<>();
    for (Block b : blocks) {
      double[] a = new double[b.a.length];
      double[] idx = new double[b.rows];
      for (int i = 0; i < b.rows; i++) {
        int src = b.rows - 1 - i;
        idx[i] = b.y[src];
        for (int j = 0; j < b.d; j++) {
          a[i + j * b.rows] = b.a(src, j);
        }
      }
      shuffled.add(0, new Block(b.id, b.rows, b.d, a, idx));
    }
    double[] x = inst.initialX(0.5);
    double[] y = inst.initialY(0.5);
    DenoisingProblem.Products p1 = new DenoisingProblem(new LocalEngine(blocks), 1, null, null).products(x, y);
    DenoisingProblem.Products p2 = new DenoisingProblem(new LocalEngine(shuffled), 1, null, null).products(x, y);
    assertTrue(Linalg.norm(Linalg.minus(p1.yy(), p2.yy())) < 1e-12);
    assertTrue(Linalg.norm(Linalg.minus(p1.ytx(), p2.ytx())) < 1e-12);
    assertEquals(p1.xYy(), p2.xYy(), 1e-12);
  }

  private static void assertMessage(String part, org.junit.jupiter.api.function.Executable e) {
    String msg = assertThrows(IllegalArgumentException.class, e).getMessage();
    assertTrue(msg.contains(part), "message '" + msg + "' should name " + part);
  }
}
