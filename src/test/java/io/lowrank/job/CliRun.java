package io.lowrank.job;

import io.lowrank.run.Progress;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * One run of the {@code lowrank} CLI in this JVM, with what it printed: stdout, stderr without the progress lines
 * (the error line, warnings), and the progress lines ({@link Progress#isProgressLine}) apart.
 */
record CliRun(int code, String out, String err, String progress) {
  /** Runs the CLI with System.out/System.err captured (picocli's writers are created from them per run). */
  static synchronized CliRun run(String... args) {
    PrintStream oldOut = System.out;
    PrintStream oldErr = System.err;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code;
    try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
      System.setOut(o);
      System.setErr(e);
      code = Main.run(args);
    } finally {
      System.setOut(oldOut);
      System.setErr(oldErr);
    }
    StringBuilder errors = new StringBuilder();
    StringBuilder progress = new StringBuilder();
    err.toString(StandardCharsets.UTF_8).lines()
        .forEach(l -> (Progress.isProgressLine(l) ? progress : errors).append(l).append(System.lineSeparator()));
    return new CliRun(code, out.toString(StandardCharsets.UTF_8), errors.toString(), progress.toString());
  }

  @Override
  public String toString() {
    return "exit " + code + "\n--- stdout\n" + out + "--- stderr\n" + err + "--- progress\n" + progress;
  }
}
