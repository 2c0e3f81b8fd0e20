package io.lowrank.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lowrank.SparkTestSession;
import io.lowrank.experiment.EscapeTrials;
import io.lowrank.run.ConfigValues;
import io.lowrank.run.LandscapeRun;
import io.lowrank.run.LandscapeSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sweep families of robust recovery, the landscape probes and the escape, through {@code lowrank sweep}: each
 * against the runner whose rows it must reproduce (the phase diagram of {@code landscape --diagram}, the table of
 * {@code escape --trials}, a single {@code sensing} run with a row's seed, the grid of {@code sensing --compare}), the
 * report's maps, and their bad input.
 */
class SweepFamiliesTest {
  @TempDir
  Path tmp;

  @BeforeAll
  static void sharedSpark() {
    SparkTestSession.get();
  }

  private Path spec(String name, String text) throws IOException {
    Path p = tmp.resolve(name + ".conf");
    Files.writeString(p, text);
    return p;
  }

  private static CliRun sweep(Path spec, Path out) {
    CliRun r = CliRun.run("sweep", spec.toString(), "--out", out.toString());
    assertEquals(Main.OK, r.code(), r.toString());
    return r;
  }

  /**
   * Robust recovery at p = 0.2 gross outliers: SubGM on the ℓ1 loss recovers M* in every trial, ScaledGD(λ) on the ℓ2
   * loss, on the same corrupted instances, does not (what README's robust section shows); success is the relative error
   * against the family's own threshold; and a row is the run of {@code lowrank sensing} with the row's seed.
   */
  @Test
  void robustL1RecoversUnderOutliersWhereL2FailsAndARowIsTheSensingRunOfItsSeed() throws IOException {
    Path out = tmp.resolve("robust");
    sweep(spec("robust", """
        name = robust
        family = robust
        trials = 2
        fixed { d = 10, rstar = 2, r = 2, kappa = 2, m = 200, max-iter = 1500, outliers = 0.2, success = 1e-3 }
        grid { solver = [subgm, scaledgd-lambda] }
        """), out);
    List<Map<String, String>> rows = SweepCommandTest.csv(out.resolve("results.csv"));
    assertEquals(4, rows.size());
    for (Map<String, String> r : rows) {
      double error = Double.parseDouble(r.get("relative_error"));
      assertEquals(error <= 1e-3, Boolean.parseBoolean(r.get("success")), r.toString());
      if (r.get("solver").equals("subgm")) {
        assertTrue(error < 1e-3, "l1 SubGM recovers under 20% outliers: " + r);
        assertNotNull(r.get("iterations_to_success"));
      } else {
        assertTrue(error > 1e-2, "l2 ScaledGD(lambda) is led astray by the outliers: " + r);
      }
    }
    // The two solvers of a trial solve one instance (a paired comparison): the same seed.
    assertEquals(rows.get(0).get("seed"), rows.get(2).get("seed"));
    // Row 0 (subgm, trial 0) is `lowrank sensing` on the instance of its seed (Spark's engine sums in another order).
    Map<String, String> row = rows.get(0);
    Path single = tmp.resolve("single");
    CliRun r = CliRun.run("sensing", "--solver", "subgm", "--d", "10", "--rstar", "2", "--r", "2", "--kappa", "2",
        "--n", "200", "--max-iter", "1500", "--outliers", "0.2", "--seed", row.get("seed"), "--quiet", "--out",
        single.toString());
    assertEquals(Main.OK, r.code(), r.toString());
    String summary = Files.readString(single.resolve("summary.json"));
    assertTrue(summary.contains("\"iterations\" : " + row.get("iterations") + ","), summary);
    double error = Double.parseDouble(summary.replaceAll("(?s).*\"relative_error\" : ([^,\\n]+).*", "$1"));
    assertEquals(Double.parseDouble(row.get("relative_error")), error, 1e-6 * error);
  }

  /**
   * A landscape spec with {@code seeds = consecutive} gives the phase diagram of {@code landscape --diagram} (d = 20,
   * r* = 2, p = 0.2, the same instances, seeds 3 and 4; one set-up shared by the k of an instance), verdict for verdict
   * and min h to the last bit, and report.html maps the strict-saddle rate over m × k with each cell's verdict. At
   * m = 80, k = 10 the padded truth is a strict saddle (README's diagram), at m = 320 it is not.
   */
  @Test
  void aLandscapeSpecReproducesThePhaseDiagram() throws IOException {
    Path out = tmp.resolve("landscape");
    sweep(spec("landscape", """
        name = landscape
        family = landscape
        seed = 3
        seeds = consecutive
        trials = 2
        fixed { starts = 2, max-passes = 150 }
        grid { m = [80, 320], k = [3, 10] }
        """), out);
    LandscapeSettings s = LandscapeSettings.of(ConfigValues.reference().with("seed", 3)
        .with("landscape.starts", 2).with("landscape.max-passes", 150)
        .with("landscape.diagram.enabled", true).with("landscape.diagram.seeds", 2)
        .with("landscape.diagram.m-grid", List.of(80, 320)).with("landscape.diagram.k-grid", List.of(3, 10)));
    Map<String, LandscapeRun.Cell> diagram = new LinkedHashMap<>();
    for (LandscapeRun.Cell c : LandscapeRun.diagram(s, 1).cells()) {
      diagram.put(c.m() + "/" + c.k() + "/" + c.seed(), c);
    }
    List<Map<String, String>> rows = SweepCommandTest.csv(out.resolve("results.csv"));
    assertEquals(8, rows.size());
    int saddles = 0;
    for (Map<String, String> r : rows) {
      LandscapeRun.Cell c = diagram.get((long) Double.parseDouble(r.get("m")) + "/"
          + (long) Double.parseDouble(r.get("k")) + "/" + r.get("seed"));
      assertNotNull(c, r.toString());
      assertEquals(c.report().verdict().id(), r.get("verdict"), r.toString());
      assertEquals(c.report().saddle().minH(), Double.parseDouble(r.get("min_h")), 0.0, r.toString());
      assertEquals(c.report().verdict().id().equals("strict-saddle"), Boolean.parseBoolean(r.get("strict_saddle")));
      saddles += r.get("verdict").equals("strict-saddle") ? 1 : 0;
    }
    assertTrue(saddles > 0 && saddles < 8, "a diagram with both verdicts: " + saddles + " strict saddles of 8");
    String html = Files.readString(out.resolve("report.html"));
    assertTrue(html.contains("strict-saddle rate over k × m"), "the phase diagram's heat map");
    assertTrue(html.matches("(?s).*<small>(strict-saddle|local-minimum|not-critical) [12]/2, [-0-9.e]+</small>.*"),
        "cells labelled with the verdict and the median min h");
    assertTrue(Files.readString(out.resolve("cells.csv")).lines().findFirst().orElseThrow()
        .contains("strict_saddle_count"), "cells.csv counts the strict saddles");
  }

  /**
   * An escape spec gives the rows of {@code escape --trials} for the same seeds: every method from the same start,
   * status, success, gradient steps, escapes and the final distance equal (the same in-process run).
   */
  @Test
  void anEscapeSpecReproducesTheEscapeTrialsRows() throws IOException {
    List<String> methods = List.of("none", "sod", "sod-ungated", "line-search", "random", "restart");
    ConfigValues cfg = ConfigValues.reference().with("escape.trials.ns", List.of(5))
        .with("escape.trials.epsilons", List.of(0.15)).with("escape.trials.count", 2)
        .with("escape.trials.methods", methods).with("escape.trials.total-steps", 12000);
    Map<String, EscapeTrials.Run> trials = new LinkedHashMap<>();
    for (EscapeTrials.Run r : EscapeTrials.run(SparkTestSession.get(), cfg)) {
      trials.put(r.method() + "/" + r.trial(), r);
    }
    Path out = tmp.resolve("escape");
    sweep(spec("escape", """
        name = escape
        family = escape
        trials = 2
        fixed { gd.total-steps = 12000 }
        grid { n = [5], epsilon = [0.15], method = [none, sod-gated, sod-ungated, line-search, random, restart] }
        """), out);
    List<Map<String, String>> rows = SweepCommandTest.csv(out.resolve("results.csv"));
    assertEquals(12, rows.size());
    int escaped = 0;
    for (Map<String, String> r : rows) {
      String method = r.get("method").equals("sod-gated") ? "sod" : r.get("method"); // the table's name
      EscapeTrials.Run t = trials.get(method + "/" + r.get("trial"));
      String where = r + " vs " + t;
      assertEquals(Long.toString(t.seed()), r.get("seed"), where);
      assertEquals(t.status(), r.get("status"), where);
      assertEquals(t.success(), Boolean.parseBoolean(r.get("success")), where);
      assertEquals(t.steps(), Long.parseLong(r.get("gd_steps")), where);
      assertEquals(t.escapes(), Integer.parseInt(r.get("escapes")), where);
      assertEquals(t.accepted(), Long.parseLong(r.get("accepted_escapes")), where);
      assertEquals(t.distance(), Double.parseDouble(r.get("distance")), 0.0, where);
      escaped += t.escapes();
    }
    assertTrue(escaped > 0, "some method escaped");
    String html = Files.readString(out.resolve("report.html"));
    assertTrue(html.contains("sod-gated: success rate over epsilon × n"), "one success map per method");
    assertTrue(html.contains("<th>gd_steps</th><th>escapes</th><th>seconds</th>"), "the escape's statistics");
  }

  /**
   * The grid of {@code sensing --compare} as a spec: seeds = consecutive (one instance per κ from the run's seed), λ
   * = λ-factor·σ_min(M*) as a derived key, GD with the others' budget. Statuses, iterations and the iterations to
   * 1e-3/1e-5/1e-8 equal; final errors to rounding (λ = 0.1/κ there, 0.1·(1 + (1/κ − 1)) in --compare).
   */
  @Test
  void aSensingSpecReproducesTheRowsOfSensingCompare() throws IOException {
    Path compare = tmp.resolve("compare");
    CliRun c = CliRun.run("sensing", "--compare", "--set", "sensing.trials.d=8", "--set", "sensing.rstar=2", "--set",
        "sensing.trials.kappas=[2,5]", "--set", "sensing.trials.ranks=[2,4]", "--set",
        "sensing.trials.solvers=[gd,scaledgd-lambda,precgd,scaledgd]", "--set", "sensing.trials.max-iter=400",
        "--set", "sensing.trials.gd-max-iter=400", "--set", "sensing.trials.lambda-factors=[0.1]", "--set",
        "sensing.trials.alphas=[0.001]", "--out", compare.toString());
    assertEquals(Main.OK, c.code(), c.toString());
    Path out = tmp.resolve("sensing");
    sweep(spec("sensing", """
        name = sensing-compare
        family = sensing
        seeds = consecutive
        fixed { d = 8, rstar = 2, max-iter = 400 }
        grid { kappa = [2, 5], r = [2, 4], solver = [gd, scaledgd-lambda, precgd, scaledgd] }
        derived { lambda = "lambda-factor / kappa" }
        """), out);
    Map<String, Map<String, String>> sweep = new HashMap<>();
    for (Map<String, String> r : SweepCommandTest.csv(out.resolve("results.csv"))) {
      sweep.put(num(r.get("kappa")) + "/" + num(r.get("r")) + "/" + r.get("solver"), r);
    }
    List<Map<String, String>> table = SweepCommandTest.csv(compare.resolve("trials.csv"));
    assertEquals(16, table.size());
    assertEquals(16, sweep.size());
    for (Map<String, String> t : table) {
      Map<String, String> r = sweep.get(num(t.get("kappa")) + "/" + t.get("r") + "/" + t.get("solver"));
      String where = t + " vs " + r;
      assertNotNull(r, where);
      assertEquals(t.get("status"), r.get("status"), where);
      assertEquals(t.get("iterations"), r.get("iterations"), where);
      for (String level : List.of("1e-3", "1e-5", "1e-8")) {
        assertEquals(t.get("iterations_to_" + level), r.get("iterations_to_" + level), where);
      }
      double a = Double.parseDouble(t.get("relative_error"));
      double b = Double.parseDouble(r.get("relative_error"));
      assertTrue(Math.abs(a - b) <= 1e-6 * Math.abs(a) || a > 1e3 && b > 1e3, where);
    }
  }

  private static String num(String v) {
    double x = Double.parseDouble(v);
    return x == Math.rint(x) ? Long.toString((long) x) : v;
  }

  /** Bad specs of the new families: exit 2, one line naming the key, the value or the directory; nothing written. */
  @Test
  void badInputOfTheNewFamiliesExitsTwoWithOneLine() throws IOException {
    Map<String, String> cases = new LinkedHashMap<>();
    cases.put("family = robust\ngrid { outlier = [0.1] }",
        "grid: unknown key 'outlier' for family robust, did you mean 'outliers'?");
    cases.put("family = robust\nfixed { success = 0 }\ngrid { outliers = [0.1] }",
        "cell outliers=0.1: sweep.robust-success must be > 0, got 0");
    cases.put("family = robust\ngrid { operator = [completion], solver = [scaled-subgm] }",
        "cell operator=completion solver=scaled-subgm: --operator completion takes --solver subgm");
    cases.put("family = robust\nfixed { d = 8, solver = subgm }\ngrid { operator = [completion] }",
        "cell operator=completion: m (the number of observed entries) must be in [1, 64] for a 8x8 matrix, got 240");
    cases.put("family = landscape\ngrid { kk = [3] }", "grid: unknown key 'kk' for family landscape, did you mean 'k'?");
    cases.put("family = landscape\ngrid { diagram.seeds = [2] }",
        "grid: unknown key 'diagram.seeds' for family landscape");
    cases.put("family = landscape\ngrid { k = [] }", "grid.k: empty list");
    cases.put("family = landscape\ngrid { k = [1] }", "cell k=1: landscape.k (the search rank) = 1 is below");
    cases.put("family = landscape\ngrid { k = [3] }\nmetrics = [success]",
        "metrics: family landscape does not produce 'success'");
    cases.put("family = escape\ngrid { }", "grid: empty");
    cases.put("family = escape\ngrid { method = [sod-gatd] }",
        "cell method=sod-gatd: escape.method: unknown method 'sod-gatd', did you mean 'sod-gated'?");
    cases.put("family = escape\ngrid { n = [5] }\nmetrics = [iterations]",
        "metrics: family escape does not produce 'iterations'");
    cases.put("family = escape\ngrid { ns = [5] }", "grid: unknown key 'ns' for family escape, did you mean 'n'?");
    cases.put("family = escap\ngrid { n = [5] }", "family: unknown family 'escap', did you mean 'escape'?");
    cases.put("family = escape\nseeds = random\ngrid { n = [5] }",
        "unknown seeds 'random' (expected one of: derived, consecutive)");
    int i = 0;
    for (Map.Entry<String, String> c : cases.entrySet()) {
      CliRun r = CliRun.run("sweep", spec("bad" + i++, c.getKey()).toString(), "--out", tmp.resolve("bad").toString());
      assertEquals(Main.BAD_INPUT, r.code(), r.toString());
      assertTrue(r.err().startsWith("error: " + c.getValue()), c.getKey() + " -> " + r.err());
      assertEquals(1, r.err().lines().count(), r.err());
    }
    assertFalse(Files.exists(tmp.resolve("bad")), "bad input writes nothing");

    // An --out holding another family's sweep of the same name.
    Path out = tmp.resolve("shared");
    sweep(spec("shared-landscape", "name = shared\nfamily = landscape\n"
        + "fixed { d = 6, rstar = 2, m = 30, starts = 1, max-passes = 20 }\ngrid { k = [3] }"), out);
    CliRun r = CliRun.run("sweep", spec("shared-escape", "name = shared\nfamily = escape\n"
        + "fixed { gd.total-steps = 100 }\ngrid { n = [4] }").toString(), "--out", out.toString());
    assertEquals(Main.BAD_INPUT, r.code(), r.toString());
    assertTrue(r.err().contains("holds the results of sweep 'shared' (family landscape), not of family escape: give "
        + "another --out"), r.err());
    assertEquals(1, r.err().lines().count(), r.err());
    // ... and a rerun with other seeds is refused naming the key.
    r = CliRun.run("sweep", spec("shared-consecutive", "name = shared\nfamily = landscape\nseeds = consecutive\n"
        + "fixed { d = 6, rstar = 2, m = 30, starts = 1, max-passes = 20 }\ngrid { k = [3] }").toString(), "--out",
        out.toString());
    assertEquals(Main.BAD_INPUT, r.code(), r.toString());
    assertTrue(r.err().contains("was run with seeds = derived, this spec has seeds = consecutive"), r.err());
  }
}
