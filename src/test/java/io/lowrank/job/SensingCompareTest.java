package io.lowrank.job;

import static io.lowrank.job.CliRun.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lowrank.SparkTestSession;
import io.lowrank.data.GaussianSensing;
import io.lowrank.data.LowRankTruth;
import io.lowrank.engine.LocalEngine;
import io.lowrank.model.sensing.PackedGaussianOperator;
import io.lowrank.run.SensingRun;
import io.lowrank.run.SensingSettings;
import io.lowrank.solve.Result;
import io.lowrank.solve.Trace;
import io.lowrank.solve.sensing.SensingProblem;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code sensing --compare} is a thin alias of the sweep engine: its table, traces and plots equal those of the
 * comparison loop it replaced (rebuilt here from the library: one instance and one set-up per κ, every solver and
 * rank from it, GD with its own budget, the λ and α rows at r = 2r*), and a rerun resumes (runs nothing, same table).
 */
class SensingCompareTest {
  private static final int D = 8;
  private static final int RSTAR = 2;
  private static final long SEED = 7;

  @BeforeAll
  static void sharedSpark() {
    SparkTestSession.get();
  }

  /** A row of the replaced loop: key columns, then status, iterations, trace. */
  private record Expected(String key, String status, int iterations, Trace trace) {}

  private static String key(double kappa, int r, String solver, String lambdaFactor, String alpha) {
    return (kappa == Math.rint(kappa) ? Long.toString((long) kappa) : Double.toString(kappa)) + "|" + r + "|" + solver
        + "|" + lambdaFactor + "|" + alpha;
  }

  /** The comparison loop as it was before the alias (SensingTrials.run up to 2026-12-01), from the library. */
  private static List<Expected> reference(List<Double> kappas, List<Integer> ranks, List<String> solvers, int maxIter,
      int gdMaxIter, List<Double> lambdaFactors, List<Double> alphas) {
    SensingSettings base = SensingSettings.defaults().withSeed(SEED).with("rstar", RSTAR).with("d", D);
    long m = 10L * D * RSTAR;
    List<Expected> out = new ArrayList<>();
    for (double kappa : kappas) {
      LowRankTruth truth = LowRankTruth.generate(D, RSTAR, kappa, SEED);
      GaussianSensing inst = GaussianSensing.stored(truth, m, SEED, 0.0, GaussianSensing.defaultBlockRows(D));
      try (LocalEngine engine = new LocalEngine(inst.blocks())) {
        SensingProblem p = SensingProblem.setUp(engine, new PackedGaussianOperator(D, m), truth);
        List<Object[]> runs = new ArrayList<>();
        for (int r : ranks) {
          for (String solver : solvers) {
            runs.add(new Object[] {r, solver, base.lambdaFactor(), base.alpha()});
          }
        }
        for (double lf : lambdaFactors) {
          if (lf != base.lambdaFactor()) {
            runs.add(new Object[] {2 * RSTAR, "scaledgd-lambda", lf, base.alpha()});
          }
        }
        for (double a : alphas) {
          if (a != base.alpha()) {
            runs.add(new Object[] {2 * RSTAR, "scaledgd-lambda", base.lambdaFactor(), a});
          }
        }
        for (Object[] run : runs) {
          int r = (Integer) run[0];
          String solver = (String) run[1];
          double lf = (Double) run[2];
          double a = (Double) run[3];
          SensingSettings s = base.withSolver(solver).withRank(r).withMaxIter(solver.equals("gd") ? gdMaxIter : maxIter)
              .with("lambda", Double.toString(lf * p.truth().sigmaMin())).with("lambda-factor", lf).with("alpha", a);
          Result res = SensingRun.solveFrom(p, s, r, null);
          boolean lambda = solver.equals("scaledgd-lambda");
          boolean small = lambda || solver.equals("precgd");
          out.add(new Expected(key(kappa, r, solver, lambda ? Double.toString(lf) : "", small ? Double.toString(a) : ""),
              res.status().name(), res.iterations(), res.trace()));
        }
      }
    }
    return out;
  }

  @Test
  void theAliasGivesTheTableOfTheLoopItReplacedAndResumes(@TempDir Path tmp) throws IOException {
    Path out = tmp.resolve("compare");
    String[] args = {"sensing", "--compare", "--seed", Long.toString(SEED), "--set", "sensing.rstar=" + RSTAR,
        "--set", "sensing.trials.d=" + D, "--set", "sensing.trials.kappas=[2,10]", "--set",
        "sensing.trials.ranks=[2,4]", "--set", "sensing.trials.solvers=[scaledgd-lambda,precgd,scaledgd,gd]",
        "--set", "sensing.trials.max-iter=150", "--set", "sensing.trials.gd-max-iter=400", "--set",
        "sensing.trials.lambda-factors=[0.1,1.0]", "--set", "sensing.trials.alphas=[0.001,0.01]", "--out",
        out.toString()};
    CliRun first = run(args);
    assertEquals(Main.OK, first.code(), first.toString());
    List<Expected> expected = reference(List.of(2.0, 10.0), List.of(2, 4),
        List.of("scaledgd-lambda", "precgd", "scaledgd", "gd"), 150, 400, List.of(0.1, 1.0), List.of(0.001, 0.01));
    List<Map<String, String>> table = SweepCommandTest.csv(out.resolve("trials.csv"));
    assertEquals(expected.size(), table.size());
    Map<String, List<Map<String, String>>> traces = new LinkedHashMap<>();
    for (Map<String, String> t : SweepCommandTest.csv(out.resolve("trials-traces.csv"))) {
      traces.computeIfAbsent(key(Double.parseDouble(t.get("kappa")), Integer.parseInt(t.get("r")), t.get("solver"),
          t.get("lambda_factor"), t.get("alpha")), k -> new ArrayList<>()).add(t);
    }
    boolean gdHadItsBudget = false;
    for (int i = 0; i < expected.size(); i++) {
      Expected e = expected.get(i);
      Map<String, String> t = table.get(i); // same order: per κ, the main grid, then the λ and α rows
      String where = e.key() + " vs " + t;
      assertEquals(e.key(), key(Double.parseDouble(t.get("kappa")), Integer.parseInt(t.get("r")), t.get("solver"),
          t.get("lambda_factor"), t.get("alpha")), where);
      assertEquals(e.status(), t.get("status"), where);
      assertEquals(e.iterations(), Integer.parseInt(t.get("iterations")), where);
      gdHadItsBudget |= t.get("solver").equals("gd") && e.iterations() > 150;
      // λ = factor/κ in the alias, factor·σ_min(M*) = factor·(1 + (1/κ − 1)) in the loop: equal to rounding, which
      // the runs carry (contractive iterations) to about 1e-14 of the error; 1e-6 leaves room, far below a step.
      double a = e.trace().last().distance();
      double b = Double.parseDouble(t.get("relative_error"));
      assertTrue(Math.abs(a - b) <= 1e-6 * Math.abs(a), where);
      List<Map<String, String>> rows = traces.get(e.key());
      assertNotNull(rows, where);
      assertEquals(e.trace().size(), rows.size(), where);
      for (int k = 0; k < rows.size(); k++) {
        double x = e.trace().records().get(k).distance();
        double y = Double.parseDouble(rows.get(k).get("relative_error"));
        assertTrue(Math.abs(x - y) <= 1e-6 * Math.abs(x), where + " iteration " + k);
      }
    }
    assertTrue(gdHadItsBudget, "a GD run went past the others' budget (150): it had its own (400)");
    for (String f : List.of("trials.md", "trials-kappa2-r2.png", "trials-kappa10-r4.png", "summary.json",
        "config.conf", "results.csv", "traces.csv", "report.html")) {
      assertTrue(Files.exists(out.resolve(f)), f);
    }
    // report.html carries the convergence panels of the kept traces: one per (κ, r) of the main grid at least
    String report = Files.readString(out.resolve("report.html"));
    // one panel per (κ, r) with the four solvers (GD's own budget does not set it apart), one per sensitivity row
    java.util.Set<String> panels = new java.util.TreeSet<>();
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("convergence: ([^<\"]*)").matcher(report);
    while (m.find()) {
      panels.add(m.group(1));
    }
    assertEquals(8, panels.size(), panels.toString());
    assertTrue(panels.contains("alpha=0.001 kappa=10 lambda-factor=0.1 r=4"), panels.toString());

    // A rerun into the same directory runs nothing (every trial is in a part) and gives the same table.
    String before = Files.readString(out.resolve("trials-traces.csv"));
    List<String> tableBefore = Files.readAllLines(out.resolve("trials.csv"));
    List<Path> parts;
    try (var files = Files.list(out.resolve("results"))) {
      parts = files.sorted().toList();
    }
    CliRun again = run(args);
    assertEquals(Main.OK, again.code(), again.toString());
    try (var files = Files.list(out.resolve("results"))) {
      assertEquals(parts, files.sorted().toList(), "the rerun wrote no part");
    }
    assertEquals(before, Files.readString(out.resolve("trials-traces.csv")), "traces read back from the parts");
    assertEquals(tableBefore, Files.readAllLines(out.resolve("trials.csv")));
  }
}
