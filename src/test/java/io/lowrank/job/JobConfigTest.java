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
    assertEquals("smoothing-newton", c.string("solver"));
    assertEquals(1e-10, c.positiveDouble("tol"));
    assertEquals(100, c.positiveInt("max-iter"));
    assertEquals(1L, c.longValue("seed"));
    assertEquals(0, c.nonNegativeInt("partitions"));
    assertEquals(4000, c.positiveInt("generate.n"));
    assertEquals(0.8, c.probability("smoothing.gamma"));
    assertEquals(60, c.positiveInt("spectral.max-steps"));
    assertEquals(20, c.positiveInt("cg.max-iter"));
    assertEquals(1e-12, c.positiveDouble("stall.loss-tol"));
    assertTrue(c.optionalPath("input").isEmpty());
    assertFalse(c.isExplicit("master"));
    assertEquals(null, c.explicitMaster());
  }

  @Test
  void precedenceReferenceThenFileThenSetThenFlags() throws IOException {
    Path conf = Files.writeString(tmp.resolve("a.conf"), "tol = 1e-3\nmax-iter = 7\nseed = 5\nsmoothing.c = 2.5\n");
    Map<String, Object> flags = new LinkedHashMap<>();
    flags.put("tol", 1e-6);
    JobConfig c = load(conf.toString(), List.of("max-iter=9", "tol=1e-4", "max-iter=11"), flags, null);
    assertEquals(1e-6, c.positiveDouble("tol"));      // flag beats --set and file
    assertEquals(11, c.positiveInt("max-iter"));      // last --set beats file
    assertEquals(5L, c.longValue("seed"));            // file beats reference
    assertEquals(2.5, c.positiveDouble("smoothing.c"));
    assertEquals(0.8, c.probability("smoothing.gamma")); // reference
    assertTrue(c.isExplicit("seed"));
    assertFalse(c.isExplicit("schedule"));
  }

  @Test
  void defaultConfFileUnderHomeIsUsedWhenPresent() throws IOException {
    Path home = tmp.resolve("home");
    Files.createDirectories(home.resolve("conf"));
    Files.writeString(home.resolve("conf/phase-retrieval.conf"), "schedule = quantile\nmaster = \"local[2]\"\n");
    JobConfig c = load(null, List.of(), Map.of(), home);
    assertEquals("quantile", c.oneOf("schedule", "loss", "quantile", "fixed"));
    assertEquals("local[2]", c.explicitMaster());
    // Another command has no conf file there: defaults.
    JobConfig g = JobConfig.load("generate", null, List.of(), Map.of(), tmp, home);
    assertEquals("loss", g.string("schedule"));
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
    assertEquals("tol must be > 0, got -1", message(() -> with("tol=-1").positiveDouble("tol")));
    assertEquals("tol must be > 0, got -1",
        message(() -> load(null, List.of(), Map.of("tol", -1.0), null).positiveDouble("tol")));
    assertEquals("tol must be a number, got 'abc'", message(() -> with("tol=abc").positiveDouble("tol")));
    assertEquals("tol must be a finite number, got Infinity", message(() -> with("tol=Infinity").positiveDouble("tol")));
    assertEquals("unknown schedule 'foo' (expected one of: loss, quantile, fixed)",
        message(() -> with("schedule=foo").oneOf("schedule", "loss", "quantile", "fixed")));
    assertEquals("max-iter must be a positive integer, got 0", message(() -> with("max-iter=0").positiveInt("max-iter")));
    assertEquals("max-iter must be a positive integer, got 2.5", message(() -> with("max-iter=2.5").positiveInt("max-iter")));
    assertEquals("max-iter must be a positive integer, got 'ten'", message(() -> with("max-iter=ten").positiveInt("max-iter")));
    assertEquals("partitions must be a non-negative integer, got -1",
        message(() -> with("partitions=-1").nonNegativeInt("partitions")));
    assertEquals("smoothing.gamma must be in (0, 1), got 1", message(() -> with("smoothing.gamma=1").probability("smoothing.gamma")));
    assertEquals("smoothing.quantile must be in (0, 1), got 1.5",
        message(() -> with("smoothing.quantile=1.5").probability("smoothing.quantile")));
    assertEquals("generate.noise must be >= 0, got -0.5",
        message(() -> with("generate.noise=-0.5").nonNegativeDouble("generate.noise")));
    assertEquals("seed must be an integer, got 'x'", message(() -> with("seed=x").longValue("seed")));
    assertEquals(0.0, with("generate.noise=0").nonNegativeDouble("generate.noise"));
    assertEquals(-7L, with("seed=-7").longValue("seed"));
  }

  @Test
  void setRejectsUnknownKeysWithACloseMatch() {
    assertEquals("unknown config key 'toll' in --set toll=1 (did you mean 'tol'?)", message(() -> with("toll=1")));
    assertEquals("unknown config key 'smoothing.gama' in --set smoothing.gama=0.5 (did you mean 'smoothing.gamma'?)",
        message(() -> with("smoothing.gama=0.5")));
    assertEquals("unknown config key 'gamma' in --set gamma=0.5 (did you mean 'smoothing.gamma'?)",
        message(() -> with("gamma=0.5")));
    String far = message(() -> with("zzzzzzzzzz=1"));
    assertTrue(far.startsWith("unknown config key 'zzzzzzzzzz' in --set zzzzzzzzzz=1 (known keys: "), far);
    assertTrue(message(() -> with("smoothing=1")).startsWith("'smoothing' is a section, not a key"));
  }

  @Test
  void setRejectsMalformedArguments() {
    assertEquals("--set expects KEY=VALUE, got 'tol'", message(() -> with("tol")));
    assertEquals("--set expects KEY=VALUE, got '=3'", message(() -> with("=3")));
    assertEquals("", with("truth=").string("truth")); // an empty value is fine
  }

  @Test
  void confFileRejectsUnknownKeysAndSyntaxErrors() throws IOException {
    Path typo = Files.writeString(tmp.resolve("typo.conf"), "max-iters = 5\n");
    String m = message(() -> load(typo.toString(), List.of(), Map.of(), null));
    assertTrue(m.startsWith("unknown config key 'max-iters' in config file ") && m.endsWith("(did you mean 'max-iter'?)"), m);
    Path broken = Files.writeString(tmp.resolve("broken.conf"), "tol = = {\n");
    assertTrue(message(() -> load(broken.toString(), List.of(), Map.of(), null)).startsWith("cannot read config file "));
  }

  @Test
  void renderedConfigReloadsToTheSameValues() throws IOException {
    JobConfig c = load(null, List.of("tol=1e-7", "smoothing.gamma=0.5", "input=/data/x.csv"), Map.of("seed", 42L), null);
    String text = c.render();
    assertTrue(text.startsWith("# Resolved configuration of 'lowrank phase-retrieval'"), text);
    Path saved = Files.writeString(tmp.resolve("config.conf"), text);
    JobConfig again = load(saved.toString(), List.of(), Map.of(), null);
    for (Map.Entry<String, com.typesafe.config.ConfigValue> e : c.config().entrySet()) {
      assertEquals(e.getValue().unwrapped().toString(), again.config().getValue(e.getKey()).unwrapped().toString(), e.getKey());
    }
    assertEquals(c.config().entrySet().size(), again.config().entrySet().size());
    com.typesafe.config.Config json = ConfigFactory.parseString(c.renderJson());
    assertEquals(1e-7, json.getDouble("tol"));
    assertEquals(42L, json.getLong("seed"));
    assertEquals("/data/x.csv", json.getString("input"));
    assertEquals(0.5, json.getDouble("smoothing.gamma"));
  }
}
