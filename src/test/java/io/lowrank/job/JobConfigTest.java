package io.lowrank.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JobConfigTest {
  @TempDir Path tmp;

  private JobConfig load(String conf, List<String> sets, Map<String, ?> flags, Path home) {
    return JobConfig.load("phase-retrieval", conf, sets, flags, tmp.resolve("work"), home);
  }

  private JobConfig with(String... sets) {
    return load(null, List.of(sets), Map.of(), null);
  }

  private static String message(Runnable r) {
    return assertThrows(IllegalArgumentException.class, r::run).getMessage();
  }

  @Test
  void defaultsComeFromReferenceConf() {
    JobConfig c = with();
    assertEquals("local[*]", c.string("master"));
    assertEquals("auto", c.string("format"));
    assertEquals("smoothing-newton", c.string("phase-retrieval.solver"));
    assertEquals(1e-10, c.positiveDouble("phase-retrieval.tol"));
    assertEquals(100, c.positiveInt("phase-retrieval.max-iter"));
    assertEquals(1L, c.longValue("seed"));
    assertEquals(0, c.nonNegativeInt("partitions"));
    assertEquals(4000, c.positiveInt("generate.n"));
    assertEquals(0.8, c.probability("phase-retrieval.smoothing.gamma"));
    assertEquals(60, c.positiveInt("phase-retrieval.spectral.max-steps"));
    assertEquals(20, c.positiveInt("phase-retrieval.cg.max-iter"));
    assertEquals(1e-12, c.positiveDouble("phase-retrieval.stall.loss-tol"));
    assertTrue(c.optionalPath("input").isEmpty());
    assertFalse(c.isExplicit("master"));
    assertEquals(null, c.explicitMaster());
  }

  @Test
  void precedenceReferenceThenFileThenSetThenFlags() throws IOException {
    Path conf = Files.writeString(tmp.resolve("a.conf"), "phase-retrieval { tol = 1e-3, max-iter = 7, smoothing.c = 2.5 }\nseed = 5\n");
    Map<String, Object> flags = new LinkedHashMap<>();
    flags.put("phase-retrieval.tol", 1e-6);
    JobConfig c = load(conf.toString(), List.of("phase-retrieval.max-iter=9", "phase-retrieval.tol=1e-4", "phase-retrieval.max-iter=11"), flags, null);
    assertEquals(1e-6, c.positiveDouble("phase-retrieval.tol"));      // flag beats --set and file
    assertEquals(11, c.positiveInt("phase-retrieval.max-iter"));      // last --set beats file
    assertEquals(5L, c.longValue("seed"));            // file beats reference
    assertEquals(2.5, c.positiveDouble("phase-retrieval.smoothing.c"));
    assertEquals(0.8, c.probability("phase-retrieval.smoothing.gamma")); // reference
    assertTrue(c.isExplicit("seed"));
    assertFalse(c.isExplicit("phase-retrieval.schedule"));
  }

  @Test
  void defaultConfFileUnderHomeIsUsedWhenPresent() throws IOException {
    Path home = tmp.resolve("home");
    Files.createDirectories(home.resolve("conf"));
    Files.writeString(home.resolve("conf/phase-retrieval.conf"), "phase-retrieval.schedule = quantile\nmaster = \"local[2]\"\n");
    JobConfig c = load(null, List.of(), Map.of(), home);
    assertEquals("quantile", c.oneOf("phase-retrieval.schedule", "loss", "quantile", "fixed"));
    assertEquals("local[2]", c.explicitMaster());
    // Another command has no conf file there: defaults.
    JobConfig g = JobConfig.load("generate", null, List.of(), Map.of(), tmp, home);
    assertEquals("switching", g.string("phase-retrieval.schedule"));
    assertEquals(null, g.confFile());
  }

  @Test
  void missingConfFileIsAnError() {
    assertEquals("config file not found: nope.conf", message(() -> load("nope.conf", List.of(), Map.of(), null)));
  }

  @Test
  void relativePathsInConfFileResolveAgainstItsDirectory() throws IOException {
    Path dir = Files.createDirectories(tmp.resolve("confdir"));
    Path conf = Files.writeString(dir.resolve("run.conf"),
        "input = data/x.parquet\ntruth = \"/abs/truth.csv\"\nout = \"hdfs://nn:8020/runs/1\"\n");
    JobConfig c = load(conf.toString(), List.of(), Map.of(), null);
    assertEquals(dir.resolve("data/x.parquet").toString(), c.requiredPath("input"));
    assertEquals("/abs/truth.csv", c.requiredPath("truth"));
    assertEquals("hdfs://nn:8020/runs/1", c.requiredPath("out"));
  }

  @Test
  void relativePathsFromFlagsAndSetResolveAgainstWorkingDirectory() throws IOException {
    Path dir = Files.createDirectories(tmp.resolve("confdir"));
    Path conf = Files.writeString(dir.resolve("run.conf"), "input = a.csv\n");
    JobConfig c = load(conf.toString(), List.of("truth=t/x.csv", "out=file:rel/out"), Map.of("input", "in/b.csv"), null);
    Path work = tmp.resolve("work");
    assertEquals(work.resolve("in/b.csv").toString(), c.requiredPath("input"));
    assertEquals(work.resolve("t/x.csv").toString(), c.requiredPath("truth"));
    assertEquals("file:rel/out", c.requiredPath("out")); // a URL: untouched
  }

  @Test
  void requiredPathNamesTheFlag() {
    assertEquals("input is required (give --input PATH or --set input=PATH)", message(() -> with().requiredPath("input")));
  }

  @Test
  void validationMessagesNameTheKey() {
    assertEquals("phase-retrieval.tol must be > 0, got -1", message(() -> with("phase-retrieval.tol=-1").positiveDouble("phase-retrieval.tol")));
    assertEquals("phase-retrieval.tol must be > 0, got -1",
        message(() -> load(null, List.of(), Map.of("phase-retrieval.tol", -1.0), null).positiveDouble("phase-retrieval.tol")));
    assertEquals("phase-retrieval.tol must be a number, got 'abc'", message(() -> with("phase-retrieval.tol=abc").positiveDouble("phase-retrieval.tol")));
    assertEquals("phase-retrieval.tol must be a finite number, got Infinity", message(() -> with("phase-retrieval.tol=Infinity").positiveDouble("phase-retrieval.tol")));
    assertEquals("unknown phase-retrieval.schedule 'foo' (expected one of: loss, quantile, fixed)",
        message(() -> with("phase-retrieval.schedule=foo").oneOf("phase-retrieval.schedule", "loss", "quantile", "fixed")));
    assertEquals("phase-retrieval.max-iter must be a positive integer, got 0", message(() -> with("phase-retrieval.max-iter=0").positiveInt("phase-retrieval.max-iter")));
    assertEquals("phase-retrieval.max-iter must be a positive integer, got 2.5", message(() -> with("phase-retrieval.max-iter=2.5").positiveInt("phase-retrieval.max-iter")));
    assertEquals("phase-retrieval.max-iter must be a positive integer, got 'ten'", message(() -> with("phase-retrieval.max-iter=ten").positiveInt("phase-retrieval.max-iter")));
    assertEquals("partitions must be a non-negative integer, got -1",
        message(() -> with("partitions=-1").nonNegativeInt("partitions")));
    assertEquals("phase-retrieval.smoothing.gamma must be in (0, 1), got 1", message(() -> with("phase-retrieval.smoothing.gamma=1").probability("phase-retrieval.smoothing.gamma")));
    assertEquals("phase-retrieval.smoothing.quantile must be in (0, 1), got 1.5",
        message(() -> with("phase-retrieval.smoothing.quantile=1.5").probability("phase-retrieval.smoothing.quantile")));
    assertEquals("generate.noise must be >= 0, got -0.5",
        message(() -> with("generate.noise=-0.5").nonNegativeDouble("generate.noise")));
    assertEquals("seed must be an integer, got 'x'", message(() -> with("seed=x").longValue("seed")));
    assertEquals(0.0, with("generate.noise=0").nonNegativeDouble("generate.noise"));
    assertEquals(-7L, with("seed=-7").longValue("seed"));
  }

  @Test
  void theOldTopLevelKeysOfPhaseRetrievalAreRefusedNamingTheNewOne() throws IOException {
    assertEquals("config key 'tol' in --set tol=1e-3 is now 'phase-retrieval.tol' (each family's settings are in its "
        + "own section)", message(() -> with("tol=1e-3")));
    assertEquals("config key 'smoothing.c' in flag --smoothing.c is now 'phase-retrieval.smoothing.c' (each "
        + "family's settings are in its own section)",
        message(() -> load(null, List.of(), Map.of("smoothing.c", 2.0), null)));
    Path old = Files.writeString(tmp.resolve("old.conf"), "solver = bwgd\n");
    String m = message(() -> load(old.toString(), List.of(), Map.of(), null));
    assertTrue(m.startsWith("config key 'solver' in config file ") && m.endsWith("is now 'phase-retrieval.solver' "
        + "(each family's settings are in its own section)"), m);
  }

  @Test
  void setRejectsUnknownKeysWithACloseMatch() {
    assertEquals("unknown config key 'toll' in --set toll=1 (did you mean 'phase-retrieval.tol'?)", message(() -> with("toll=1")));
    assertEquals("unknown config key 'phase-retrieval.smoothing.gama' in --set phase-retrieval.smoothing.gama=0.5 (did you mean 'phase-retrieval.smoothing.gamma'?)",
        message(() -> with("phase-retrieval.smoothing.gama=0.5")));
    assertEquals("unknown config key 'gamma' in --set gamma=0.5 (did you mean 'phase-retrieval.smoothing.gamma'?)",
        message(() -> with("gamma=0.5")));
    String far = message(() -> with("zzzzzzzzzz=1"));
    assertTrue(far.startsWith("unknown config key 'zzzzzzzzzz' in --set zzzzzzzzzz=1 (known keys: "), far);
    assertTrue(message(() -> with("phase-retrieval.smoothing=1")).startsWith("'phase-retrieval.smoothing' is a section, not a key"));
  }

  @Test
  void listKeysTakeAListOnTheCommandLineWithOrWithoutBrackets() {
    assertEquals(List.of(10.0), with("sensing.trials.kappas=[10]").config().getDoubleList("sensing.trials.kappas"));
    assertEquals(List.of(10.0, 100.0),
        with("sensing.trials.kappas=10,100").config().getDoubleList("sensing.trials.kappas"));
    assertEquals(List.of("gd", "precgd"),
        with("sensing.trials.solvers=[gd, precgd]").config().getStringList("sensing.trials.solvers"));
  }

  @Test
  void setRejectsMalformedArguments() {
    assertEquals("--set expects KEY=VALUE, got 'phase-retrieval.tol'", message(() -> with("phase-retrieval.tol")));
    assertEquals("--set expects KEY=VALUE, got '=3'", message(() -> with("=3")));
    assertEquals("", with("truth=").string("truth")); // an empty value is fine
  }

  @Test
  void confFileRejectsUnknownKeysAndSyntaxErrors() throws IOException {
    Path typo = Files.writeString(tmp.resolve("typo.conf"), "phase-retrieval.max-iters = 5\n");
    String m = message(() -> load(typo.toString(), List.of(), Map.of(), null));
    assertTrue(m.startsWith("unknown config key 'phase-retrieval.max-iters' in config file ") && m.endsWith("(did you mean 'phase-retrieval.max-iter'?)"), m);
    Path broken = Files.writeString(tmp.resolve("broken.conf"), "phase-retrieval.tol = = {\n");
    assertTrue(message(() -> load(broken.toString(), List.of(), Map.of(), null)).startsWith("cannot read config file "));
  }

  @Test
  void renderedConfigReloadsToTheSameValues() throws IOException {
    JobConfig c = load(null, List.of("phase-retrieval.tol=1e-7", "phase-retrieval.smoothing.gamma=0.5", "input=/data/x.csv"), Map.of("seed", 42L), null);
    String text = c.render();
    assertTrue(text.startsWith("# Resolved configuration of 'lowrank phase-retrieval'"), text);
    Path saved = Files.writeString(tmp.resolve("config.conf"), text);
    JobConfig again = load(saved.toString(), List.of(), Map.of(), null);
    for (Map.Entry<String, com.typesafe.config.ConfigValue> e : c.config().entrySet()) {
      assertEquals(e.getValue().unwrapped().toString(), again.config().getValue(e.getKey()).unwrapped().toString(), e.getKey());
    }
    assertEquals(c.config().entrySet().size(), again.config().entrySet().size());
    com.typesafe.config.Config json = ConfigFactory.parseString(c.renderJson());
    assertEquals(1e-7, json.getDouble("phase-retrieval.tol"));
    assertEquals(42L, json.getLong("seed"));
    assertEquals("/data/x.csv", json.getString("input"));
    assertEquals(0.5, json.getDouble("phase-retrieval.smoothing.gamma"));
  }
}
