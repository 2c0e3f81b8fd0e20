package io.lowrank.job;

import static io.lowrank.job.CliRun.run;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lowrank.SparkTestSession;
import io.lowrank.io.OutputLock;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** End-to-end tests of {@code lowrank phase-retrieval} (and {@code generate}) through {@link Main#run}. */
class PhaseRetrievalCommandTest {
  private static final Set<String> OUTPUTS =
      Set.of("summary.json", "trace.csv", "estimate.csv", "convergence.png", "config.conf", "report.html");
  private static final Set<String> STATUSES = Set.of("CONVERGED", "STALLED", "MAX_ITER", "DIVERGED");
  private static final ObjectMapper JSON = new ObjectMapper();
  /** Under Surefire the working directory is the project root. */
  private static final Path PROJECT = Paths.get("").toAbsolutePath();
  private static final String CONF = PROJECT.resolve("conf/phase-retrieval.conf").toString();

  @BeforeAll
  static void sharedSpark() {
    SparkTestSession.get(); // the commands' SparkSessions.create then reuses it (getOrCreate)
  }

  // ------------------------------------------------------------------------------------------- helpers



  private static CliRun runOk(String... args) {
    CliRun r = run(args);
    assertEquals(0, r.code(), () -> String.join(" ", args) + "\n" + r);
    return r;
  }

  private static Set<String> list(Path dir) throws IOException {
    Set<String> names = new TreeSet<>();
    try (Stream<Path> s = Files.list(dir)) {
      s.forEach(p -> names.add(p.getFileName().toString()));
    }
    return names;
  }

  /** The five outputs, nothing else (no staging directory, no .crc files). */
  private static void assertOutputs(Path dir) throws IOException {
    assertEquals(new TreeSet<>(OUTPUTS), list(dir));
  }

  private static JsonNode summary(Path dir) throws IOException {
    return JSON.readTree(dir.resolve("summary.json").toFile());
  }

  private static Map<String, byte[]> snapshot(Path dir) throws IOException {
    Map<String, byte[]> m = new HashMap<>();
    for (String name : list(dir)) {
      m.put(name, Files.readAllBytes(dir.resolve(name)));
    }
    return m;
  }

  private static void assertSameFiles(Map<String, byte[]> expected, Path dir) throws IOException {
    Map<String, byte[]> now = snapshot(dir);
    assertEquals(new TreeSet<>(expected.keySet()), new TreeSet<>(now.keySet()));
    for (var e : expected.entrySet()) {
      assertArrayEquals(e.getValue(), now.get(e.getKey()), e.getKey() + " changed");
    }
  }

  private static double[] readDoubles(Path file) throws IOException {
    return Files.readAllLines(file).stream().filter(l -> !l.isBlank()).mapToDouble(Double::parseDouble).toArray();
  }

  /** A noiseless instance y = (a^T x)^2 as CSV text with header y,a1..ad. */
  private static String csv(int n, int d, long seed) {
    Random rnd = new Random(seed);
    double[] x = new double[d];
    for (int j = 0; j < d; j++) {
      x[j] = rnd.nextGaussian();
    }
    StringBuilder sb = new StringBuilder("y");
    for (int j = 1; j <= d; j++) {
      sb.append(",a").append(j);
    }
    sb.append('\n');
    for (int i = 0; i < n; i++) {
      double[] a = new double[d];
      double dot = 0;
      for (int j = 0; j < d; j++) {
        a[j] = rnd.nextGaussian();
        dot += a[j] * x[j];
      }
      sb.append(dot * dot);
      for (double v : a) {
        sb.append(',').append(v);
      }
      sb.append('\n');
    }
    return sb.toString();
  }

  private static Path write(Path dir, String name, String text) throws IOException {
    Path p = dir.resolve(name);
    Files.writeString(p, text, StandardCharsets.UTF_8);
    return p;
  }

  // ----------------------------------------------------------------------------------- 1. the sample

  @Test
  void defaultSampleEndToEnd(@TempDir Path tmp) throws IOException {
    Path out = tmp.resolve("out");
    CliRun r = runOk("phase-retrieval", "--conf", CONF, "--out", out.toString());
    assertTrue(r.out().contains("CONVERGED"), r.toString());
    assertOutputs(out);
    for (String name : list(out)) {
      assertFalse(name.startsWith("."), name);
    }

    JsonNode s = summary(out);
    for (String key : List.of("solver", "status", "iterations", "passes", "final_loss", "distance_to_truth", "seconds",
        "n", "d", "partitions", "master")) {
      assertTrue(s.has(key), "summary.json lacks " + key + ": " + s);
    }
    assertEquals("smoothing-newton", s.get("solver").asText());
    assertEquals("CONVERGED", s.get("status").asText());
    assertEquals(256, s.get("n").asInt());
    assertEquals(32, s.get("d").asInt());
    assertTrue(s.get("distance_to_truth").isNumber(), s.toString());
    assertTrue(s.get("distance_to_truth").asDouble() < 1e-10, s.toString());
    assertTrue(s.get("iterations").asInt() > 0 && s.get("passes").asInt() > 0, s.toString());

    List<String> trace = Files.readAllLines(out.resolve("trace.csv"));
    assertEquals("iteration,loss,gradient_norm,mu,step_norm,distance_to_truth,passes,wall_ms", trace.get(0));
    assertTrue(trace.size() >= 2, trace.toString());
    String traceText = Files.readString(out.resolve("trace.csv"));
    assertFalse(traceText.contains("NaN"), traceText);
    assertFalse(traceText.contains("Infinity"), traceText);
    assertFalse(Files.readString(out.resolve("summary.json")).contains("NaN"));

    List<String> estimateLines = Files.readAllLines(out.resolve("estimate.csv"));
    assertEquals(32, estimateLines.size(), estimateLines.toString());
    double[] estimate = estimateLines.stream().mapToDouble(Double::parseDouble).toArray();
    double[] truth = readDoubles(PROJECT.resolve("data-samples/phase-retrieval.truth"));
    assertEquals(32, truth.length);
    double plus = 0;
    double minus = 0;
    for (int j = 0; j < 32; j++) {
      plus = Math.max(plus, Math.abs(estimate[j] - truth[j]));
      minus = Math.max(minus, Math.abs(estimate[j] + truth[j]));
    }
    assertTrue(Math.min(plus, minus) < 1e-9, "max |x - x*| up to sign = " + Math.min(plus, minus));

    byte[] png = Files.readAllBytes(out.resolve("convergence.png"));
    assertTrue(png.length > 8);
    assertArrayEquals(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'}, Arrays.copyOf(png, 8));

    String conf = Files.readString(out.resolve("config.conf"));
    assertTrue(conf.contains("smoothing-newton"), conf);
  }

  // --------------------------------------------------------------------------- 2. other solver setups

  @ParameterizedTest(name = "{0}")
  @MethodSource("variants")
  void solverVariantsRun(String label, List<String> flags, @TempDir Path tmp) throws IOException {
    Path out = tmp.resolve("out");
    List<String> args = new ArrayList<>(List.of("phase-retrieval", "--conf", CONF, "--out", out.toString()));
    args.addAll(flags);
    runOk(args.toArray(new String[0]));
    assertOutputs(out);
    JsonNode s = summary(out);
    assertTrue(STATUSES.contains(s.get("status").asText()), s.toString());
    assertEquals(256, s.get("n").asInt());
    assertFalse(Files.readString(out.resolve("trace.csv")).contains("NaN"));
  }

  static Stream<Arguments> variants() {
    return Stream.of(
        Arguments.of("bwgd", List.of("--solver", "bwgd")),
        Arguments.of("full hessian, quantile schedule", List.of("--hessian", "full", "--schedule", "quantile")));
  }

  @Test
  void bwgdRunIsReproducibleFromItsConfigConf(@TempDir Path tmp) throws IOException {
    Path out = tmp.resolve("out");
    runOk("phase-retrieval", "--solver", "bwgd", "--set", "generate.n=200", "--set", "generate.d=8",
        "--out", out.toString());
    JsonNode s = summary(out);
    assertEquals("bwgd", s.get("solver").asText());
    assertTrue(STATUSES.contains(s.get("status").asText()), s.toString());

    // config.conf says "Reproduce the run: ... --conf config.conf"; it holds every key, schedule included.
    Path again = tmp.resolve("again");
    runOk("phase-retrieval", "--conf", out.resolve("config.conf").toString(), "--out", again.toString());
    JsonNode t = summary(again);
    assertEquals("bwgd", t.get("solver").asText());
    assertEquals(200, t.get("n").asInt());
    assertEquals(s.get("status").asText(), t.get("status").asText());
    assertEquals(s.get("iterations").asInt(), t.get("iterations").asInt());
    assertEquals(Files.readString(out.resolve("estimate.csv")), Files.readString(again.resolve("estimate.csv")));
  }

  /** The shipped conf names the sample's truth file (d = 32): a generated instance of another d uses its own. */
  @Test
  void aGeneratedInstanceUsesTheGeneratorsTruth(@TempDir Path tmp) throws IOException {
    Path out = tmp.resolve("out");
    runOk("phase-retrieval", "--conf", "conf/phase-retrieval.conf", "--set", "input=", "--set", "generate.n=400",
        "--set", "generate.d=10", "--out", out.toString());
    JsonNode s = summary(out);
    assertEquals(10, s.get("d").asInt());
    assertTrue(s.get("distance_to_truth").asDouble() < 1e-10, s.toString());
    CliRun r = CliRun.run("phase-retrieval", "--set", "input=", "--truth", "x.truth", "--out", tmp.resolve("t").toString());
    assertEquals(Main.BAD_INPUT, r.code());
    assertTrue(r.err().contains("--truth is the truth of an --input"), r.err());
  }

  // ------------------------------------------------------------------- 3. generate, then solve; generated

  @ParameterizedTest(name = "{0}")
  @MethodSource("formats")
  void generateThenSolve(String ext, @TempDir Path tmp) throws IOException {
    Path data = tmp.resolve("x." + ext);
    CliRun g = runOk("generate", "--n", "400", "--d", "10", "--seed", "3", "--out", data.toString());
    assertTrue(g.out().contains("n = 400"), g.toString());
    Path truth = tmp.resolve("x.truth");
    assertTrue(Files.isRegularFile(truth), "generate wrote no " + truth);
    assertEquals(10, readDoubles(truth).length);

    Path out = tmp.resolve("run");
    runOk("phase-retrieval", "--input", data.toString(), "--truth", truth.toString(), "--out", out.toString());
    assertOutputs(out);
    JsonNode s = summary(out);
    assertEquals("CONVERGED", s.get("status").asText(), s.toString());
    assertEquals(400, s.get("n").asInt());
    assertEquals(10, s.get("d").asInt());
    assertTrue(s.get("distance_to_truth").asDouble() < 1e-8, s.toString());
    assertEquals(10, readDoubles(out.resolve("estimate.csv")).length);
  }

  static Stream<String> formats() {
    return Stream.of("parquet", "csv");
  }

  @Test
  void generatedInstanceWithoutInput(@TempDir Path tmp) throws IOException {
    Path out = tmp.resolve("out");
    runOk("phase-retrieval", "--set", "generate.n=300", "--set", "generate.d=10", "--out", out.toString());
    assertOutputs(out);
    JsonNode s = summary(out);
    assertEquals("CONVERGED", s.get("status").asText(), s.toString());
    assertEquals(300, s.get("n").asInt());
    assertEquals(10, s.get("d").asInt());
    assertEquals("generated", s.get("input").asText());
    assertTrue(s.get("distance_to_truth").asDouble() < 1e-8, s.toString());
  }

  @Test
  void noisyGeneratedInstanceRuns(@TempDir Path tmp) throws IOException {
    Path out = tmp.resolve("out");
    runOk("phase-retrieval", "--set", "generate.n=300", "--set", "generate.d=10", "--set", "generate.noise=0.01",
        "--out", out.toString());
    assertOutputs(out);
    JsonNode s = summary(out);
    assertTrue(STATUSES.contains(s.get("status").asText()), s.toString());
    assertFalse(Files.readString(out.resolve("trace.csv")).contains("NaN"));
    assertFalse(Files.readString(out.resolve("estimate.csv")).contains("NaN"));
  }

  // ------------------------------------------------------------------------------------ 4. bad input

  /**
   * A bad-input case: the arguments (given the temp dir, which holds good.csv and good.truth, and the output
   * path) and the substrings the one error line must contain.
   */
  private record Bad(String label, Function<Path, List<String>> args, List<String> expected) {
    @Override
    public String toString() {
      return label;
    }
  }

  private static Bad bad(String label, List<String> expected, Function<Path, List<String>> args) {
    return new Bad(label, args, expected);
  }

  private static List<String> csvArgs(Path tmp, String name, String text) {
    try {
      return List.of("--input", write(tmp, name, text).toString());
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  static Stream<Bad> badInputs() {
    return Stream.of(
        bad("unknown solver", List.of("solver", "'foo'"), t -> List.of("--solver", "foo")),
        bad("unknown schedule", List.of("schedule", "'sometimes'"), t -> List.of("--schedule", "sometimes")),
        bad("unknown hessian", List.of("hessian", "'exact'"), t -> List.of("--hessian", "exact")),
        bad("tol 0", List.of("tol", "> 0"), t -> List.of("--tol", "0")),
        bad("tol -1", List.of("tol", "-1"), t -> List.of("--tol", "-1")),
        bad("max-iter 0", List.of("max-iter", "0"), t -> List.of("--max-iter", "0")),
        bad("gamma 1.5", List.of("smoothing.gamma", "1.5"), t -> List.of("--set", "phase-retrieval.smoothing.gamma=1.5")),
        bad("fixed mu 0", List.of("smoothing.mu"), t -> List.of("--schedule", "fixed", "--set", "phase-retrieval.smoothing.mu=0")),
        bad("c -1", List.of("smoothing.c", "-1"), t -> List.of("--set", "phase-retrieval.smoothing.c=-1")),
        bad("unknown key", List.of("no.such.key"), t -> List.of("--set", "no.such.key=1")),
        bad("bwgd with schedule", List.of("bwgd", "schedule"), t -> List.of("--solver", "bwgd", "--schedule", "quantile")),
        bad("bwgd with full hessian", List.of("hessian"), t -> List.of("--solver", "bwgd", "--hessian", "full")),
        bad("missing input", List.of("nope.csv", "does not exist"),
            t -> List.of("--input", t.resolve("nope.csv").toString())),
        bad("missing truth", List.of("nope.truth", "does not exist"),
            t -> List.of("--input", t.resolve("good.csv").toString(), "--truth", t.resolve("nope.truth").toString())),
        bad("truth of the wrong length", List.of("short.truth", "5 values", "d = 3"), t -> {
          try {
            write(t, "short.truth", "1\n2\n3\n4\n5\n");
          } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
          }
          return List.of("--input", t.resolve("good.csv").toString(), "--truth", t.resolve("short.truth").toString());
        }),
        bad("NaN value", List.of("nan.csv", "row 2", "column a2"),
            t -> csvArgs(t, "nan.csv", "y,a1,a2,a3\n1,1,0,0\n1,0,NaN,0\n1,0,0,1\n1,1,1,1\n")),
        bad("negative y", List.of("negy.csv", "row 3", "column y"),
            t -> csvArgs(t, "negy.csv", "y,a1,a2,a3\n1,1,0,0\n1,0,1,0\n-0.5,0,0,1\n1,1,1,1\n")),
        bad("ragged row (short)", List.of("short.csv", "row 2", "a3"),
            t -> csvArgs(t, "short.csv", "y,a1,a2,a3\n1,1,0,0\n1,0,1\n1,0,0,1\n1,1,1,1\n")),
        bad("ragged row (long)", List.of("long.csv", "row 4", "extra"),
            t -> csvArgs(t, "long.csv", "y,a1,a2,a3\n1,1,0,0\n1,0,1,0\n1,0,0,1\n1,1,1,1,7\n")),
        bad("non-numeric value", List.of("text.csv", "row 1", "column a1", "'abc'"),
            t -> csvArgs(t, "text.csv", "y,a1,a2,a3\n1,abc,0,0\n1,0,1,0\n1,0,0,1\n1,1,1,1\n")),
        bad("no y column", List.of("noy.csv", "'y'"),
            t -> csvArgs(t, "noy.csv", "b,a1,a2,a3\n1,1,0,0\n1,0,1,0\n1,0,0,1\n1,1,1,1\n")),
        bad("header only", List.of("empty.csv", "empty input"), t -> csvArgs(t, "empty.csv", "y,a1,a2,a3\n")),
        bad("empty file", List.of("void.csv"), t -> csvArgs(t, "void.csv", "")),
        bad("n < d", List.of("narrow.csv", "n = 2", "d = 3"),
            t -> csvArgs(t, "narrow.csv", "y,a1,a2,a3\n1,1,0,0\n1,0,1,0\n")),
        bad("unknown format", List.of("format", "'xml'"),
            t -> List.of("--input", t.resolve("good.csv").toString(), "--format", "xml")),
        bad("parquet flag on a CSV", List.of("good.csv"),
            t -> List.of("--input", t.resolve("good.csv").toString(), "--format", "parquet")),
        bad("non-numeric --set", List.of("tol", "'small'"), t -> List.of("--set", "phase-retrieval.tol=small")),
        bad("picocli type error", List.of("--max-iter"), t -> List.of("--max-iter", "many")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badInputs")
  void badInputExitsTwoWithOneLineAndNoOutput(Bad c, @TempDir Path tmp) throws IOException {
    write(tmp, "good.csv", csv(40, 3, 11));
    Path out = tmp.resolve("run").resolve("out"); // does not exist
    List<String> args = new ArrayList<>(List.of("phase-retrieval"));
    args.addAll(c.args().apply(tmp));
    args.addAll(List.of("--out", out.toString()));
    CliRun r = run(args.toArray(new String[0]));
    assertEquals(2, r.code(), r.toString());
    List<String> lines = r.err().lines().toList();
    assertEquals(1, lines.size(), r.toString());
    String line = lines.get(0);
    assertTrue(line.startsWith("error: "), line);
    for (String e : c.expected()) {
      assertTrue(line.toLowerCase(Locale.ROOT).contains(e.toLowerCase(Locale.ROOT)), "'" + e + "' not in: " + line);
    }
    assertFalse(line.contains("Exception"), line);
    assertFalse(r.out().contains("CONVERGED"), r.toString());
    if (Files.exists(out)) {
      assertEquals(Set.of(), list(out), "output left behind");
    }
    assertFalse(Files.exists(tmp.resolve("run")) && !list(tmp.resolve("run")).isEmpty()
        && !list(tmp.resolve("run")).equals(Set.of("out")), "files next to the output");
  }

  // ------------------------------------------------------------------------------ 5. replace / keep

  @Test
  void secondRunReplacesAndFailedRunKeepsEarlierOutputs(@TempDir Path tmp) throws IOException {
    Path out = tmp.resolve("out");
    runOk("phase-retrieval", "--set", "generate.n=200", "--set", "generate.d=8", "--out", out.toString());
    assertOutputs(out);
    Map<String, byte[]> first = snapshot(out);
    assertEquals("smoothing-newton", summary(out).get("solver").asText());

    runOk("phase-retrieval", "--solver", "bwgd", "--set", "generate.n=250", "--set", "generate.d=8",
        "--out", out.toString());
    assertOutputs(out);
    JsonNode s = summary(out);
    assertEquals("bwgd", s.get("solver").asText());
    assertEquals(250, s.get("n").asInt());
    assertNotEquals(new String(first.get("config.conf"), StandardCharsets.UTF_8),
        Files.readString(out.resolve("config.conf")));
    assertTrue(Files.readString(out.resolve("config.conf")).contains("bwgd"));
    Map<String, byte[]> second = snapshot(out);

    CliRun badTol = run("phase-retrieval", "--tol", "-1", "--set", "generate.n=200", "--set", "generate.d=8",
        "--out", out.toString());
    assertEquals(2, badTol.code(), badTol.toString());
    assertSameFiles(second, out);

    // A failure found only while reading the data (after Spark started) leaves them alone too.
    Path nan = write(tmp, "nan.csv", "y,a1,a2\n1,1,0\n1,NaN,1\n1,0,1\n");
    CliRun badData = run("phase-retrieval", "--input", nan.toString(), "--out", out.toString());
    assertEquals(2, badData.code(), badData.toString());
    assertSameFiles(second, out);
  }

  /** The output location is checked before the data are read: the bad row below is never reached. */
  @Test
  void anOutputHeldByAnotherRunOrAFileFailsBeforeTheDataAreRead(@TempDir Path tmp) throws IOException {
    Path nan = write(tmp, "nan.csv", "y,a1,a2\n1,1,0\n1,NaN,1\n1,0,1\n");
    Path out = tmp.resolve("held");
    try (OutputLock lock = OutputLock.acquire(out.toString(), new org.apache.hadoop.conf.Configuration())) {
      CliRun r = run("phase-retrieval", "--input", nan.toString(), "--out", out.toString());
      assertEquals(Main.BAD_INPUT, r.code(), r.toString());
      assertTrue(r.err().startsWith("error: out " + out + " is in use by another run (pid "), r.err());
      assertEquals(1, r.err().lines().count(), r.err());
    }
    Path file = write(tmp, "a-file", "x");
    CliRun r = run("phase-retrieval", "--input", nan.toString(), "--out", file.toString());
    assertEquals(Main.BAD_INPUT, r.code(), r.toString());
    assertEquals("error: out " + file + " exists and is not a directory", r.err().strip());
  }

  /**
   * The default conf names the sample and its truth: a user's own --input (same d, or another d) is solved without
   * a truth, and the summary says which truth a run used.
   */
  @Test
  void theSamplesTruthIsNotAppliedToTheUsersData(@TempDir Path tmp) throws IOException {
    for (int d : new int[] {32, 50}) {
      Path mine = write(tmp, "mine" + d + ".csv", csv(8 * d, d, 11));
      Path out = tmp.resolve("mine" + d);
      runOk("phase-retrieval", "--conf", CONF, "--input", mine.toString(), "--out", out.toString());
      JsonNode s = summary(out);
      assertTrue(s.get("truth").isNull(), s.toString());
      assertTrue(s.get("distance_to_truth").isNull(), s.toString());
      assertTrue(s.get("initial_distance_to_truth").isNull(), s.toString());
      assertEquals(d, s.get("d").asInt());
    }
    Path sample = tmp.resolve("sample");
    runOk("phase-retrieval", "--conf", CONF, "--out", sample.toString());
    assertTrue(summary(sample).get("truth").asText().endsWith("data-samples/phase-retrieval.truth"));
    Path given = tmp.resolve("given");
    Path mine = tmp.resolve("mine32.csv");
    runOk("phase-retrieval", "--conf", CONF, "--input", mine.toString(), "--truth", "data-samples/phase-retrieval.truth",
        "--out", given.toString());
    assertTrue(summary(given).get("truth").asText().endsWith("data-samples/phase-retrieval.truth"));
  }
}
