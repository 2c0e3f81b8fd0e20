package io.lowrank.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.lowrank.SparkTestSession;
import io.lowrank.run.Progress;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.Property;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The bad-input corpus: every failure a user can cause, run through the CLI in this JVM. Each case must end with
 * exit 2 and exactly one line on stderr, {@code error: ...}, naming the file, row, column, flag or URL at fault;
 * nothing may be written (the temporary directory holds the same files after the run as before, so no output
 * directory, staging directory, truth file or write probe is left); and no Spark or Hadoop log line at WARN or
 * above may be emitted during the run (in a terminal it would come before the error line, usually with a stack
 * trace). The small text inputs are in {@code src/test/resources/bad-input/}; Parquet, empty and corrupt part files,
 * mixed directories and read-only directories are made here. One case also runs in a fresh JVM the way
 * {@code jobs/lowrank} starts it, to see what a terminal shows.
 */
class BadInputCorpusTest {
  private static final Path CORPUS = corpus();

  @BeforeAll
  static void spark() {
    SparkTestSession.get(); // the commands' SparkSessions.create then reuses it
  }

  /**
   * One case: a label, the command line (given the fixture), and the fragments its error line must contain
   * (case-insensitive).
   */
  record Case(String label, Function<Fixture, List<String>> args, List<String> expected) {
    @Override
    public String toString() {
      return label;
    }
  }

  private static Case of(String label, List<String> expected, Function<Fixture, List<String>> args) {
    return new Case(label, args, expected);
  }

  private static List<String> solve(String command, Fixture f, String... more) {
    List<String> args = new ArrayList<>(List.of(command));
    if (command.equals("sensing")) {
      args.addAll(List.of("--operator", "rank-one"));
    }
    args.addAll(Arrays.asList(more));
    args.addAll(List.of("--out", f.out().toString()));
    return args;
  }

  private static List<String> input(String command, Fixture f, Path input, String... more) {
    List<String> args = new ArrayList<>(List.of("--input", input.toString()));
    args.addAll(Arrays.asList(more));
    return solve(command, f, args.toArray(new String[0]));
  }

  private static List<String> generate(Fixture f, String... more) {
    List<String> args = new ArrayList<>(List.of("generate", "--n", "40", "--d", "3", "--partitions", "1"));
    args.addAll(Arrays.asList(more));
    return args;
  }

  /** landscape with the flags given (its own instance or --input of an operator file). */
  private static List<String> landscape(Fixture f, String... more) {
    List<String> args = new ArrayList<>(List.of("landscape"));
    args.addAll(Arrays.asList(more));
    args.addAll(List.of("--out", f.out().toString()));
    return args;
  }

  /** sensing --input of an operator file (the default operator, not rank-one). */
  private static List<String> operator(Fixture f, Path input, String... more) {
    List<String> args = new ArrayList<>(List.of("sensing", "--input", input.toString()));
    args.addAll(Arrays.asList(more));
    args.addAll(List.of("--out", f.out().toString()));
    return args;
  }

  static Stream<Case> cases() {
    return Stream.of(
        // ---------------------------------------------------------------- phase-retrieval --input: files
        of("mixed CSV and Parquet directory", List.of("mixed", "mixes CSV and Parquet", ".csv", ".parquet"),
            f -> input("phase-retrieval", f, f.mixedDirectory())),
        of("0-byte Parquet part among good ones", List.of("part-00001-empty.snappy.parquet", "0-byte"),
            f -> input("phase-retrieval", f, f.parquetWithEmptyPart())),
        of("0-byte Parquet file alone", List.of("lonely.parquet", "0-byte"),
            f -> input("phase-retrieval", f, f.emptyParquetFile())),
        of("corrupt Parquet part", List.of("part-00000-corrupt.parquet", "not a Parquet file", "PAR1"),
            f -> input("phase-retrieval", f, f.corruptParquet())),
        of("duplicate header name", List.of("duplicate-header.csv", "a_0", "columns 2 and 3"),
            f -> input("phase-retrieval", f, CORPUS.resolve("duplicate-header.csv"))),
        of("repeated y in the header", List.of("repeated-y.csv", "duplicate", "y (columns 1 and 2)"),
            f -> input("phase-retrieval", f, CORPUS.resolve("repeated-y.csv"))),
        of("header names equal but for case", List.of("case-duplicate.csv", "A1", "ignoring case"),
            f -> input("phase-retrieval", f, CORPUS.resolve("case-duplicate.csv"))),
        of("trailing comma in the header", List.of("trailing-comma.csv", "column 5 has no name"),
            f -> input("phase-retrieval", f, CORPUS.resolve("trailing-comma.csv"))),
        of("a row of 1e308", List.of("row-of-1e308.csv", "row 5,", "column a1", "too large"),
            f -> input("phase-retrieval", f, CORPUS.resolve("row-of-1e308.csv"))),
        of("a value whose square overflows", List.of("square-overflows.csv", "row 7,", "column a2", "1.0E155"),
            f -> input("phase-retrieval", f, CORPUS.resolve("square-overflows.csv"))),
        of("an intensity of 1e300", List.of("huge-intensity.csv", "row 3,", "column y", "too large"),
            f -> input("phase-retrieval", f, CORPUS.resolve("huge-intensity.csv"))),
        of("input that does not exist", List.of("nope.csv", "does not exist"),
            f -> input("phase-retrieval", f, f.tmp().resolve("nope.csv"))),
        of("input without extension that does not exist", List.of("nope", "does not exist"),
            f -> input("phase-retrieval", f, f.tmp().resolve("nope"))),
        of("directory with only _SUCCESS", List.of("done", "without data files"),
            f -> input("phase-retrieval", f, f.directoryWithOnlySuccess())),
        of("empty directory, --format csv", List.of("done", "no data files"),
            f -> input("phase-retrieval", f, f.directoryWithOnlySuccess(), "--format", "csv")),
        of("CSV with only a header", List.of("header-only.csv", "no data rows"),
            f -> input("phase-retrieval", f, CORPUS.resolve("header-only.csv"))),
        of("Parquet y of type string", List.of("y-string.parquet", "column y", "string"),
            f -> input("phase-retrieval", f, f.parquet("y-string.parquet", new StructType()
                .add("y", DataTypes.StringType).add("a", DataTypes.createArrayType(DataTypes.DoubleType)),
                RowFactory.create("1", new double[] {1, 2})))),
        of("Parquet a of array<string>", List.of("a-strings.parquet", "column a", "array<string>"),
            f -> input("phase-retrieval", f, f.parquet("a-strings.parquet", new StructType()
                .add("y", DataTypes.DoubleType).add("a", DataTypes.createArrayType(DataTypes.StringType)),
                RowFactory.create(1.0, new String[] {"1", "2"})))),
        of("Parquet columns equal but for case", List.of("cases.parquet", "column `a1` already exists"),
            f -> input("phase-retrieval", f, f.parquetWithColumnsEqualButForCase())),
        of("--format parquet on a CSV file", List.of("good.csv", "read as Parquet", "--format csv"),
            f -> input("phase-retrieval", f, CORPUS.resolve("good.csv"), "--format", "parquet")),
        of("--format csv on a Parquet directory", List.of("good.parquet", "read as CSV", "--format parquet"),
            f -> input("phase-retrieval", f, f.goodParquet(), "--format", "csv")),
        of("part files with different headers", List.of("part-1.csv", "header"),
            f -> input("phase-retrieval", f, CORPUS.resolve("different-headers"))),
        of("input of an unknown format", List.of("notes.txt", "cannot tell the format", "--format"),
            f -> input("phase-retrieval", f, CORPUS.resolve("notes.txt"))),
        of("input on a file system without its connector", List.of("s3a://bucket/in.parquet", "no Hadoop FileSystem",
            "hadoop-aws"), f -> solve("phase-retrieval", f, "--input", "s3a://bucket/in.parquet")),
        of("truth file that is a directory", List.of("x.truth", "is a directory"),
            f -> input("phase-retrieval", f, CORPUS.resolve("good.csv"), "--truth", f.dir("x.truth").toString())),
        // ---------------------------------------------------------------- phase-retrieval: flags
        of("--conf that is a directory", List.of("confs", "is a directory"),
            f -> input("phase-retrieval", f, CORPUS.resolve("good.csv"), "--conf", f.dir("confs").toString())),
        of("--master empty", List.of("master is empty", "--master"),
            f -> input("phase-retrieval", f, CORPUS.resolve("good.csv"), "--master", "")),
        of("unreachable master", List.of("spark://127.0.0.1:", "not reachable", "refused"),
            f -> input("phase-retrieval", f, CORPUS.resolve("good.csv"), "--master", f.deadMaster())),
        // ---------------------------------------------------------------- sensing --input (rank-one)
        of("sensing: a row of 1e308", List.of("row-of-1e308.csv", "row 5,", "column a1"),
            f -> input("sensing", f, CORPUS.resolve("row-of-1e308.csv"))),
        of("sensing: duplicate header name", List.of("duplicate-header.csv", "a_0"),
            f -> input("sensing", f, CORPUS.resolve("duplicate-header.csv"))),
        of("sensing: mixed directory", List.of("mixed", "mixes CSV and Parquet"),
            f -> input("sensing", f, f.mixedDirectory())),
        of("sensing: 0-byte Parquet part", List.of("part-00001-empty.snappy.parquet", "0-byte"),
            f -> input("sensing", f, f.parquetWithEmptyPart())),
        // ---------------------------------------------------------------- sensing --input (operator files)
        of("operator file: column count not a square", List.of("op-not-square.csv", "8 sensing columns",
            "not a square", "--shape"), f -> operator(f, CORPUS.resolve("op-not-square.csv"))),
        of("operator file: column count not d1*d2", List.of("op-good.csv", "4 sensing columns",
            "expected D = d1*d2 = 3*3 = 9", "--shape 3x3"),
            f -> operator(f, CORPUS.resolve("op-good.csv"), "--shape", "3x3")),
        of("operator file: header not y,a_0,...", List.of("op-bad-header.csv", "column 4 is 'a_3', expected a_2",
            "y,a_0,...,a_{D-1}"), f -> operator(f, CORPUS.resolve("op-bad-header.csv"))),
        of("operator file: NaN in A", List.of("op-nan.csv", "row 2,", "column a_2", "NaN"),
            f -> operator(f, CORPUS.resolve("op-nan.csv"))),
        of("operator file: infinite y", List.of("op-inf-y.csv", "row 4,", "column y", "-Infinity"),
            f -> operator(f, CORPUS.resolve("op-inf-y.csv"))),
        of("operator file: truth of another shape", List.of("op-three-rows.truth", "3 rows, expected d = 2"),
            f -> operator(f, CORPUS.resolve("op-good.csv"), "--truth", CORPUS.resolve("op-three-rows.truth").toString())),
        of("operator file: rank-one measurements without --operator rank-one", List.of("good.csv",
            "not an operator file", "--operator rank-one"), f -> operator(f, CORPUS.resolve("good.csv"))),
        of("operator file: --shape not d1xd2", List.of("--shape", "D1xD2", "'20'"),
            f -> operator(f, CORPUS.resolve("op-good.csv"), "--shape", "20")),
        of("operator file: --truth-right with the symmetric model", List.of("--truth-right", "X* X*^T"),
            f -> operator(f, CORPUS.resolve("op-good.csv"), "--truth", CORPUS.resolve("op-three-rows.truth").toString(),
                "--truth-right", CORPUS.resolve("op-three-rows.truth").toString())),
        of("operator file: truth of another shape (asymmetric)", List.of("truth X* Y*^T is 3x3", "op-good.csv",
            "4 sensing columns"),
            f -> operator(f, CORPUS.resolve("op-good.csv"), "--operator", "asymmetric", "--solver", "subgm", "--truth",
                CORPUS.resolve("op-three-rows.truth").toString(), "--truth-right",
                CORPUS.resolve("op-three-rows.truth").toString())),
        // ---------------------------------------------------------------- landscape (generated, operator files)
        of("landscape: k below r*", List.of("landscape.k", "= 2 is below landscape.rstar = 3", "k >= r*"),
            f -> landscape(f, "--rstar", "3", "--k", "2")),
        of("landscape: half the measurements corrupted", List.of("landscape.outliers = 0.5", "not identifiable"),
            f -> landscape(f, "--outliers", "0.5")),
        of("landscape: negative outlier fraction", List.of("landscape.outliers", "[0, 0.5)", "-0.1"),
            f -> landscape(f, "--outliers", "-0.1")),
        of("landscape: operator file whose column count is not a square", List.of("op-not-square.csv",
            "8 sensing columns", "not a square"), f -> landscape(f, "--input",
                CORPUS.resolve("op-not-square.csv").toString(), "--truth", CORPUS.resolve("op-rank-two.truth").toString())),
        of("landscape: operator file and --shape of another column count", List.of("op-good.csv", "4 sensing columns",
            "--shape 3x3"), f -> landscape(f, "--input", CORPUS.resolve("op-good.csv").toString(), "--truth",
                CORPUS.resolve("op-rank-two.truth").toString(), "--shape", "3x3")),
        of("landscape: rectangular --shape", List.of("--shape 1x4", "square"), f -> landscape(f, "--input",
            CORPUS.resolve("op-good.csv").toString(), "--truth", CORPUS.resolve("op-rank-two.truth").toString(),
            "--shape", "1x4")),
        of("landscape: truth of another d", List.of("op-three-rows.truth", "3 rows, expected d = 2"),
            f -> landscape(f, "--input", CORPUS.resolve("op-good.csv").toString(), "--truth",
                CORPUS.resolve("op-three-rows.truth").toString())),
        of("landscape: k below the truth's rank", List.of("landscape.k", "= 1 is below the rank r* = 2",
            "op-rank-two.truth"), f -> landscape(f, "--input", CORPUS.resolve("op-good.csv").toString(), "--truth",
                CORPUS.resolve("op-rank-two.truth").toString(), "--k", "1")),
        of("landscape: k above the file's d", List.of("landscape.k", "= 3 exceeds d = 2", "op-good.csv"),
            f -> landscape(f, "--input", CORPUS.resolve("op-good.csv").toString(), "--truth",
                CORPUS.resolve("op-rank-two.truth").toString(), "--k", "3")),
        of("landscape: operator file without its truth", List.of("--truth", "operator file"),
            f -> landscape(f, "--input", CORPUS.resolve("op-good.csv").toString())),
        of("landscape: a truth that most measurements disagree with", List.of("5 of 6 residuals",
            "not identifiable", "wrong truth"), f -> landscape(f, "--input", CORPUS.resolve("op-good.csv").toString(),
                "--truth", CORPUS.resolve("op-rank-two.truth").toString(), "--k", "2")),
        of("landscape: --diagram with --input", List.of("--diagram", "--input"), f -> landscape(f, "--diagram",
            "--input", CORPUS.resolve("op-good.csv").toString(), "--truth",
            CORPUS.resolve("op-rank-two.truth").toString())),
        // ---------------------------------------------------------------- escape (issue 14's list)
        of("escape: even l", List.of("escape.l must be odd", "4"), f -> solve("escape", f, "--l", "4")),
        of("escape: epsilon 0", List.of("escape.epsilon must be in (0, 1]", "got 0"),
            f -> solve("escape", f, "--epsilon", "0")),
        of("escape: epsilon above 1", List.of("escape.epsilon must be in (0, 1]", "1.5"),
            f -> solve("escape", f, "--epsilon", "1.5")),
        of("escape: rho 0", List.of("escape.rho", "> 0"), f -> solve("escape", f, "--rho", "0")),
        of("escape: negative eta", List.of("escape.eta", "> 0"), f -> solve("escape", f, "--eta", "-0.01")),
        of("escape: T 0", List.of("escape.steps (T)", "integer > 0", "got 0"), f -> solve("escape", f, "--T", "0")),
        of("escape: negative T", List.of("escape.steps (T)", "-5"), f -> solve("escape", f, "--T", "-5")),
        of("escape: negative rank", List.of("escape.r", "non-negative"), f -> solve("escape", f, "--rank", "-1")),
        of("escape: rank above n", List.of("escape.r must be in [1, n = 3], got 4"),
            f -> solve("escape", f, "--rank", "4")),
        of("escape: truth rank above the even indices", List.of("escape.truth-rank", "[1, 2]"),
            f -> solve("escape", f, "--truth-rank", "3")),
        of("escape: rank 0 (the truth's) of a file without a truth", List.of("escape.r = 0", "no truth", "--rank"),
            f -> solve("escape", f, "--input", CORPUS.resolve("op-good.csv").toString())),
        of("escape: rank above the file's n", List.of("escape.r must be in [1, n = 2], got 3"),
            f -> solve("escape", f, "--input", CORPUS.resolve("op-good.csv").toString(), "--rank", "3")),
        of("escape at a point that is not a stall", List.of("not a stall", "||grad h||_F = ", "escape.max-gradient"),
            f -> solve("escape", f, "--x0", CORPUS.resolve("escape-not-a-stall.x0").toString(), "--escape-at-start")),
        of("escape: an entry index outside the truth's n", List.of("escape-entries-out-of-range.csv", "row 3,",
            "column i", "index 5 is outside [0, d1 = 3)"), f -> solve("escape", f, "--input",
            CORPUS.resolve("escape-entries-out-of-range.csv").toString(), "--truth",
            CORPUS.resolve("escape-three.truth").toString())),
        of("escape: an operator file value too large", List.of("escape-op-huge.csv", "row 2,", "column a_0",
            "too large"), f -> solve("escape", f, "--input", CORPUS.resolve("escape-op-huge.csv").toString(),
            "--rank", "1")),
        of("escape: an operator file's truth of another n", List.of("escape-three.truth", "3 rows, expected d = 2"),
            f -> solve("escape", f, "--input", CORPUS.resolve("op-good.csv").toString(), "--truth",
                CORPUS.resolve("escape-three.truth").toString())),
        of("escape: --truth of a generated instance", List.of("--truth", "--input"),
            f -> solve("escape", f, "--truth", CORPUS.resolve("escape-three.truth").toString())),
        // ---------------------------------------------------------------- denoise --input (matrix rows)
        of("denoise: duplicate header name", List.of("matrix-duplicate-header.csv", "c2", "columns 2 and 3"),
            f -> input("denoise", f, CORPUS.resolve("matrix-duplicate-header.csv"))),
        of("denoise: an entry of 1e200", List.of("matrix-huge-entry.csv", "order) 3,", "column c3", "too large"),
            f -> input("denoise", f, CORPUS.resolve("matrix-huge-entry.csv"))),
        of("denoise: CSV with only a header", List.of("matrix-header-only.csv", "no matrix rows"),
            f -> input("denoise", f, CORPUS.resolve("matrix-header-only.csv"))),
        of("denoise: 0-byte Parquet part", List.of("part-00001-empty.snappy.parquet", "0-byte"),
            f -> input("denoise", f, f.parquetWithEmptyPart())),
        of("denoise: mixed directory", List.of("mixed", "mixes CSV and Parquet"),
            f -> input("denoise", f, f.mixedDirectory())),
        // ---------------------------------------------------------------- generate
        of("generate into a read-only directory", List.of("not writable"),
            f -> generate(f, "--out", f.readOnlyDirectory().resolve("pr.parquet").toString())),
        of("generate under a file", List.of("notes.txt", "is a file, not a directory"),
            f -> generate(f, "--out", f.tmp().resolve("notes.txt").resolve("pr.parquet").toString())),
        of("generate onto existing data", List.of("good.parquet", "already exists", "--overwrite"),
            f -> generate(f, "--out", f.goodParquet().toString())),
        of("generate a truth onto a directory", List.of("x.truth", "directory"),
            f -> generate(f, "--out", f.tmp().resolve("new.parquet").toString(), "--truth", f.dir("x.truth").toString())),
        of("generate a truth into a read-only directory", List.of("truth", "not writable"),
            f -> generate(f, "--out", f.tmp().resolve("new.parquet").toString(),
                "--truth", f.readOnlyDirectory().resolve("x.truth").toString())),
        of("generate spiked into a read-only directory", List.of("not writable"),
            f -> List.of("generate", "--kind", "spiked", "--n", "20", "--d", "30",
                "--out", f.readOnlyDirectory().resolve("y.parquet").toString())),
        of("generate onto a file system without its connector", List.of("s3a://bucket/pr.parquet", "hadoop-aws"),
            f -> generate(f, "--out", "s3a://bucket/pr.parquet")),
        of("generate sensing with half the measurements corrupted", List.of("outliers = 0.5", "not identifiable"),
            f -> List.of("generate", "--kind", "sensing", "--d", "4", "--rstar", "1", "--outliers", "0.5", "--out",
                f.tmp().resolve("ops.csv").toString())),
        of("generate sensing onto a read-only directory", List.of("not writable"),
            f -> List.of("generate", "--kind", "sensing", "--d", "4", "--rstar", "1", "--outliers", "0.1", "--out",
                f.readOnlyDirectory().resolve("ops.csv").toString())),
        of("generate --outliers for phase retrieval", List.of("--outliers", "--kind sensing"),
            f -> generate(f, "--outliers", "0.1", "--out", f.tmp().resolve("new.parquet").toString())),
        of("generate with --master empty", List.of("master is empty"),
            f -> generate(f, "--out", f.tmp().resolve("new.parquet").toString(), "--master", "")),
        of("generate with an unreachable master", List.of("spark://127.0.0.1:", "not reachable"),
            f -> generate(f, "--out", f.tmp().resolve("new.parquet").toString(), "--master", f.deadMaster())));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void exitsTwoWithOneLineNamingTheFaultAndWritesNothing(Case c, @TempDir Path tmp) throws IOException {
    Fixture f = new Fixture(tmp);
    Files.writeString(tmp.resolve("notes.txt"), "a file where a directory is needed\n");
    List<String> args = c.args().apply(f);
    Set<String> before = tree(tmp);
    CliRun r;
    List<String> logged;
    try (LogCapture logs = LogCapture.open()) {
      r = CliRun.run(args.toArray(new String[0]));
      logged = logs.lines();
    }
    assertEquals(2, r.code(), c + ": " + r);
    List<String> lines = r.err().lines().toList();
    assertEquals(1, lines.size(), c + ": " + r);
    String line = lines.get(0);
    assertTrue(line.startsWith("error: "), line);
    for (String e : c.expected()) {
      assertTrue(line.toLowerCase(Locale.ROOT).contains(e.toLowerCase(Locale.ROOT)), "'" + e + "' not in: " + line);
    }
    assertFalse(line.contains("Exception"), "a message, not an exception's name: " + line);
    assertFalse(line.contains("--verbose"), "bad input needs no stack trace: " + line);
    assertEquals("", r.out(), c + ": nothing on stdout");
    assertEquals(before, tree(tmp), c + ": files were written or left behind");
    assertEquals(List.of(), logged, c + ": log lines a terminal would show before the error line");
  }

  /**
   * A task that fails while the input is read, in a JVM started as {@code jobs/lowrank} starts it (with
   * {@code conf/log4j2.properties}): the terminal shows the one error line and no executor stack trace; with
   * {@code --verbose}, the traces.
   */
  @Test
  void aTerminalShowsOneLineForAFailedTaskAndTheTracesWithVerbose(@TempDir Path tmp) throws Exception {
    Path input = CORPUS.resolve("different-headers");
    List<String> quiet = terminal(tmp, "phase-retrieval", "--input", input.toString(), "--out", tmp.resolve("o").toString());
    assertEquals(List.of("exit 2"), quiet.subList(0, 1), String.join("\n", quiet));
    assertEquals(1, quiet.size() - 1, "one line on stderr:\n" + String.join("\n", quiet));
    assertTrue(quiet.get(1).startsWith("error: ") && quiet.get(1).contains("part-1.csv"), quiet.get(1));
    List<String> verbose = terminal(tmp, "phase-retrieval", "--input", input.toString(), "--out",
        tmp.resolve("o").toString(), "--verbose");
    assertEquals("exit 2", verbose.get(0));
    assertTrue(verbose.stream().anyMatch(l -> l.contains("ERROR Executor")), "--verbose keeps Spark's log: "
        + String.join("\n", verbose));
    assertFalse(Files.exists(tmp.resolve("o")));
  }

  /** Runs Main in a fresh JVM; returns "exit N" and the stderr lines (the JVM's incubator warning left out). */
  private static List<String> terminal(Path tmp, String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      if (a.startsWith("--add-opens") || a.startsWith("--add-modules") || a.startsWith("-Dio.netty.")) {
        cmd.add(a);
      }
    }
    cmd.addAll(List.of("-Xmx512m", "-Dlog4j2.configurationFile=" + Path.of("conf", "log4j2.properties").toAbsolutePath(),
        "-Djava.awt.headless=true", "-cp", System.getProperty("java.class.path"), Main.class.getName()));
    cmd.addAll(Arrays.asList(args));
    Path err = tmp.resolve("stderr.txt");
    Process p = new ProcessBuilder(cmd).redirectError(err.toFile())
        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    assertTrue(p.waitFor(180, TimeUnit.SECONDS), "the JVM did not finish");
    List<String> out = new ArrayList<>(List.of("exit " + p.exitValue()));
    Files.readAllLines(err, StandardCharsets.UTF_8).stream()
        .filter(l -> !l.startsWith("WARNING: Using incubator modules") && !Progress.isProgressLine(l)).forEach(out::add);
    Files.delete(err);
    return out;
  }

  // ------------------------------------------------------------------------------------------- fixtures

  /** Inputs made in the case's temporary directory, each made once. */
  record Fixture(Path tmp) {
    /** The output directory of a solve: not there before, and must not be there after. */
    Path out() {
      return tmp.resolve("out");
    }

    Path dir(String name) {
      try {
        return Files.createDirectories(tmp.resolve(name));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    Path goodParquet() {
      Path p = tmp.resolve("good.parquet");
      if (!Files.exists(p)) {
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
          rows.add(RowFactory.create(1.0 + i, new double[] {1, i, -i}));
        }
        spark().createDataFrame(rows, new StructType().add("y", DataTypes.DoubleType)
            .add("a", DataTypes.createArrayType(DataTypes.DoubleType))).coalesce(1).write().parquet(p.toString());
      }
      return p;
    }

    Path parquet(String name, StructType schema, Row... rows) {
      Path p = tmp.resolve(name);
      spark().createDataFrame(Arrays.asList(rows), schema).coalesce(1).write().parquet(p.toString());
      return p;
    }

    /** A Parquet file with columns a1 and A1 (written case-sensitively; read, as by default, ignoring case). */
    Path parquetWithColumnsEqualButForCase() {
      SparkSession s = spark();
      String old = s.conf().get("spark.sql.caseSensitive");
      s.conf().set("spark.sql.caseSensitive", "true");
      try {
        return parquet("cases.parquet", new StructType().add("y", DataTypes.DoubleType)
            .add("a1", DataTypes.DoubleType).add("A1", DataTypes.DoubleType), RowFactory.create(1.0, 1.0, 2.0));
      } finally {
        s.conf().set("spark.sql.caseSensitive", old);
      }
    }

    /** A directory of one CSV and one Parquet part file. */
    Path mixedDirectory() {
      Path d = dir("mixed");
      copy(CORPUS.resolve("good.csv"), d.resolve("part-00000-a.csv"));
      copy(onlyPart(goodParquet()), d.resolve("part-00000-b.snappy.parquet"));
      return d;
    }

    /** A good Parquet directory plus a 0-byte part file (a writer that died before the footer). */
    Path parquetWithEmptyPart() {
      Path d = dir("pq-with-empty");
      copy(onlyPart(goodParquet()), d.resolve("part-00000-good.snappy.parquet"));
      touch(d.resolve("part-00001-empty.snappy.parquet"));
      return d;
    }

    Path emptyParquetFile() {
      Path p = tmp.resolve("lonely.parquet");
      touch(p);
      return p;
    }

    /** Parquet's leading magic, then garbage: no footer. */
    Path corruptParquet() {
      Path d = dir("corrupt");
      byte[] bytes = new byte[256];
      new java.util.Random(1).nextBytes(bytes);
      System.arraycopy("PAR1".getBytes(StandardCharsets.US_ASCII), 0, bytes, 0, 4);
      try {
        Files.write(d.resolve("part-00000-corrupt.parquet"), bytes);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return d;
    }

    Path directoryWithOnlySuccess() {
      Path d = dir("done");
      touch(d.resolve("_SUCCESS"));
      return d;
    }

    /**
     * A directory this process cannot create files in: a temporary one made read-only, or, when that does not stop
     * this user (root), /proc/sys, which no one can create files in.
     */
    Path readOnlyDirectory() {
      Path d = dir("read-only");
      try {
        Files.setPosixFilePermissions(d, PosixFilePermissions.fromString("r-xr-xr-x"));
      } catch (IOException | UnsupportedOperationException e) {
        // not POSIX: try /proc/sys below
      }
      if (!canCreateIn(d)) {
        return d;
      }
      Path proc = Path.of("/proc/sys");
      assumeTrue(Files.isDirectory(proc) && !canCreateIn(proc), "no read-only directory to test with");
      return proc;
    }

    /** The URL of a standalone master on a loopback port nothing listens on. */
    String deadMaster() {
      try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
        return "spark://127.0.0.1:" + s.getLocalPort();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    private static boolean canCreateIn(Path dir) {
      try {
        Files.delete(Files.createTempFile(dir, ".probe", ""));
        return true;
      } catch (IOException e) {
        return false;
      }
    }

    private static Path onlyPart(Path parquetDir) {
      try (Stream<Path> s = Files.list(parquetDir)) {
        return s.filter(p -> p.getFileName().toString().endsWith(".parquet")).findFirst().orElseThrow();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    private static void copy(Path from, Path to) {
      try {
        Files.copy(from, to);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    private static void touch(Path p) {
      try {
        Files.createFile(p);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    private static SparkSession spark() {
      return SparkTestSession.get();
    }
  }

  /** Every path under {@code dir} (hidden ones too), relative, with a trailing / for directories. */
  private static Set<String> tree(Path dir) throws IOException {
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(p -> !p.equals(dir)).map(p -> dir.relativize(p) + (Files.isDirectory(p) ? "/" : ""))
          .collect(Collectors.toCollection(TreeSet::new));
    }
  }

  private static Path corpus() {
    try {
      return Path.of(BadInputCorpusTest.class.getResource("/bad-input/good.csv").toURI()).getParent();
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * The log events at WARN or above that reach the root logger's appenders while it is open: what the console
   * would print.
   */
  private static final class LogCapture extends AbstractAppender implements AutoCloseable {
    private final List<String> lines = new ArrayList<>();
    private final LoggerContext context;

    private LogCapture(LoggerContext context) {
      super("bad-input-capture", null, null, true, Property.EMPTY_ARRAY);
      this.context = context;
    }

    static LogCapture open() {
      LoggerContext ctx = (LoggerContext) LogManager.getContext(false);
      LogCapture c = new LogCapture(ctx);
      c.start();
      Configuration config = ctx.getConfiguration();
      config.addAppender(c);
      config.getRootLogger().addAppender(c, Level.WARN, null);
      ctx.updateLoggers();
      return c;
    }

    @Override
    public synchronized void append(LogEvent event) {
      if (event.getMessage().getFormattedMessage().startsWith("Using an existing Spark session")) {
        return; // the test JVM's shared session: a CLI's JVM creates its own
      }
      lines.add(event.getLevel() + " " + event.getLoggerName() + ": " + event.getMessage().getFormattedMessage());
    }

    synchronized List<String> lines() {
      return new ArrayList<>(lines);
    }

    @Override
    public void close() {
      Configuration config = context.getConfiguration();
      config.getRootLogger().removeAppender(getName());
      context.updateLoggers();
      stop();
    }
  }
}
