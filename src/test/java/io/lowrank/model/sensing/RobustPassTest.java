package io.lowrank.model.sensing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lowrank.SparkTestSession;
import io.lowrank.data.Block;
import io.lowrank.data.BlockSource;
import io.lowrank.data.GaussianSensing;
import io.lowrank.data.LowRankTruth;
import io.lowrank.data.Outliers;
import io.lowrank.data.PackedSymmetric;
import io.lowrank.data.RankOneSensing;
import io.lowrank.engine.Engine;
import io.lowrank.engine.LocalEngine;
import io.lowrank.engine.SparkEngine;
import io.lowrank.linalg.Linalg;
import io.lowrank.model.Loss;
import io.lowrank.solve.sensing.SensingInitializer;
import io.lowrank.solve.sensing.SensingProblem;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.storage.StorageLevel;
import org.junit.jupiter.api.Test;

/**
 * The sensing pass under the robust losses, on every operator: f and ∇f = G X against finite differences (ℓq, Huber)
 * and directional derivatives (ℓ1, away from its kinks), G and f against their definitions row by row, and the ℓ1
 * pass on Spark (1 and 3 partitions) against the in-process one on an instance with outliers.
 */
class RobustPassTest {
  static final int D = 10;
  static final int RSTAR = 2;
  static final int M = 12 * D * RSTAR;
  static final LowRankTruth TRUTH = LowRankTruth.generate(D, RSTAR, 3, 5);
  static final Outliers OUTLIERS = new Outliers(0.2, Outliers.Kind.UNIFORM, 10);

  /** The three operators on one outlier instance each: (operator, blocks). */
  record Case(SensingOperator operator, BlockSource source) {}

  static List<Case> cases() {
    GaussianSensing stored = GaussianSensing.stored(TRUTH, M, 5, 0.01, OUTLIERS, 40);
    GaussianSensing generated = GaussianSensing.onTheFly(TRUTH, M, 5, 0.01, OUTLIERS, 40);
    RankOneSensing rankOne = new RankOneSensing(TRUTH, M, 5, 0.01, OUTLIERS, 40);
    return List.of(new Case(new PackedGaussianOperator(D, M), stored),
        new Case(new GeneratedGaussianOperator(generated), generated), new Case(new RankOneOperator(D, M), rankOne));
  }

  static SensingProblem problem(Case c, Loss loss) {
    return SensingProblem.setUp(new LocalEngine(c.source().blocks()), c.operator(), TRUTH, loss);
  }

  /**
   * ℓq and Huber are C¹ with a piecewise-smooth second derivative: (f(X+hV) − f(X−hV))/2h against ⟨∇f(X), V⟩ = ⟨G X,
   * V⟩. f is a sum of ρ(r_i(X)) with r_i quadratic in X, so the central difference errs by O(h²) (ℓq's ρ''' grows
   * like |r|^{q−3} near r = 0, but no residual is that small at a random X) and by rounding 1e-16·f/h: 1e-6 relative
   * at h = 1e-5 leaves a wide margin.
   */
  @Test
  void smoothRobustLossesMatchFiniteDifferencesOnEveryOperator() {
    for (Loss loss : List.of(new Loss.Lq(1.5), new Loss.Lq(1.2), new Loss.Huber(0.02), new Loss.Huber(1.0))) {
      for (Case c : cases()) {
        SensingProblem p = problem(c, loss);
        int r = 3;
        double[] x = SensingInitializer.smallRandom(D, r, 1.0, 11);
        double[] v = SensingInitializer.smallRandom(D, r, 1.0, 12);
        SensingProblem.Evaluation e = p.evaluate(x, r);
        double analytic = Linalg.dot(p.gradient(e, x, r), v);
        double numeric = centralDifference(p, x, v, r, 1e-5);
        assertEquals(analytic, numeric, 1e-6 * Math.abs(analytic), loss.describe() + " " + c.operator().name());
      }
    }
  }

  /**
   * ℓ1 away from its kinks: where no residual changes sign on [X − hV, X + hV], f is a quadratic in the step along V,
   * so the central difference equals the directional derivative ⟨G X, V⟩ with G = Σ sign(r_i) A_i up to rounding.
   * The sign patterns at X ± hV are checked to equal the one at X (no kink crossed) before comparing.
   */
  @Test
  void l1DirectionalDerivativeIsTheSubgradientAwayFromKinks() {
    for (Case c : cases()) {
      SensingProblem p = problem(c, new Loss.L1());
      int r = 2;
      double[] x = SensingInitializer.smallRandom(D, r, 1.0, 21);
      double[] v = SensingInitializer.smallRandom(D, r, 1.0, 22);
      double h = 1e-7;
      double[] xp = x.clone();
      double[] xm = x.clone();
      Linalg.axpy(h, v, xp);
      Linalg.axpy(-h, v, xm);
      List<Boolean> signs = signs(c, x, r);
      assertEquals(signs, signs(c, xp, r), "a kink between X and X + hV: take a smaller h");
      assertEquals(signs, signs(c, xm, r), "a kink between X and X − hV: take a smaller h");
      SensingProblem.Evaluation e = p.evaluate(x, r);
      double analytic = Linalg.dot(p.gradient(e, x, r), v);
      double numeric = centralDifference(p, x, v, r, h);
      assertEquals(analytic, numeric, 1e-6 * Math.abs(analytic), c.operator().name());
      // One-sided, too: the subgradient is the gradient of the piece X lies in.
      double forward = (p.evaluate(xp, r).loss() - e.loss()) / h;
      assertEquals(analytic, forward, 1e-5 * Math.abs(analytic), c.operator().name());
    }
  }

  /** f = (1/2) Σ ρ(r_i) and G = Σ ψ(r_i) A_i computed row by row from the stored packed A_i, for every loss. */
  @Test
  void lossAndGMatchTheirDefinitionRowByRow() {
    Case stored = cases().get(0);
    int r = 2;
    double[] x = SensingInitializer.smallRandom(D, r, 1.0, 3);
    double[] xxt = new double[D * D];
    Linalg.gemm(false, true, D, D, r, 1.0, x, x, 0.0, xxt);
    for (Loss loss : List.of(Loss.l2(), new Loss.L1(), new Loss.Lq(1.5), new Loss.Huber(0.05))) {
      double f = 0;
      double[] g = new double[D * D];
      for (Block b : stored.source().blocks()) {
        for (int i = 0; i < b.rows; i++) {
          double[] row = new double[b.d];
          for (int q = 0; q < b.d; q++) {
            row[q] = b.a(i, q);
          }
          double[] ai = PackedSymmetric.unpack(row, D);
          double res = Linalg.dot(ai, xxt) - b.y[i];
          f += 0.5 * loss.value(res);
          Linalg.axpy(loss.derivative(res), ai, g);
        }
      }
      SensingProblem.Evaluation e = problem(stored, loss).evaluate(x, r);
      assertEquals(f, e.loss(), 1e-12 * f, loss.describe());
      assertArrayEquals(g, e.g(), 1e-12 * Linalg.norm(g), loss.describe());
    }
  }

  /**
   * An ℓ1 pass on local Spark with 1 and 3 partitions equals the in-process pass (the same blocks, merged in another
   * order: rounding only), and the instance with outliers is the same whatever the partition count: the y Spark holds
   * are the generator's, bit for bit.
   */
  @Test
  void l1PassOnSparkEqualsInProcessForOneAndThreePartitions() {
    int r = 2;
    double[] x = SensingInitializer.smallRandom(D, r, 1.0, 9);
    for (Case c : List.of(cases().get(0), cases().get(2))) {
      SensingKernel.State state = SensingKernel.State.at(c.operator(), new Loss.L1(), x, r);
      SensingStats local = new LocalEngine(c.source().blocks()).pass("l1", state, new SensingKernel());
      double[] y = responses(c.source().blocks());
      for (int partitions : new int[] {1, 3}) {
        try (SparkEngine e = SparkEngine.generated(SparkTestSession.jsc(), c.source(), partitions, "robust-test",
            StorageLevel.MEMORY_ONLY())) {
          SensingStats spark = e.pass("l1", state, new SensingKernel());
          assertEquals(local.sumLoss, spark.sumLoss, 1e-12 * local.sumLoss);
          assertArrayEquals(local.sum, spark.sum, 1e-12 * Linalg.norm(local.sum));
          assertEquals(local.rows, spark.rows);
          List<Block> held = new ArrayList<>(e.blocks().collect());
          held.sort((a, b) -> Long.compare(a.id, b.id));
          assertArrayEquals(y, responses(held), 0.0, partitions + " partitions");
        }
      }
    }
  }

  private static double[] responses(List<Block> blocks) {
    return blocks.stream().flatMapToDouble(b -> java.util.Arrays.stream(b.y)).toArray();
  }

  private static double centralDifference(SensingProblem p, double[] x, double[] v, int r, double h) {
    double[] xp = x.clone();
    double[] xm = x.clone();
    Linalg.axpy(h, v, xp);
    Linalg.axpy(-h, v, xm);
    return (p.evaluate(xp, r).loss() - p.evaluate(xm, r).loss()) / (2 * h);
  }

  /**
   * sign(r_i) &gt; 0 for every measurement at X, one row at a time through the operator's own pass under ℓ2 (Σ r_i of a
   * one-row block is r_i). The generated operator regenerates its rows from the block id, so its signs are read off
   * its stored twin (the same A_i and y bit for bit).
   */
  private static List<Boolean> signs(Case c, double[] x, int r) {
    SensingOperator op = c.operator() instanceof GeneratedGaussianOperator ? new PackedGaussianOperator(D, M)
        : c.operator();
    List<Block> blocks = c.operator() instanceof GeneratedGaussianOperator
        ? GaussianSensing.stored(TRUTH, M, 5, 0.01, OUTLIERS, 40).blocks() : c.source().blocks();
    List<Boolean> out = new ArrayList<>();
    double[] prepared = op.prepare(x, r);
    for (Block b : blocks) {
      for (int i = 0; i < b.rows; i++) {
        double[] a = new double[b.d];
        for (int q = 0; q < b.d; q++) {
          a[q] = b.a(i, q);
        }
        SensingStats s = new SensingStats(op.aggregateLength());
        op.accumulate(s, new Block(b.id, 1, b.d, a, new double[] {b.y[i]}), x, r, prepared, Loss.l2());
        out.add(s.sumResiduals > 0);
      }
    }
    return out;
  }
}
