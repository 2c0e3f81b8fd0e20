package io.lowrank.job;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One name per concept in every command: the old spellings are refused naming the new one, before anything runs. */
class RenamedFlagsTest {
  @TempDir
  Path tmp;

  private void assertRenamed(String expected, String... args) {
    CliRun r = CliRun.run(args);
    assertEquals(Main.BAD_INPUT, r.code(), r.toString());
    assertEquals("error: " + expected, r.err().strip());
  }

  @Test
  void oldSpellingsNameTheNewOnes() {
    String out = tmp.resolve("out").toString();
    assertRenamed("--solvers is now --solver (a comma-separated list)", "trials", "--solvers", "bwgd", "--out", out);
    assertRenamed("--N is now --n (rows N)", "denoise", "--N", "100", "--out", out);
    assertRenamed("--M is now --d (columns M)", "denoise", "--M", "100", "--out", out);
    assertRenamed("--steps is now --max-iter", "denoise", "--steps", "10", "--out", out);
    assertRenamed("--m is now --n (the number of measurements m)", "sensing", "--m", "100", "--out", out);
    assertRenamed("--trials is now --compare (--trials N is a count of trials)", "sensing", "--trials", "--out", out);
    assertRenamed("--n/--d size a generated instance: drop them or --input", "phase-retrieval", "--n", "100",
        "--input", "data-samples/phase-retrieval.csv", "--out", out);
    assertRenamed("--N is now --n (with --kind spiked: the rows N)", "generate", "--kind", "spiked", "--N", "10",
        "--out", out);
    assertRenamed("--truth does not apply to denoise: the spikes of an --input matrix are --truth-u and --truth-v",
        "denoise", "--truth", "t.txt", "--out", out);
    assertEquals(false, Files.exists(tmp.resolve("out")));
  }

  @Test
  void phaseRetrievalSolvesAGeneratedInstanceGivenItsSize() throws Exception {
    Path out = tmp.resolve("generated");
    CliRun r = CliRun.run("phase-retrieval", "--n", "400", "--d", "20", "--out", out.toString());
    assertEquals(Main.OK, r.code(), r.toString());
    String summary = Files.readString(out.resolve("summary.json"));
    assertEquals(true, summary.contains("\"input\" : \"generated\""), summary);
    assertEquals(true, summary.contains("\"n\" : 400"), summary);
    assertEquals(true, summary.contains("\"d\" : 20"), summary);
  }
}
