package io.lowrank.solve.phase;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lowrank.data.Block;
import io.lowrank.data.GaussianPhaseRetrieval;
import io.lowrank.engine.LocalEngine;
import io.lowrank.model.AmplitudeKernel;
import io.lowrank.linalg.Linalg;
import io.lowrank.linalg.SymmetricEigen;
import io.lowrank.solve.Result;
import io.lowrank.solve.Status;
import io.lowrank.solve.Trace;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The phase-retrieval solvers on the in-process backend, against explicit formulas and the truth. */
class SmoothingNewtonTest {

  private static PhaseRetrievalProblem problem(GaussianPhaseRetrieval instance) {
    return PhaseRetrievalProblem.setUp(new LocalEngine(instance.blocks()), instance.truth());
  }

  /** Solves A x = b by Gaussian elimination with partial pivoting (independent of LAPACK). */
  private static double[] gaussianElimination(double[][] a, double[] b) {
    int n = b.length;
    for (int k = 0; k < n; k++) {
      int pivot = k;
      for (int i = k + 1; i < n; i++) {
        if (Math.abs(a[i][k]) > Math.abs(a[pivot][k])) {
          pivot = i;
        }
      }
      double[] row = a[k];
      a[k] = a[pivot];
      a[pivot] = row;
      double t = b[k];
      b[k] = b[pivot];
      b[pivot] = t;
      for (int i = k + 1; i < n; i++) {
        double f = a[i][k] / a[k][k];
        for (int j = k; j < n; j++) {
          a[i][j] -= f * a[k][j];
        }
        b[i] -= f * b[k];
      }
    }
    double[] x = new double[n];
    for (int i = n - 1; i >= 0; i--) {
      double s = b[i];
      for (int j = i + 1; j < n; j++) {
        s -= a[i][j] * x[j];
      }
      x[i] = s / a[i][i];
    }
    return x;
  }

  @Test
  void bwgdIterateEqualsTheExplicitFormula() {
    GaussianPhaseRetrieval instance = new GaussianPhaseRetrieval(40, 5, 7L, 0.0, 8);
    PhaseRetrievalProblem p = problem(instance);
    double[] x0 = {0.3, -0.2, 0.5, 0.1, -0.4};
    Result r = new SmoothingNewton(SmoothingNewton.Options.bwgd(1e-300, 1)).solve(p, x0);

    // x⁺ = Ŝ^{-1} (1/n) Σ √y_i sign(a_i^T x) a_i, written out.
    int d = 5;
    double[][] s = new double[d][d];
    double[] b = new double[d];
    int n = 0;
    for (Block blk : instance.blocks()) {
      for (int i = 0; i < blk.rows; i++) {
        double z = 0;
        for (int j = 0; j < d; j++) {
          z += blk.a(i, j) * x0[j];
        }
        for (int j = 0; j < d; j++) {
          b[j] += Math.sqrt(blk.y[i]) * Math.signum(z) * blk.a(i, j);
          for (int k = 0; k < d; k++) {
            s[j][k] += blk.a(i, j) * blk.a(i, k);
          }
        }
        n++;
      }
    }
    double[] expected = gaussianElimination(s, b); // the 1/n factors cancel
    for (int j = 0; j < d; j++) {
      assertEquals(expected[j], r.estimate()[j], 1e-12 * Linalg.norm(expected));
    }
    assertEquals(40, n);
  }

  @Test
  void spectralInitialiserFindsTheTopEigenvectorOfTheExplicitMatrix() {
    GaussianPhaseRetrieval instance = new GaussianPhaseRetrieval(400, 20, 8L, 0.0, 64);
    PhaseRetrievalProblem p = problem(instance);
    double[] x0 = new SpectralInitializer(0.0, 60, 1e-12, 1L).initialize(p);

    int d = 20;
    double[] y = new double[d * d];
    double sumY = 0;
    for (Block blk : instance.blocks()) {
      for (int i = 0; i < blk.rows; i++) {
        sumY += blk.y[i];
        for (int j = 0; j < d; j++) {
          for (int k = 0; k < d; k++) {
            y[j + k * d] += blk.y[i] * blk.a(i, j) * blk.a(i, k) / 400;
          }
        }
      }
    }
    double[] top = SymmetricEigen.of(y, d).vector(d - 1);
    Linalg.scale(Math.sqrt(sumY / 400), top);
    double distance = Math.min(Linalg.norm(Linalg.minus(x0, top)), Linalg.norm(Linalg.minus(x0, Linalg.scaled(-1, top))));
    assertEquals(0, distance, 1e-8);
  }

  @Test
  void smoothingNewtonReachesTheTruthWithin15IterationsAtRatio8() {
    GaussianPhaseRetrieval instance = new GaussianPhaseRetrieval(400, 50, 21L, 0.0);
    PhaseRetrievalProblem p = problem(instance);
    double[] x0 = SpectralInitializer.defaults(2L).initialize(p);
    for (SmoothingSchedule schedule : List.of(new SmoothingSchedule.LossBased(1, 0.8),
        new SmoothingSchedule.QuantileBased(0.9, 1, 0.8), new SmoothingSchedule.Switching(1, 0.8, 0.5, 0.45))) {
      for (SmoothingNewton.Hessian h : SmoothingNewton.Hessian.values()) {
        Result r = new SmoothingNewton(SmoothingNewton.Options.smoothing(schedule, h, 1e-10, 15)).solve(p, x0);
        assertEquals(Status.CONVERGED, r.status(), schedule + " " + h + "\n" + r.trace().toCsv());
        assertTrue(p.distance(r.estimate()) < 1e-10);
        assertTrue(r.iterations() <= 15);
      }
    }
  }

  @Test
  void theSwitchingScheduleTakesBwgdStepsOnceResidualsCollapseAndRescuesWhatBwgdMisses() {
    // Easy (n/d = 20): no probe pass, every step where c·rms(r_t) <= θ μ_t is BWGD's, and the run is as short as BWGD's.
    GaussianPhaseRetrieval easy = new GaussianPhaseRetrieval(2000, 100, 31L, 0.0);
    PhaseRetrievalProblem pe = problem(easy);
    double[] xe = SpectralInitializer.defaults(31L).initialize(pe);
    SmoothingSchedule switching = new SmoothingSchedule.Switching(1, 0.8, 0.5, 0.45);
    Result sw = new SmoothingNewton(SmoothingNewton.Options.smoothing(switching, SmoothingNewton.Hessian.GAUSS_NEWTON,
        1e-10, 30)).solve(pe, xe);
    Result bwgd = new SmoothingNewton(SmoothingNewton.Options.bwgd(1e-10, 30)).solve(pe, xe);
    assertEquals(Status.CONVERGED, sw.status(), sw.trace().toCsv());
    assertEquals(1, sw.trace().records().get(0).passes(), "no probe pass at a close start");
    assertEquals(0.0, sw.trace().records().get(0).mu());
    assertTrue(sw.iterations() <= bwgd.iterations() + 1, sw.iterations() + " vs BWGD's " + bwgd.iterations());
    // Hard (n/d = 3, d = 100): seeds on which BWGD stalls at a spurious point; the switching schedule reaches x*.
    int rescued = 0;
    int bwgdFailed = 0;
    for (long seed = 1; seed <= 6; seed++) {
      GaussianPhaseRetrieval hard = new GaussianPhaseRetrieval(300, 100, 1000 + seed, 0.0);
      PhaseRetrievalProblem ph = problem(hard);
      double[] x0 = SpectralInitializer.defaults(seed).initialize(ph);
      boolean bwgdOk = ph.distance(new SmoothingNewton(SmoothingNewton.Options.bwgd(1e-10, 100)).solve(ph, x0)
          .estimate()) < 1e-10;
      Result r = new SmoothingNewton(SmoothingNewton.Options.smoothing(switching, SmoothingNewton.Hessian.GAUSS_NEWTON,
          1e-10, 100)).solve(ph, x0);
      if (!bwgdOk) {
        bwgdFailed++;
        rescued += ph.distance(r.estimate()) < 1e-10 ? 1 : 0;
      }
    }
    assertTrue(bwgdFailed >= 2, "the seeds must include BWGD failures, got " + bwgdFailed);
    assertEquals(bwgdFailed, rescued, "every BWGD failure rescued");
  }

  @Test
  void thePassAtOnePointBoundsTheLossEverywhereAndCertifiesTheLastIterateWithoutAPass() {
    GaussianPhaseRetrieval instance = new GaussianPhaseRetrieval(2000, 50, 41L, 0.0);
    PhaseRetrievalProblem p = problem(instance);
    double[] x0 = SpectralInitializer.defaults(41L).initialize(p);
    java.util.Random rnd = new java.util.Random(3);
    AmplitudeKernel.Stats atX0 = p.amplitude(x0, 0, 0);
    // f(x) ≤ ½(xᵀŜx − 2xᵀb_0(x_0) + ȳ) at random points, with equality at x_0 (its own signs).
    for (int k = 0; k < 20; k++) {
      double[] x = x0.clone();
      for (int j = 0; j < x.length; j++) {
        x[j] += 0.3 * rnd.nextGaussian() / Math.sqrt(x.length);
      }
      double f = p.loss(p.amplitude(x, 0, 0));
      assertTrue(f <= p.lossBound(x, atX0) + 1e-14 * p.meanY(), f + " > " + p.lossBound(x, atX0));
    }
    assertEquals(p.loss(atX0), p.lossBound(x0, atX0), 1e-13 * p.meanY());
    // Noiseless and easy: the last iterate's row is certified by the pass before it (no pass of its own), its loss
    // bound is at the rounding level, and the loss a pass would measure there is below it.
    for (SmoothingNewton solver : List.of(new SmoothingNewton(SmoothingNewton.Options.bwgd(1e-10, 30)),
        new SmoothingNewton(SmoothingNewton.Options.smoothing(new SmoothingSchedule.Switching(1, 0.8, 0.5, 0.45),
            SmoothingNewton.Hessian.GAUSS_NEWTON, 1e-10, 30)))) {
      Result r = solver.solve(p, x0);
      Trace.Record last = r.trace().last();
      assertEquals(Status.CONVERGED, r.status(), r.trace().toCsv());
      assertEquals(0, last.passes(), r.trace().toCsv());
      assertTrue(last.loss() <= 1e-12 * p.meanY(), r.trace().toCsv());
      assertTrue(p.loss(p.amplitude(r.estimate(), 0, 0)) <= last.loss() + 1e-15 * p.meanY());
      assertTrue(p.distance(r.estimate()) <= 1e-10);
    }
    // Without a truth the run stops on the step, x_T's row certified: one pass per row but the last (the row before
    // it took its pass late, at the start of the last iteration, when the loop went on).
    PhaseRetrievalProblem blind = PhaseRetrievalProblem.setUp(new LocalEngine(instance.blocks()), null);
    long before = blind.passes();
    Result r = new SmoothingNewton(SmoothingNewton.Options.bwgd(1e-10, 30)).solve(blind, x0);
    assertEquals(Status.CONVERGED, r.status(), r.trace().toCsv());
    assertTrue(r.trace().last().stepNorm() <= 1e-10 && r.trace().last().loss() <= 1e-12 * blind.meanY());
    assertEquals(r.iterations(), r.passes() - before, r.trace().toCsv());
  }

  @Test
  void bettingOnTheSwitchLeavesTheIteratesOfTheTwoColumnPassesUnchanged() {
    // The switching schedule written out with a two-column pass at every smoothed iterate (b_μ and b_0 from one
    // pass, the step choosing after seeing the residuals): the solver, which bets on b_0 alone after unsmoothed steps
    // and pays one more pass when the bet is lost, must produce the same iterates. Seeds at n/d = 3 and 20 cover bets
    // won and lost (both counted below).
    SmoothingSchedule.Switching s = new SmoothingSchedule.Switching(1, 0.8, 0.5, 0.45);
    int iterations = 40;
    int lost = 0;
    int won = 0;
    for (long seed = 1; seed <= 12; seed++) {
      GaussianPhaseRetrieval instance = new GaussianPhaseRetrieval(seed <= 10 ? 250 + 10 * seed : 2000, 100, 1000 + seed,
          0.0);
      PhaseRetrievalProblem p = problem(instance);
      double[] x0 = SpectralInitializer.defaults(seed).initialize(p);
      Result r = new SmoothingNewton(SmoothingNewton.Options.smoothing(s, SmoothingNewton.Hessian.GAUSS_NEWTON, 1e-300,
          iterations)).solve(p, x0);
      // Reference: no bets.
      double[] x = x0.clone();
      AmplitudeKernel.Stats stats = p.amplitude(x, 0, 0);
      double mu = 0;
      boolean lag = true;
      if (s.smoothFirstStep(stats, p.meanY())) {
        mu = s.initial(stats);
        stats = p.amplitude(x, mu, 0, true);
        lag = false;
      }
      int fired = 0;
      boolean quadratic = false;
      boolean unsmoothedBefore = false;
      for (int t = 0; t < r.iterations(); t++) {
        double stepMu = quadratic ? 0 : s.stepMu(mu, stats);
        if (unsmoothedBefore && !quadratic) {
          won += stepMu == 0 ? 1 : 0;
          lost += stepMu > 0 ? 1 : 0;
        }
        fired = mu > 0 && stepMu == 0 ? fired + 1 : 0;
        quadratic = quadratic || fired >= 2;
        x = p.solveSHat(stepMu == mu ? p.b(stats) : p.bSign(stats));
        mu = quadratic ? 0 : t == 0 && lag ? s.initial(stats) : s.next(mu, stats);
        unsmoothedBefore = stepMu == 0;
        stats = p.amplitude(x, mu, 0, true);
      }
      assertArrayEquals(x, r.estimate(), 1e-12 * Linalg.norm(x), "seed " + seed);
    }
    assertTrue(won > 0 && lost > 0, "bets won " + won + ", lost " + lost);
  }

  @Test
  void aFarStartGetsASmoothedFirstStepAndTheStepMuFollowsTheSwitch() {
    SmoothingSchedule.Switching s = new SmoothingSchedule.Switching(1, 0.8, 0.5, 0.45);
    GaussianPhaseRetrieval instance = new GaussianPhaseRetrieval(250, 100, 5L, 0.0);
    PhaseRetrievalProblem p = problem(instance);
    double[] x0 = SpectralInitializer.defaults(5L).initialize(p);
    AmplitudeKernel.Stats atStart = p.amplitude(x0, 0, 0);
    double far = atStart.rmsResidual() / Math.sqrt(p.meanY());
    Result r = new SmoothingNewton(SmoothingNewton.Options.smoothing(s, SmoothingNewton.Hessian.GAUSS_NEWTON, 1e-10,
        5)).solve(p, x0);
    Trace.Record row0 = r.trace().records().get(0);
    if (far > 0.45) {
      assertEquals(2, row0.passes());
      assertEquals(atStart.rmsResidual(), row0.mu(), 1e-12 * row0.mu());
    } else {
      assertEquals(1, row0.passes());
    }
    // stepMu: μ unless c·rms ≤ θ μ.
    AmplitudeKernel.Stats stats = p.amplitude(x0, 0.3, 0, true);
    double rms = stats.rmsResidual();
    assertEquals(1.999999 * rms, s.stepMu(1.999999 * rms, stats), 0.0);
    assertEquals(0.0, s.stepMu(2.000001 * rms, stats), 0.0);
    // The pass with the sign column returns b_0 equal to an unsmoothed pass's b, and b_μ unchanged.
    assertArrayEquals(p.amplitude(x0, 0, 0).b, stats.bSign, 1e-12);
    assertArrayEquals(p.amplitude(x0, 0.3, 0).b, stats.b, 1e-12);
  }

  @Test
  void oneIterationIsOneGaussNewtonPassAndMuFollowsTheLossSchedule() {
    GaussianPhaseRetrieval instance = new GaussianPhaseRetrieval(400, 50, 22L, 0.0);
    PhaseRetrievalProblem p = problem(instance);
    double[] x0 = SpectralInitializer.defaults(3L).initialize(p);
    Result r = new SmoothingNewton(SmoothingNewton.Options.smoothing(new SmoothingSchedule.LossBased(1, 0.8),
        SmoothingNewton.Hessian.GAUSS_NEWTON, 1e-10, 30)).solve(p, x0);
    List<Trace.Record> rows = r.trace().records();
    // μ_0 = √(mean r²) at x_0 = √(2 f(x_0)), measured by one extra pass at the start.
    assertEquals(Math.sqrt(2 * rows.get(0).loss()), rows.get(0).mu(), 1e-14 * rows.get(0).mu());
    assertEquals(2, rows.get(0).passes());
    for (int t = 1; t < rows.size(); t++) {
      assertEquals(1, rows.get(t).passes());
      // μ_t = min(γ μ_{t−1}, √(mean r²) at x_{t−1}) and mean r² = 2·loss.
      double expected = Math.min(0.8 * rows.get(t - 1).mu(), Math.sqrt(2 * rows.get(t - 1).loss()));
      assertEquals(expected, rows.get(t).mu(), 1e-12 * expected + 1e-300);
    }
  }

  @Test
  void bwgdStallsOnAFrozenSignPatternAndSaysSo() {
    // At n/d = 2 BWGD from a random start reaches a spurious fixed point for most seeds.
    int stalled = 0;
    for (long seed = 1; seed <= 6; seed++) {
      GaussianPhaseRetrieval instance = new GaussianPhaseRetrieval(60, 30, seed, 0.0);
      PhaseRetrievalProblem p = problem(instance);
      double[] x0 = SpectralInitializer.defaults(seed).initialize(p);
      Result r = new SmoothingNewton(SmoothingNewton.Options.bwgd(1e-10, 500)).solve(p, x0);
      if (r.status() == Status.STALLED) {
        stalled++;
        assertTrue(p.distance(r.estimate()) > 1e-3, "a STALLED run must not be at the truth");
        assertTrue(r.trace().last().loss() > 0);
      } else {
        assertEquals(Status.CONVERGED, r.status());
        assertTrue(p.distance(r.estimate()) < 1e-10);
      }
    }
    assertTrue(stalled > 0, "expected BWGD to stall at least once at n/d = 2");
  }

  @Test
  void fullHessianStepIsTheExactNewtonStepOnTheSmoothedLoss() {
    GaussianPhaseRetrieval instance = new GaussianPhaseRetrieval(500, 10, 23L, 0.0);
    PhaseRetrievalProblem p = problem(instance);
    int d = 10;
    double[] x0 = instance.truth();
    for (int j = 0; j < d; j++) {
      x0[j] += 0.05 * Math.cos(j);
    }
    double mu = 0.3;
    Result full = new SmoothingNewton(SmoothingNewton.Options.smoothing(new SmoothingSchedule.Fixed(mu),
        SmoothingNewton.Hessian.FULL, 1e-300, 1)).solve(p, x0);

    double[] expected = Linalg.minus(x0, exactNewtonStep(p, x0, mu));
    assertEquals(0, Linalg.norm(Linalg.minus(expected, full.estimate())), 1e-9 * Linalg.norm(expected));
    assertTrue(full.trace().last().passes() >= 2, "a full-Hessian iteration takes Hessian-vector passes");
  }

  /**
   * The same Newton step at any scale: with y scaled by 1e-12 (x* by 1e-6, μ with it) the full-Hessian CG must still
   * solve to its relative tolerance. An absolute tolerance would stop CG at once at this scale and pass every test run
   * at scale 1.
   */
  @Test
  void fullHessianStepIsExactAtTinyScalesToo() {
    double scale = 1e-6;
    GaussianPhaseRetrieval instance = new GaussianPhaseRetrieval(500, 10, 23L, 0.0);
    List<Block> scaled = new java.util.ArrayList<>();
    for (Block b : instance.blocks()) {
      double[] y = b.y.clone();
      for (int i = 0; i < y.length; i++) {
        y[i] *= scale * scale;
      }
      scaled.add(new Block(b.id, b.rows, b.d, b.a, y));
    }
    int d = 10;
    double[] x0 = instance.truth();
    for (int j = 0; j < d; j++) {
      x0[j] = scale * (x0[j] + 0.05 * Math.cos(j));
    }
    double mu = 0.3 * scale;
    PhaseRetrievalProblem p = PhaseRetrievalProblem.setUp(new LocalEngine(scaled), null);
    Result full = new SmoothingNewton(SmoothingNewton.Options.smoothing(new SmoothingSchedule.Fixed(mu),
        SmoothingNewton.Hessian.FULL, 1e-300, 1)).solve(p, x0);
    double[] step = exactNewtonStep(p, x0, mu);
    double[] expected = Linalg.minus(x0, step);
    // CG's relative residual 1e-10 bounds the step's relative error by about κ(H)·1e-10.
    assertEquals(0, Linalg.norm(Linalg.minus(expected, full.estimate())), 1e-7 * Linalg.norm(step));
  }

  /**
   * H^{-1} ∇f_μ(x0), H formed column by column from Hessian-vector products (checked against finite differences
   * elsewhere) and solved by dense elimination.
   */
  private static double[] exactNewtonStep(PhaseRetrievalProblem p, double[] x0, double mu) {
    int d = x0.length;
    double[][] h = new double[d][d];
    for (int j = 0; j < d; j++) {
      double[] e = new double[d];
      e[j] = 1;
      double[] col = p.hessianTimes(x0, mu, e);
      for (int i = 0; i < d; i++) {
        h[i][j] = col[i];
      }
    }
    return gaussianElimination(h, p.gradient(x0, p.amplitude(x0, mu, 0)));
  }
}
