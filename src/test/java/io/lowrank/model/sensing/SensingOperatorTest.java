package io.lowrank.model.sensing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lowrank.SparkTestSession;
import io.lowrank.data.Block;
import io.lowrank.data.GaussianSensing;
import io.lowrank.data.LowRankTruth;
import io.lowrank.data.PackedSymmetric;
import io.lowrank.data.RankOneSensing;
import io.lowrank.engine.Engine;
import io.lowrank.engine.LocalEngine;
import io.lowrank.engine.SparkEngine;
import io.lowrank.linalg.Linalg;
import io.lowrank.solve.Result;
import io.lowrank.solve.sensing.ScaledGradientDescent;
import io.lowrank.solve.sensing.ScaledGradientDescent.Method;
import io.lowrank.solve.sensing.SensingInitializer;
import io.lowrank.solve.sensing.SensingProblem;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.storage.StorageLevel;
import org.junit.jupiter.api.Test;

/** The operators: gradients vs finite differences, stored vs generated, Spark vs in-process, bad input. */
class SensingOperatorTest {
  static final int D = 12;
  static final int RSTAR = 2;
  static final int M = 10 * D * RSTAR;
  static final LowRankTruth TRUTH = LowRankTruth.generate(D, RSTAR, 10, 7);

  static SensingProblem stored() {
    GaussianSensing inst = GaussianSensing.stored(TRUTH, M, 7, 0.01, 50);
    return SensingProblem.setUp(new LocalEngine(inst.blocks()), new PackedGaussianOperator(D, M), TRUTH);
  }

  static SensingProblem generated() {
    GaussianSensing inst = GaussianSensing.onTheFly(TRUTH, M, 7, 0.01, 50);
    return SensingProblem.setUp(new LocalEngine(inst.blocks()), new GeneratedGaussianOperator(inst), TRUTH);
  }

  static SensingProblem rankOne() {
    RankOneSensing inst = new RankOneSensing(TRUTH, M, 7, 0.01, 50);
    return SensingProblem.setUp(new LocalEngine(inst.blocks()), new RankOneOperator(D, M), TRUTH);
  }

  @Test
  void packingIsAnIsometry() {
    double[] a = TRUTH.matrix();
    double[] b = LowRankTruth.generate(D, 3, 5, 1).matrix();
    assertEquals(Linalg.dot(a, b), Linalg.dot(PackedSymmetric.pack(a, D), PackedSymmetric.pack(b, D)), 1e-13);
    assertArrayEquals(a, PackedSymmetric.unpack(PackedSymmetric.pack(a, D), D), 1e-15);
  }

  /**
   * ⟨∇f(X), V⟩ against the central difference (f(X+hV) − f(X−hV))/2h. f is a quartic polynomial, so the
   * difference's error is h²/6 · f'''·V³ = O(1e-10) relative at h = 1e-5, and rounding in f is about
   * 1e-16 · f / h ≈ 1e-11 relative: 1e-7 leaves a wide margin.
   */
  @Test
  void gradientMatchesFiniteDifferencesForEveryOperator() {
    for (SensingProblem p : List.of(stored(), generated(), rankOne())) {
      int r = 3;
      double[] x = SensingInitializer.smallRandom(D, r, 1.0, 11);
      double[] v = SensingInitializer.smallRandom(D, r, 1.0, 12);
      SensingProblem.Evaluation e = p.evaluate(x, r);
      double analytic = Linalg.dot(p.gradient(e, x, r), v);
      double h = 1e-5;
      double[] xp = x.clone();
      double[] xm = x.clone();
      Linalg.axpy(h, v, xp);
      Linalg.axpy(-h, v, xm);
      double numeric = (p.evaluate(xp, r).loss() - p.evaluate(xm, r).loss()) / (2 * h);
      assertEquals(analytic, numeric, 1e-7 * Math.abs(analytic), p.operator().name());
      // f(X) also matches its definition computed row by row (stored operator only has explicit rows).
      assertTrue(e.loss() > 0);
    }
  }

  @Test
  void lossMatchesDefinitionRowByRow() {
    GaussianSensing inst = GaussianSensing.stored(TRUTH, M, 7, 0.01, 50);
    int r = 2;
    double[] x = SensingInitializer.smallRandom(D, r, 1.0, 3);
    double[] xxt = new double[D * D];
    Linalg.gemm(false, true, D, D, r, 1.0, x, x, 0.0, xxt);
    double f = 0;
    for (Block b : inst.blocks()) {
      for (int i = 0; i < b.rows; i++) {
        double[] row = new double[b.d];
        for (int q = 0; q < b.d; q++) {
          row[q] = b.a(i, q);
        }
        double[] ai = PackedSymmetric.unpack(row, D); // A_i itself
        double res = Linalg.dot(ai, xxt) - b.y[i];
        f += 0.25 * res * res;
      }
    }
    assertEquals(f, stored().evaluate(x, r).loss(), 1e-12 * f);
  }

  /** Same (seed, i) ⇒ same A_i: y is bitwise equal; passes differ only in summation order (chunks). */
  @Test
  void storedAndGeneratedOperatorsAgree() {
    List<Block> s = GaussianSensing.stored(TRUTH, M, 7, 0.01, 50).blocks();
    List<Block> g = GaussianSensing.onTheFly(TRUTH, M, 7, 0.01, 50).blocks();
    for (int b = 0; b < s.size(); b++) {
      assertArrayEquals(s.get(b).y, g.get(b).y, 0.0);
      assertEquals(0, g.get(b).a.length);
    }
    var opts = new ScaledGradientDescent.Options(Method.SCALED_FIXED_LAMBDA, 0.5, 0.01, 0.1, 1, 1e-12, 30);
    double[] x0 = SensingInitializer.smallRandom(D, 4, 1e-3, 1);
    Result a = new ScaledGradientDescent(opts).solve(stored(), x0, 4);
    Result b = new ScaledGradientDescent(opts).solve(generated(), x0, 4);
    // 30 contracting iterations from the same start; only rounding differs.
    assertArrayEquals(a.estimate(), b.estimate(), 1e-10);
  }

  @Test
  void sparkAndInProcessAgree() {
    var opts = new ScaledGradientDescent.Options(Method.PRECONDITIONED, 0.5, 0, 0.1, 1, 1e-12, 15);
    double[] x0 = SensingInitializer.smallRandom(D, 3, 1e-3, 2);
    for (boolean storedOp : new boolean[] {true, false}) {
      GaussianSensing inst = storedOp ? GaussianSensing.stored(TRUTH, M, 7, 0.01, 50)
          : GaussianSensing.onTheFly(TRUTH, M, 7, 0.01, 50);
      SensingOperator op = storedOp ? new PackedGaussianOperator(D, M) : new GeneratedGaussianOperator(inst);
      Result local = new ScaledGradientDescent(opts).solve(
          SensingProblem.setUp(new LocalEngine(inst.blocks()), op, TRUTH), x0, 3);
      Result spark;
      try (Engine e = SparkEngine.generated(SparkTestSession.jsc(), inst, 3, "sensing-test", StorageLevel.MEMORY_ONLY())) {
        spark = new ScaledGradientDescent(opts).solve(SensingProblem.setUp(e, op, TRUTH), x0, 3);
      }
      // Same blocks, tree-merged in another order: rounding only.
      assertArrayEquals(local.estimate(), spark.estimate(), 1e-10);
      assertEquals(local.iterations(), spark.iterations());
    }
  }

  @Test
  void rankOneSpectralMatrixIsDebiased() {
    int m = 20000;
    RankOneSensing inst = new RankOneSensing(TRUTH, m, 7, 0.0, 2000);
    SensingProblem p = SensingProblem.setUp(new LocalEngine(inst.blocks()), new RankOneOperator(D, m), TRUTH);
    // E[spectral matrix] = M*, eigenvalues {1, 0.1, 0, ...}; its entries have standard deviation about
    // √(2·E(a^T M a)²/m) ≈ 0.02 here, so the eigenvalues land within a few times √d·0.02 ≈ 0.07 of the truth.
    double[] vals = p.spectralValues();
    assertEquals(1.0, vals[0], 0.2);
    assertEquals(0.1, vals[1], 0.2);
    assertTrue(Math.abs(vals[D - 1]) < 0.2, "the trace bias tr(M*)/2 = 0.55 is removed: " + vals[D - 1]);
  }

  @Test
  void badInputIsRejectedWithTheParameterNamed() {
    SensingProblem p = stored();
    assertMessage("r (the search rank)", () -> SensingInitializer.smallRandom(D, 0, 1e-3, 1));
    assertMessage("r (the search rank)", () -> SensingInitializer.smallRandom(D, D + 1, 1e-3, 1));
    assertMessage("r (the search rank)", () -> p.evaluate(new double[0], 0));
    assertMessage("X must be d x r", () -> p.evaluate(new double[D * 2 + 1], 2));
    assertMessage("lambda", () -> new ScaledGradientDescent.Options(Method.SCALED_FIXED_LAMBDA, 0.5, -1, 0.1, 1, 1e-8, 10));
    assertMessage("eta", () -> new ScaledGradientDescent.Options(Method.SCALED_FIXED_LAMBDA, 0, 0.1, 0.1, 1, 1e-8, 10));
    assertMessage("rstar", () -> LowRankTruth.generate(D, 0, 10, 1));
    assertMessage("kappa", () -> LowRankTruth.generate(D, 2, 0.5, 1));
    // m below the d r* − r*(r*−1)/2 = 23 degrees of freedom.
    GaussianSensing few = GaussianSensing.stored(TRUTH, 20, 1, 0, 50);
    assertMessage("degrees of freedom", () -> SensingProblem.setUp(new LocalEngine(few.blocks()),
        new PackedGaussianOperator(D, 20), TRUTH));
    // Truth of another dimension; operator normalised for another m.
    GaussianSensing inst = GaussianSensing.stored(TRUTH, M, 7, 0, 50);
    assertMessage("truth is 13x13", () -> SensingProblem.setUp(new LocalEngine(inst.blocks()),
        new PackedGaussianOperator(D, M), LowRankTruth.generate(13, 2, 10, 1)));
    assertMessage("normalised for m", () -> SensingProblem.setUp(new LocalEngine(inst.blocks()),
        new PackedGaussianOperator(D, M + 1), TRUTH));
    assertMessage("packed dimension", () -> SensingProblem.setUp(new LocalEngine(inst.blocks()),
        new PackedGaussianOperator(D + 1, M), null));
    // NaN in y.
    List<Block> blocks = new ArrayList<>(inst.blocks());
    Block b0 = blocks.get(0);
    double[] y = b0.y.clone();
    y[3] = Double.NaN;
    blocks.set(0, new Block(b0.id, b0.rows, b0.d, b0.a, y));
    assertMessage("NaN", () -> SensingProblem.setUp(new LocalEngine(blocks), new PackedGaussianOperator(D, M), TRUTH));
  }

  static void assertMessage(String fragment, Runnable r) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, r::run);
    assertTrue(e.getMessage().contains(fragment), e.getMessage());
  }
}
