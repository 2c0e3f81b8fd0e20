package io.lowrank;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lowrank.baseline.MllibLbfgs;
import io.lowrank.data.GaussianPhaseRetrieval;
import io.lowrank.data.GaussianSensing;
import io.lowrank.data.LowRankTruth;
import io.lowrank.data.RankOneSensing;
import io.lowrank.data.SpikedMatrix;
import io.lowrank.engine.Engine;
import io.lowrank.engine.LocalEngine;
import io.lowrank.engine.SparkEngine;
import io.lowrank.model.Aggregate;
import io.lowrank.model.BlockKernel;
import io.lowrank.model.sensing.PackedGaussianOperator;
import io.lowrank.model.sensing.RankOneOperator;
import io.lowrank.solve.Result;
import io.lowrank.solve.StoppingRule;
import io.lowrank.solve.Trace;
import io.lowrank.solve.denoise.DenoisingProblem;
import io.lowrank.solve.denoise.SphericalGradientDescent;
import io.lowrank.solve.phase.AmplitudeFlow;
import io.lowrank.solve.phase.PhaseRetrievalProblem;
import io.lowrank.solve.phase.PhaseRetrievalSolver;
import io.lowrank.solve.phase.SmoothingNewton;
import io.lowrank.solve.phase.SmoothingNewton.Hessian;
import io.lowrank.solve.phase.SmoothingSchedule;
import io.lowrank.solve.phase.SpectralInitializer;
import io.lowrank.solve.phase.WirtingerFlow;
import io.lowrank.solve.sensing.RankRBwgd;
import io.lowrank.solve.sensing.ScaledGradientDescent;
import io.lowrank.solve.sensing.ScaledGradientDescent.Method;
import io.lowrank.solve.sensing.SensingInitializer;
import io.lowrank.solve.sensing.SensingProblem;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.apache.spark.storage.StorageLevel;
import org.junit.jupiter.api.Test;

/**
 * Characterisation of every solver loop: runs the seven solvers on small fixed-seed instances (converging, stalling,
 * diverging, budget-limited and truth-less cases) and writes, per case, the status, the pass count, the estimate, the
 * trace (every column but wall_ms) and the description of every pass, with doubles in round-trip form, to
 * {@code target/solver-characterization.txt}. With {@code -Dcharacterization.baseline=FILE} it asserts the run equals
 * FILE line by line: record FILE at one commit, run at another, and the loops are shown to behave identically (bit
 * for bit). Without it, it checks the bookkeeping invariants every loop shares.
 */
class SolverCharacterizationTest {
  private static final Path OUT = Paths.get("target/solver-characterization.txt");

  /** An in-process engine that remembers the description of every pass (what the Spark UI would show). */
  private static final class RecordingEngine implements Engine {
    private final LocalEngine engine;
    final List<String> descriptions = new ArrayList<>();

    RecordingEngine(LocalEngine engine) {
      this.engine = engine;
    }

    @Override
    public <S extends Serializable, A extends Aggregate<A>> A pass(String description, S state,
        BlockKernel<S, A> kernel) {
      descriptions.add(description);
      return engine.pass(description, state, kernel);
    }

    @Override
    public long rows() {
      return engine.rows();
    }

    @Override
    public int dimension() {
      return engine.dimension();
    }

    @Override
    public int partitions() {
      return engine.partitions();
    }

    @Override
    public String master() {
      return engine.master();
    }

    @Override
    public long passes() {
      return engine.passes();
    }

    @Override
    public long cachedBytes() {
      return engine.cachedBytes();
    }

    @Override
    public void close() {
      engine.close();
    }
  }

  private final StringBuilder out = new StringBuilder();

  private static String numbers(double[] v) {
    StringBuilder sb = new StringBuilder();
    for (double x : v) {
      sb.append(sb.length() == 0 ? "" : " ").append(x);
    }
    return sb.toString();
  }

  /** Appends a case and checks the invariants of the shared bookkeeping. */
  private void record(String name, Result r, long passesBefore, List<String> descriptions, boolean perIterationPasses) {
    out.append("== ").append(name).append('\n');
    out.append("status ").append(r.status()).append(" passes ").append(r.passes()).append(" iterations ")
        .append(r.iterations()).append('\n');
    out.append("estimate ").append(numbers(r.estimate())).append('\n');
    long tracePasses = 0;
    for (Trace.Record rec : r.trace().records()) {
      out.append(rec.iteration()).append(',').append(rec.loss()).append(',').append(rec.gradientNorm()).append(',')
          .append(rec.mu()).append(',').append(rec.stepNorm()).append(',').append(rec.distance()).append(',')
          .append(rec.passes()).append('\n');
      tracePasses += rec.passes();
      assertTrue(rec.wallMs() >= 0, name + ": wall ms");
    }
    for (int t = 0; t < r.trace().size(); t++) {
      assertEquals(t, r.trace().records().get(t).iteration(), name + ": iteration column");
    }
    if (perIterationPasses) {
      // Every pass of the solve is in exactly one trace row.
      assertEquals(r.passes() - passesBefore, tracePasses, name + ": trace passes vs result passes");
    }
    if (descriptions != null) {
      for (String d : descriptions) {
        out.append("pass ").append(d).append('\n');
      }
    }
  }

  private static RecordingEngine engine(List<io.lowrank.data.Block> blocks) {
    return new RecordingEngine(new LocalEngine(blocks));
  }

  // ---------------------------------------------------------------- phase retrieval

  private void phase(String name, GaussianPhaseRetrieval inst, boolean withTruth, PhaseRetrievalSolver solver) {
    RecordingEngine e = engine(inst.blocks());
    PhaseRetrievalProblem p = PhaseRetrievalProblem.setUp(e, withTruth ? inst.truth() : null);
    double[] x0 = SpectralInitializer.defaults(4L).initialize(p);
    long before = p.passes();
    e.descriptions.clear();
    Result r = solver.solve(p, x0);
    record(name, r, before, e.descriptions, true);
  }

  private void phaseRetrieval() {
    GaussianPhaseRetrieval easy = new GaussianPhaseRetrieval(400, 50, 41L, 0.0, 64);
    GaussianPhaseRetrieval hard = new GaussianPhaseRetrieval(110, 50, 7L, 0.0, 32);
    GaussianPhaseRetrieval noisy = new GaussianPhaseRetrieval(300, 20, 9L, 0.05, 64);
    StoppingRule rule = new StoppingRule(1e-10, 3000, 1e-12);
    phase("bwgd easy", easy, true, new SmoothingNewton(SmoothingNewton.Options.bwgd(1e-10, 100)));
    phase("bwgd easy no truth", easy, false, new SmoothingNewton(SmoothingNewton.Options.bwgd(1e-10, 100)));
    phase("bwgd hard", hard, true, new SmoothingNewton(SmoothingNewton.Options.bwgd(1e-10, 200)));
    phase("bwgd noisy", noisy, true, new SmoothingNewton(SmoothingNewton.Options.bwgd(1e-10, 200)));
    phase("bwgd noisy no truth", noisy, false, new SmoothingNewton(SmoothingNewton.Options.bwgd(1e-10, 200)));
    phase("bwgd budget", easy, true, new SmoothingNewton(SmoothingNewton.Options.bwgd(1e-300, 3)));
    phase("smoothing loss gauss-newton", hard, true, new SmoothingNewton(SmoothingNewton.Options.smoothing(
        new SmoothingSchedule.LossBased(1, 0.8), Hessian.GAUSS_NEWTON, 1e-10, 60)));
    phase("smoothing quantile full", hard, true, new SmoothingNewton(SmoothingNewton.Options.smoothing(
        new SmoothingSchedule.QuantileBased(0.5, 1, 0.8), Hessian.FULL, 1e-10, 40)));
    phase("smoothing fixed full", easy, true, new SmoothingNewton(SmoothingNewton.Options.smoothing(
        new SmoothingSchedule.Fixed(0.05), Hessian.FULL, 1e-10, 20)));
    phase("smoothing loss full no truth", noisy, false, new SmoothingNewton(SmoothingNewton.Options.smoothing(
        new SmoothingSchedule.LossBased(1, 0.8), Hessian.FULL, 1e-10, 60)));
    phase("amplitude-flow easy", easy, true, new AmplitudeFlow(rule, 0.8));
    phase("amplitude-flow easy no truth", easy, false, new AmplitudeFlow(rule, 0.8));
    phase("amplitude-flow hard", hard, true, new AmplitudeFlow(new StoppingRule(1e-10, 400, 1e-12), 0.8));
    phase("amplitude-flow diverging", easy, true, new AmplitudeFlow(new StoppingRule(1e-10, 200, 1e-12), 40));
    phase("wirtinger easy", easy, true, WirtingerFlow.defaults(rule));
    phase("wirtinger easy no truth", easy, false, WirtingerFlow.defaults(new StoppingRule(1e-10, 500, 1e-12)));
    phase("wirtinger budget", noisy, true, WirtingerFlow.defaults(new StoppingRule(1e-10, 25, 1e-12)));
    phase("wirtinger diverging", easy, true, new WirtingerFlow(new StoppingRule(1e-10, 300, 1e-12), 5, 1));
  }

  private void mllib() {
    GaussianPhaseRetrieval easy = new GaussianPhaseRetrieval(400, 50, 41L, 0.0, 64);
    for (int maxIter : new int[] {500, 4}) {
      try (SparkEngine e = SparkEngine.generated(SparkTestSession.jsc(), easy, 2, "characterization",
          StorageLevel.MEMORY_ONLY());
          MllibLbfgs lbfgs = new MllibLbfgs(e.blocks(), new StoppingRule(1e-8, maxIter, 0), 10, 1e-15)) {
        PhaseRetrievalProblem p = PhaseRetrievalProblem.setUp(e, easy.truth());
        double[] x0 = SpectralInitializer.defaults(4L).initialize(p);
        record("mllib-lbfgs max-iter " + maxIter, lbfgs.solve(p, x0), p.passes(), null, true);
      }
    }
  }

  // ---------------------------------------------------------------- sensing

  private void sensing(String name, LowRankTruth truth, boolean withTruth, int r,
      Function<SensingProblem, double[]> start, Function<SensingProblem, ScaledGradientDescent.Options> options) {
    int d = truth.d();
    int m = 10 * d * truth.rank();
    GaussianSensing inst = GaussianSensing.stored(truth, m, 3, 0.0, 64);
    RecordingEngine e = engine(inst.blocks());
    SensingProblem p = SensingProblem.setUp(e, new PackedGaussianOperator(d, m), withTruth ? truth : null);
    double[] x0 = start.apply(p);
    long before = p.passes();
    e.descriptions.clear();
    Result res = new ScaledGradientDescent(options.apply(p)).solve(p, x0, r);
    record(name, res, before, e.descriptions, true);
  }

  private void scaledGradientDescent() {
    LowRankTruth truth = LowRankTruth.generate(12, 2, 10, 3);
    int rs = 2;
    double lambda = 0.1 * truth.sigmaMin();
    Function<SensingProblem, double[]> small = p -> SensingInitializer.smallRandom(12, rs, 1e-3, 3);
    Function<SensingProblem, double[]> smallWide = p -> SensingInitializer.smallRandom(12, 2 * rs, 1e-3, 3);
    sensing("scaledgd-lambda exact rank", truth, true, rs, small,
        p -> new ScaledGradientDescent.Options(Method.SCALED_FIXED_LAMBDA, 0.5, lambda, 0.1, 1, 1e-8, 500));
    sensing("scaledgd-lambda overparameterised", truth, true, 2 * rs, smallWide,
        p -> new ScaledGradientDescent.Options(Method.SCALED_FIXED_LAMBDA, 0.5, lambda, 0.1, 1, 1e-8, 80));
    sensing("precgd overparameterised", truth, true, 2 * rs, smallWide,
        p -> new ScaledGradientDescent.Options(Method.PRECONDITIONED, 0.5, 0, 0.1, 1, 1e-8, 300));
    sensing("precgd no truth", truth, false, rs, small,
        p -> new ScaledGradientDescent.Options(Method.PRECONDITIONED, 0.5, 0, 0.1, 1, 1e-8, 300));
    sensing("scaledgd spectral", truth, true, rs, p -> SensingInitializer.spectral(p, rs),
        p -> new ScaledGradientDescent.Options(Method.SCALED, 0.5, 0, 0.1, 1, 1e-8, 200));
    sensing("scaledgd spectral breakdown", truth, true, 12, p -> SensingInitializer.spectral(p, 12),
        p -> new ScaledGradientDescent.Options(Method.SCALED, 0.5, 0, 0.1, 1, 1e-8, 200));
    sensing("gd spectral", truth, true, rs, p -> SensingInitializer.spectral(p, rs),
        p -> new ScaledGradientDescent.Options(Method.GRADIENT, 0.5, 0, 0.1, p.sigmaMaxEstimate(), 1e-8, 300));
    sensing("gd diverging", truth, true, rs, p -> SensingInitializer.spectral(p, rs),
        p -> new ScaledGradientDescent.Options(Method.GRADIENT, 30, 0, 0.1, p.sigmaMaxEstimate(), 1e-8, 300));
  }

  private void bwgd(String name, LowRankTruth truth, boolean withTruth, int r, double tol, int maxIter) {
    int d = truth.d();
    int m = 60 * d * truth.rank();
    RankOneSensing inst = new RankOneSensing(truth, m, 5, 0, 300);
    RecordingEngine e = engine(inst.blocks());
    SensingProblem p = SensingProblem.setUp(e, new RankOneOperator(d, m), withTruth ? truth : null);
    double[] x0 = SensingInitializer.spectral(p, r);
    long before = p.passes();
    e.descriptions.clear();
    Result res = new RankRBwgd(tol, maxIter).solve(p, x0, r);
    // The whitening set-up pass is part of the solve and has no trace row.
    record(name, res, before + 1, e.descriptions, true);
  }

  private void rankRBwgd() {
    LowRankTruth truth = LowRankTruth.generate(10, 2, 2, 5);
    bwgd("rank-r bwgd", truth, true, 2, 1e-8, 300);
    bwgd("rank-r bwgd no truth", truth, false, 2, 1e-10, 300);
    bwgd("rank-r bwgd overparameterised", truth, true, 3, 1e-8, 60);
  }

  // ---------------------------------------------------------------- denoising

  private void denoise(String name, boolean withSpikes, double eta, int steps, double tol) {
    SpikedMatrix inst = new SpikedMatrix(150, 300, 1.5, 4L, 40);
    RecordingEngine e = engine(inst.blocks());
    DenoisingProblem p = new DenoisingProblem(e, 1, withSpikes ? inst.u() : null, withSpikes ? inst.v() : null);
    SphericalGradientDescent.Run run = new SphericalGradientDescent(new SphericalGradientDescent.Options(eta, steps,
        tol)).solve(p, inst.initialX(0.3), inst.initialY(0.2));
    record(name, run.result(), 0, e.descriptions, true);
    out.append("y ").append(numbers(run.y())).append('\n');
    out.append("t ").append(numbers(run.t())).append('\n');
    out.append("overlapU ").append(numbers(run.overlapU())).append('\n');
    out.append("overlapV ").append(numbers(run.overlapV())).append('\n');
    out.append("mu ").append(numbers(run.mu())).append('\n');
    assertEquals(run.result().passes(), run.result().trace().size(), name + ": one pass per iterate");
  }

  private void sphericalGradientDescent() {
    denoise("denoise fixed horizon", true, 0.1, 60, 0);
    denoise("denoise converging", true, 0.2, 2000, 1e-6);
    denoise("denoise no spikes", false, 0.1, 40, 0);
    denoise("denoise zero steps", true, 0.1, 0, 0);
  }

  @Test
  void everySolverLoop() throws Exception {
    phaseRetrieval();
    mllib();
    scaledGradientDescent();
    rankRBwgd();
    sphericalGradientDescent();
    Files.createDirectories(OUT.getParent());
    Files.writeString(OUT, out.toString());
    String baseline = System.getProperty("characterization.baseline");
    if (baseline != null && !baseline.isEmpty()) {
      List<String> expected = Files.readAllLines(Paths.get(baseline));
      List<String> actual = Files.readAllLines(OUT);
      String caseName = "";
      for (int i = 0; i < Math.min(expected.size(), actual.size()); i++) {
        if (expected.get(i).startsWith("== ")) {
          caseName = expected.get(i);
        }
        assertEquals(expected.get(i), actual.get(i), caseName + ", line " + (i + 1) + " of " + baseline);
      }
      assertEquals(expected.size(), actual.size(), "lines in " + OUT + " vs " + baseline);
    }
  }
}
