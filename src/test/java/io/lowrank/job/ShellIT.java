package io.lowrank.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code jobs/lowrank shell} (after {@code package}) runs the README's spark.ml session exactly as written there (read
 * from README.md, section "spark.ml"): its {@code jobs/lowrank generate} line writes the Parquet file, then the Scala
 * lines are typed into the REPL in that directory. Before them, a closure defined at the prompt runs on the executors;
 * afterwards the REPL's class directory is gone.
 */
class ShellIT {
  private static final Path HOME = Paths.get("").toAbsolutePath();

  @TempDir
  Path tmp;

  /** The README's session: the generate command's arguments and the Scala lines. */
  record Session(List<String> generate, List<String> scala) {}

  static Session readmeSession() throws IOException {
    String readme = Files.readString(HOME.resolve("README.md"));
    int section = readme.indexOf("### spark.ml");
    assertTrue(section >= 0, "README.md has no '### spark.ml' section");
    String bash = block(readme, "```bash\n", section);
    String scala = block(readme, "```scala\n", section);
    List<String> generate = null;
    for (String line : bash.split("\n")) {
      String cmd = line.replaceAll("#.*", "").trim();
      if (cmd.startsWith("jobs/lowrank generate")) {
        generate = new ArrayList<>(Arrays.asList(cmd.split("\\s+")));
        generate.remove(0);
      }
    }
    assertTrue(generate != null, "the spark.ml section's bash block has no 'jobs/lowrank generate' line:\n" + bash);
    return new Session(generate, Arrays.asList(scala.split("\n")));
  }

  private static String block(String text, String fence, int from) {
    int start = text.indexOf(fence, from);
    assertTrue(start >= 0, "no " + fence.trim() + " block after the spark.ml heading");
    start += fence.length();
    return text.substring(start, text.indexOf("```", start));
  }

  @Test
  void theReadmeSparkMlSessionRunsInTheShell() throws IOException, InterruptedException {
    Session session = readmeSession();
    Path work = Files.createDirectory(tmp.resolve("work"));
    Path replTmp = Files.createDirectory(tmp.resolve("tmp"));

    List<String> generate = new ArrayList<>();
    generate.add(HOME.resolve("jobs/lowrank").toString());
    generate.addAll(session.generate());
    String gen = run(generate, work, null, tmp.resolve("generate.log"), 120);
    assertTrue(Files.isDirectory(work.resolve("pr.parquet")), gen);

    List<String> lines = new ArrayList<>(List.of(
        "val s = sc.parallelize(1 to 10, 2).map(_ * 2).sum()",
        "println(\"SUM=\" + s)"));
    lines.addAll(session.scala());
    lines.add(":quit");
    lines.add("");
    String out = run(List.of(HOME.resolve("jobs/lowrank").toString(), "shell"), work, String.join("\n", lines),
        tmp.resolve("shell.log"), 240, "TMPDIR", replTmp.toString());
    // The Spark on the test class path is the pom's spark.version, the one the shell must load.
    assertTrue(out.contains("lowrank shell: Spark " + org.apache.spark.package$.MODULE$.SPARK_VERSION()), out);
    assertTrue(out.contains("SUM=110.0"), out);
    assertTrue(out.contains("smoothing-newton: CONVERGED after"), out);
    assertTrue(out.contains("distance to truth"), out);
    assertTrue(out.contains("|iteration|"), "the trace DataFrame was shown:\n" + out);
    assertTrue(out.contains("prediction|"), "the loaded model's transform was shown:\n" + out);
    for (String bad : new String[] {"error:", "Exception", "AssertionError"}) {
      assertFalse(out.contains(bad), "'" + bad + "' in the session's output:\n" + out);
    }
    for (String part : new String[] {"metadata", "data", "trace"}) {
      assertTrue(Files.isDirectory(work.resolve("pr-model").resolve(part)), "saved model part " + part);
    }
    try (Stream<Path> left = Files.list(replTmp)) {
      assertEquals(0, left.count(), "the REPL's class directory was not removed");
    }
  }

  /** Runs {@code command} in {@code dir} with {@code input} on stdin; returns its output (exit 0 asserted). */
  private static String run(List<String> command, Path dir, String input, Path log, int seconds, String... env)
      throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
        .redirectOutput(log.toFile());
    pb.environment().put("LOWRANK_NO_BUILD", "1");
    pb.environment().put("JAVA_OPTS", "-Xmx1g");
    for (int i = 0; i + 1 < env.length; i += 2) {
      pb.environment().put(env[i], env[i + 1]);
    }
    Process p = pb.start();
    try (OutputStream in = p.getOutputStream()) {
      if (input != null) {
        in.write(input.getBytes(StandardCharsets.UTF_8));
      }
    }
    boolean done = p.waitFor(seconds, TimeUnit.SECONDS);
    if (!done) {
      p.destroyForcibly();
    }
    String out = Files.readString(log);
    assertTrue(done, String.join(" ", command) + " did not finish in " + seconds + " s; output:\n" + out);
    assertEquals(0, p.exitValue(), out);
    return out;
  }
}
