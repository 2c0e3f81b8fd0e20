package io.lowrank.experiment.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Spec parsing without Spark: grids, ranges, derived keys, cell ids, and the bad-input messages. */
class SweepSpecTest {
  private static SweepSpec spec(String body) {
    return SweepSpec.parse("family = phase-retrieval\n" + body, "test");
  }

  private static String error(String body) {
    return assertThrows(IllegalArgumentException.class, () -> spec(body)).getMessage();
  }

  @Test
  void theGridIsTheProductOfItsAxesInKeyOrderWithDerivedKeys() {
    SweepSpec s = spec("fixed { d = 10 }\ngrid { solver = [bwgd, smoothing-newton], ratio = [3, 4.5] }\n"
        + "derived { n = \"round(ratio * d)\" }");
    assertEquals(List.of("ratio", "solver", "n"), s.cellKeys());
    assertEquals(4, s.cells().size());
    // ratio (alphabetically first) varies slowest; n = round(ratio * d) set as an integer in generate.n
    assertEquals(Map.of("ratio", 3, "solver", "bwgd", "n", 30L), s.cells().get(0).values());
    assertEquals(45L, s.cells().get(3).values().get("n"));
    assertEquals(45, s.cells().get(3).config().getInt("generate.n"));
    assertEquals("smoothing-newton", s.cells().get(3).config().getString("phase-retrieval.solver"));
    assertEquals(10, s.cells().get(3).config().getInt("generate.d"));
  }

  /**
   * A list of grids: the union of their products in list order, a repeated cell once, a key a grid does not set at
   * its fixed (else reference) value there; in a list a key may be fixed and on a grid.
   */
  @Test
  void aListOfGridsIsTheUnionOfTheirProducts() {
    SweepSpec s = spec("fixed { d = 10, max-iter = 100 }\n"
        + "grid = [{ solver = [bwgd, smoothing-newton], ratio = [3] },\n"
        + "        { solver = [bwgd], ratio = [3, 4], max-iter = [500] },\n"
        + "        { solver = [bwgd], ratio = [3], max-iter = 100 }]\n"
        + "derived { n = \"round(ratio * d)\" }");
    assertEquals(List.of("max-iter", "ratio", "solver", "n"), s.cellKeys());
    List<Map<String, Object>> cells = s.cells().stream().map(SweepCell::values).toList();
    assertEquals(List.of(
        Map.of("max-iter", 100, "ratio", 3, "solver", "bwgd", "n", 30L),
        Map.of("max-iter", 100, "ratio", 3, "solver", "smoothing-newton", "n", 30L),
        Map.of("max-iter", 500, "ratio", 3, "solver", "bwgd", "n", 30L),
        Map.of("max-iter", 500, "ratio", 4, "solver", "bwgd", "n", 40L)), cells); // the third grid's cell is the first's
    assertEquals(500, s.cells().get(3).config().getInt("phase-retrieval.max-iter"));
    assertEquals(100, s.cells().get(1).config().getInt("phase-retrieval.max-iter"));
    assertEquals(List.of(100, 500), s.grid().get("max-iter")); // merged axes, for the report and the rerun checks
    // a reference value stands in when nothing fixes the key
    SweepSpec r = spec("grid = [{ solver = [bwgd] }, { solver = [bwgd], max-iter = [7] }]");
    assertEquals(100, r.cells().get(0).values().get("max-iter")); // phase-retrieval.max-iter in reference.conf
    assertEquals(7, r.cells().get(1).values().get("max-iter"));
  }

  @Test
  void badListsOfGridsAndTracesAreRefusedNamingTheGrid() {
    assertTrue(error("grid = [{ solver = [bwgd] }, 3]").startsWith("grid[1]: must be a section"));
    assertTrue(error("grid = [{ solver = [bwgd] }, { }]").startsWith("grid[1]: empty"));
    assertTrue(error("grid = []").startsWith("grid: empty list"));
    assertTrue(error("fixed { d = 10 }\ngrid = [{ ratio = [3] }, { solver = [bwgd] }]\n"
        + "derived { n = \"round(ratio * d)\" }").startsWith("grid[1]: no value for 'ratio'"));
    assertTrue(error("fixed { max-iter = 5 }\ngrid { max-iter = [1, 2] }").startsWith("grid.max-iter: also set in fixed"));
    String denoise = assertThrows(IllegalArgumentException.class, () -> SweepSpec.parse(
        "family = denoise\ntraces = true\ngrid { theta = [1, 2] }", "t")).getMessage();
    assertTrue(denoise.startsWith("traces: family denoise keeps no per-iteration trace (those that do: "), denoise);
    assertTrue(spec("traces = true\ngrid { solver = [bwgd] }").traces());
  }

  /** Every preset of conf/sweeps parses and checks every cell (what `sweep --dry-run` does before Spark starts). */
  @Test
  void everyPresetParses() throws java.io.IOException {
    List<java.nio.file.Path> presets;
    try (var files = java.nio.file.Files.list(java.nio.file.Path.of("conf/sweeps"))) {
      presets = files.filter(f -> f.toString().endsWith(".conf")).sorted().toList();
    }
    assertTrue(presets.size() >= 7, presets.toString());
    for (java.nio.file.Path f : presets) {
      String name = f.getFileName().toString().replace(".conf", "");
      SweepSpec s = SweepSpec.parse(java.nio.file.Files.readString(f), name);
      assertEquals(name, s.name(), f.toString());
      assertTrue(s.cells().size() > 0, f.toString());
    }
    SweepSpec sensing = SweepSpec.parse(java.nio.file.Files.readString(java.nio.file.Path.of(
        "conf/sweeps/sensing-kappa-rank.conf")), "x");
    assertEquals(24, sensing.cells().size()); // 2 κ × 3 r × (3 solvers + GD at its own budget)
    assertTrue(sensing.traces());
  }

  @Test
  void cellIdsDependOnTheValuesOnlyNotOnTheirOrderOrSpelling() {
    SweepSpec a = spec("grid { ratio = [3, 4], solver = [bwgd] }\nderived { n = \"ratio * 50\" }");
    SweepSpec b = spec("grid { solver = [bwgd], ratio = [4.0, 3.0] }\nderived { n = \"50 * ratio\" }");
    assertEquals(a.cells().get(0).id(), b.cells().get(1).id());
    assertEquals(a.cells().get(1).id(), b.cells().get(0).id());
    assertNotEquals(a.cells().get(0).id(), a.cells().get(1).id());
  }

  @Test
  void rangesByStepAndByPointsLinearOrLog() {
    assertEquals(List.of(1L, 3L, 5L), SweepSpec.range("k", com.typesafe.config.ConfigFactory.parseString(
        "from = 1, to = 5, step = 2")));
    assertEquals(List.of(0.1, 0.2, 0.3), SweepSpec.range("k", com.typesafe.config.ConfigFactory.parseString(
        "from = 0.1, to = 0.3, step = 0.1")));
    assertEquals(List.of(1.0, 10.0, 100.0), SweepSpec.range("k", com.typesafe.config.ConfigFactory.parseString(
        "from = 1, to = 100, points = 3, scale = log")));
    SweepSpec s = spec("grid { smoothing { c = { from = 0.5, to = 1.5, points = 3 } } }");
    assertEquals(List.of(0.5, 1.0, 1.5), s.grid().get("smoothing.c"));
    assertEquals(1.5, s.cells().get(2).config().getDouble("phase-retrieval.smoothing.c"));
  }

  @Test
  void derivedArithmetic() {
    Map<String, Double> v = Map.of("a", 3.0, "max-iter", 10.0, "b", 2.0);
    assertEquals(3.0 * 10 - 2.0 / 4 + Math.pow(2, 3), Derived.eval("k", "a * max-iter - b / 4 + b ^ 3", v), 0);
    assertEquals(-1.0, Derived.eval("k", "-(a - b) * 1e0", v), 0);
    assertEquals(7.0, Derived.eval("k", "max(round(a * 2.2), sqrt(4))", v), 0);
    assertTrue(assertThrows(IllegalArgumentException.class, () -> Derived.eval("n", "a * ", v)).getMessage()
        .startsWith("derived.n = \"a * \""));
  }

  /**
   * Derived seeds depend on the keys that shape a cell's instance (d, n) and not on the solver; consecutive seeds are
   * seed + trial in every cell.
   */
  @Test
  void trialSeedsAreDerivedPerInstanceOrConsecutive() {
    SweepSpec derived = spec("seed = 5\nfixed { d = 10 }\ngrid { n = [30, 40], solver = [bwgd, smoothing-newton] }");
    assertEquals("derived", derived.seeds());
    List<SweepCell> c = derived.cells(); // n=30 bwgd, n=30 sn, n=40 bwgd, n=40 sn
    assertEquals(derived.trialSeed(c.get(0).settings(), 1), derived.trialSeed(c.get(1).settings(), 1));
    assertNotEquals(derived.trialSeed(c.get(0).settings(), 1), derived.trialSeed(c.get(2).settings(), 1));
    assertNotEquals(derived.trialSeed(c.get(0).settings(), 0), derived.trialSeed(c.get(0).settings(), 1));
    assertEquals(io.lowrank.data.Seeds.derive(5, 10, 30, 1), derived.trialSeed(c.get(0).settings(), 1));
    SweepSpec consecutive = spec("seed = 5\nseeds = consecutive\nfixed { d = 10 }\ngrid { n = [30, 40] }");
    assertEquals("consecutive", consecutive.seeds());
    for (SweepCell cell : consecutive.cells()) {
      assertEquals(5, consecutive.trialSeed(cell.settings(), 0));
      assertEquals(7, consecutive.trialSeed(cell.settings(), 2));
    }
  }

  @Test
  void badSpecsSayWhatIsWrongInOneLine() {
    assertEquals("grid: unknown key 'max_iter' for family phase-retrieval, did you mean 'max-iter'?; a helper "
        + "variable must be used by a derived key", error("grid { max_iter = [10, 20] }"));
    assertEquals("grid.ratio: empty list; give at least one value", error("grid { ratio = [] }"));
    assertEquals("grid: empty; give at least one key and its values", error("grid { }"));
    assertTrue(error("grid { solver = [bwgd] }\nmetrics = [distanse]").startsWith(
        "metrics: family phase-retrieval does not produce 'distanse', did you mean 'distance'?"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> SweepSpec.parse(
        "family = phase-retreival\ngrid { solver = [bwgd] }", "x")).getMessage().startsWith(
        "family: unknown family 'phase-retreival', did you mean 'phase-retrieval'?"));
    assertTrue(error("grid { solver = [bwgd, newton] }").contains("cell solver=newton: unknown phase-retrieval.solver 'newton'"));
    assertTrue(error("grid { solver = [bwgd] }\ntrails = 3").startsWith("spec: unknown key 'trails', did you mean "
        + "'trials'?"));
    for (String m : List.of(error("grid { ratio = [3] }"), error("grid { solver = [bwgd] }\nmetrics = []"))) {
      assertTrue(!m.contains("\n"), m);
    }
  }
}
