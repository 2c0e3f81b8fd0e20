package io.lowrank.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code jobs/lowrank shell} (after {@code package}): a script typed into the REPL runs a closure defined there on
 * the executors and a solve through the library, and the REPL's class directory is gone afterwards.
 */
class ShellIT {
  private static final Path HOME = Paths.get("").toAbsolutePath();

  @TempDir
  Path tmp;

  @Test
  void aReplSessionRunsClosuresAndTheLibrary() throws IOException, InterruptedException {
    String script = String.join("\n",
        "val s = sc.parallelize(1 to 10, 2).map(_ * 2).sum()",
        "println(\"SUM=\" + s)",
        "val m = MeasurementReader.read(spark, \"" + HOME.resolve("data-samples/phase-retrieval.csv") + "\")",
        "val e = new SparkEngine(jsc, m.blocks(), \"shell\", StorageLevel.MEMORY_ONLY)",
        "val p = PhaseRetrievalProblem.setUp(e, null)",
        "val r = new SmoothingNewton(SmoothingNewton.Options.bwgd(1e-10, 100)).solve(p,"
            + " SpectralInitializer.defaults(1L).initialize(p))",
        "println(\"STATUS=\" + r.status())",
        ":quit", "");
    Path log = tmp.resolve("shell.log");
    Path replTmp = Files.createDirectory(tmp.resolve("tmp"));
    ProcessBuilder pb = new ProcessBuilder(HOME.resolve("jobs/lowrank").toString(), "shell")
        .redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().put("LOWRANK_NO_BUILD", "1");
    pb.environment().put("TMPDIR", replTmp.toString());
    pb.environment().put("JAVA_OPTS", "-Xmx1g");
    Process p = pb.start();
    try (OutputStream in = p.getOutputStream()) {
      in.write(script.getBytes(StandardCharsets.UTF_8));
    }
    assertTrue(p.waitFor(240, TimeUnit.SECONDS), "the shell did not finish; output:\n" + Files.readString(log));
    String out = Files.readString(log);
    assertEquals(0, p.exitValue(), out);
    // The Spark on the test class path is the pom's spark.version, the one the shell must load.
    assertTrue(out.contains("lowrank shell: Spark " + org.apache.spark.package$.MODULE$.SPARK_VERSION()), out);
    assertTrue(out.contains("SUM=110.0"), out);
    assertTrue(out.contains("STATUS=CONVERGED"), out);
    try (Stream<Path> left = Files.list(replTmp)) {
      assertEquals(0, left.count(), "the REPL's class directory was not removed");
    }
  }
}
