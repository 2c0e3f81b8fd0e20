package io.lowrank.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.spark.SparkException;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

class MainTest {
  /** A test-only command: loads the config and fails the way it is told to. */
  @Command(name = "probe", description = "Test command.")
  static final class Probe implements Callable<Integer> {
    @Mixin CommonOptions common;
    @Mixin SolverOptions solver;

    @Option(names = "--fail", description = "none | iae | wrapped | crash")
    String fail = "none";

    static JobConfig lastConfig;

    @Override
    public Integer call() throws Exception {
      lastConfig = common.load("probe", solver.overrides("phase-retrieval"));
      lastConfig.positiveDouble("phase-retrieval.tol");
      switch (fail) {
        case "iae" -> throw new IllegalArgumentException("bad row 3:\n  expected 4 columns");
        case "wrapped" -> throw new RuntimeException("outer",
            new SparkException("Job aborted", new IllegalArgumentException("input has no rows")));
        case "crash" -> throw new IllegalStateException("boom");
        default -> {
          return 0;
        }
      }
    }
  }

  private record Run(int code, String out, String err) {}

  private static Run run(String... args) {
    CommandLine cl = Main.commandLine(List.of(Probe.class));
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    int code = cl.execute(args);
    return new Run(code, out.toString(), err.toString());
  }

  private static void assertOneLine(Run r, String expected) {
    assertEquals(expected + System.lineSeparator(), r.err(), r.err());
  }

  @Test
  void successExitsZeroAndFlagsReachTheConfig() {
    Run r = run("probe", "--tol", "1e-6", "--max-iter", "5", "--set", "phase-retrieval.smoothing.gamma=0.5", "--seed", "9");
    assertEquals(0, r.code(), r.err());
    assertEquals("", r.err());
    assertEquals(1e-6, Probe.lastConfig.positiveDouble("phase-retrieval.tol"));
    assertEquals(5, Probe.lastConfig.positiveInt("phase-retrieval.max-iter"));
    assertEquals(9L, Probe.lastConfig.longValue("seed"));
    assertEquals(0.5, Probe.lastConfig.probability("phase-retrieval.smoothing.gamma"));
  }

  @Test
  void illegalArgumentExitsTwoWithOneLine() {
    assertOneLine(run("probe", "--fail", "iae"), "error: bad row 3: expected 4 columns");
    assertEquals(2, run("probe", "--fail", "iae").code());
    Run bad = run("probe", "--tol", "-1");
    assertEquals(2, bad.code());
    assertOneLine(bad, "error: phase-retrieval.tol must be > 0, got -1");
    Run unknown = run("probe", "--set", "toll=1");
    assertEquals(2, unknown.code());
    assertOneLine(unknown, "error: unknown config key 'toll' in --set toll=1 (did you mean 'phase-retrieval.tol'?)");
  }

  @Test
  void illegalArgumentInsideACauseChainIsBadInput() {
    Run r = run("probe", "--fail", "wrapped");
    assertEquals(2, r.code());
    assertOneLine(r, "error: input has no rows");
  }

  @Test
  void unexpectedExceptionExitsOneWithHint() {
    Run r = run("probe", "--fail", "crash");
    assertEquals(1, r.code());
    assertOneLine(r, "error: IllegalStateException: boom (rerun with --verbose for the stack trace)");
    Run v = run("probe", "--fail", "crash", "--verbose");
    assertEquals(1, v.code());
    assertTrue(v.err().startsWith("error: IllegalStateException: boom" + System.lineSeparator()), v.err());
    assertTrue(v.err().contains("\tat "), v.err()); // the stack trace
  }

  @Test
  void parameterErrorsExitTwoWithOneLine() {
    Run r = run("probe", "--max-iter", "many");
    assertEquals(2, r.code());
    assertEquals(1, r.err().lines().count(), r.err());
    assertTrue(r.err().startsWith("error: Invalid value for option '--max-iter'"), r.err());
    Run unknownOption = run("probe", "--nope");
    assertEquals(2, unknownOption.code());
    assertOneLine(unknownOption, "error: Unknown option: '--nope' (see 'lowrank probe --help')");
    Run unknownCommand = run("prob");
    assertEquals(2, unknownCommand.code());
    assertTrue(unknownCommand.err().startsWith("error: unknown command 'prob' (one of: probe)"), unknownCommand.err());
    Run none = run();
    assertEquals(2, none.code());
    assertTrue(none.err().startsWith("error: missing command (one of: probe)"), none.err());
  }

  @Test
  void helpListsCommandsAndCommonFlags() {
    Run top = run("--help");
    assertEquals(0, top.code());
    assertTrue(top.out().contains("probe"), top.out());
    Run sub = run("probe", "--help");
    assertEquals(0, sub.code());
    for (String flag : List.of("--conf", "--set", "--input", "--format", "--truth", "--solver",
        "--tol", "--max-iter", "--seed", "--out", "--master", "--partitions", "--verbose", "--help")) {
      assertTrue(sub.out().contains(flag), flag + " missing from:\n" + sub.out());
    }
    assertFalse(sub.out().isEmpty());
    Run version = run("--version");
    assertEquals(0, version.code());
    assertTrue(version.out().startsWith("lowrank "), version.out());
  }
}
