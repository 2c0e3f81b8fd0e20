package io.lowrank.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lowrank.SparkTestSession;
import io.lowrank.io.OutputDir;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.commons.io.FileUtils;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A sweep whose driver was killed while committing its views (OutputDir moves them one at a time, an older one set
 * aside first) resumes: the states such a kill leaves are built by hand from a finished sweep, and the rerun must
 * finish with the finished sweep's results.csv and no staging directory left. Before the repair in SweepStore, the
 * first two states were refused with exit 2 ("holds other outputs (results.csv)"), which tells a scheduler not to
 * retry.
 */
class SweepKilledCommitTest {
  private static final String SPEC = "name = killed-commit\nfamily = phase-retrieval\ntrials = 2\nbatch = 1\n"
      + "fixed { d = 10 }\ngrid { ratio = [3, 6], solver = [bwgd] }\nderived { n = \"ratio * d\" }\n"
      + "metrics = [status, iterations, distance]\n";

  @TempDir
  static Path tmp;
  private static Path spec;
  private static Path done;
  private static List<String> expected;

  /** One finished sweep, copied by each test. */
  @BeforeAll
  static void finishedSweep() throws IOException {
    SparkTestSession.get();
    spec = tmp.resolve("killed-commit.conf");
    Files.writeString(spec, SPEC);
    done = tmp.resolve("done");
    assertEquals(Main.OK, Main.run("sweep", spec.toString(), "--out", done.toString()));
    expected = Files.readAllLines(done.resolve("results.csv"));
    assertEquals(1 + 2 * 2, expected.size());
  }

  private Path copy(String name) throws IOException {
    Path out = tmp.resolve(name);
    FileUtils.copyDirectory(done.toFile(), out.toFile());
    return out;
  }

  /** Reruns the spec into {@code out}: exit 0, the finished sweep's rows, no staging directory left. */
  private CliRun rerun(Path out) throws IOException {
    CliRun r = CliRun.run("sweep", spec.toString(), "--out", out.toString());
    assertEquals(Main.OK, r.code(), r.toString());
    assertEquals(expected, Files.readAllLines(out.resolve("results.csv")));
    try (Stream<Path> s = Files.list(out)) {
      assertFalse(s.anyMatch(p -> p.getFileName().toString().startsWith(OutputDir.STAGING_PREFIX)),
          "a staging directory was left in " + out);
    }
    return r;
  }

  /** Killed between setting the older spec.conf aside and moving the new one in (a commit after a batch). */
  @Test
  void specSetAsideButNotReplaced() throws IOException {
    Path out = copy("set-aside");
    Path staging = Files.createDirectories(out.resolve(OutputDir.STAGING_PREFIX + "a/" + OutputDir.PREVIOUS));
    Files.move(out.resolve("spec.conf"), staging.resolve("spec.conf"));
    Files.copy(out.resolve("results.csv"), staging.getParent().resolve("results.csv")); // not moved yet either
    CliRun r = rerun(out);
    assertTrue(r.out().contains("0 cells and 0 trials run now"), r.out());
  }

  /** Killed in the first commit of a sweep after some views were moved, spec.conf not yet (no part exists). */
  @Test
  void firstCommitStoppedBeforeSpec() throws IOException {
    Path out = copy("first-commit");
    FileUtils.deleteDirectory(out.resolve("results").toFile());
    Path staging = Files.createDirectories(out.resolve(OutputDir.STAGING_PREFIX + "b"));
    Files.move(out.resolve("spec.conf"), staging.resolve("spec.conf"));
    Files.move(out.resolve("settings.conf"), staging.resolve("settings.conf"));
    CliRun r = rerun(out);
    assertTrue(r.out().contains("2 cells and 4 trials run now"), r.out());
  }

  /**
   * Killed while writing the staged views, before any move: the views in place are the earlier commit's, and a
   * half-written staged spec.conf is thrown away, never moved in (with spec.conf in place, or with nothing in place
   * when it was the first commit).
   */
  @Test
  void stagingNotYetCommitted() throws IOException {
    Path out = copy("not-committed");
    Path staging = Files.createDirectories(out.resolve(OutputDir.STAGING_PREFIX + "c"));
    Files.writeString(staging.resolve("spec.conf"), "name = killed-co");
    rerun(out);

    Path fresh = tmp.resolve("first-not-committed");
    Path first = Files.createDirectories(fresh.resolve(OutputDir.STAGING_PREFIX + "d"));
    Files.writeString(first.resolve("spec.conf"), "name = killed-commit\nfamily = phase-retrieval\ntrials = 9");
    rerun(fresh);
  }
}
