package io.lowrank.job;

import static io.lowrank.job.CliRun.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lowrank.SparkTestSession;
import io.lowrank.data.Block;
import io.lowrank.data.FactorTruth;
import io.lowrank.data.MatrixCompletion;
import io.lowrank.data.Outliers;
import io.lowrank.report.Reports;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code lowrank sensing --operator completion|asymmetric} end to end: outputs, entries files, one-line errors. */
class FactoredSensingCommandTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @BeforeAll
  static void sharedSpark() {
    SparkTestSession.get();
  }

  @Test
  void asymmetricCompletionWritesBothFactors(@TempDir Path tmp) throws IOException {
    Path out = tmp.resolve("c");
    CliRun r = run("sensing", "--operator", "completion", "--shape", "30x20", "--sampling", "0.8", "--rstar", "2",
        "--r", "2", "--kappa", "2", "--solver", "subgm", "--tol", "1e-6", "--max-iter", "1500", "--out", out.toString());
    assertEquals(0, r.code(), r.toString());
    JsonNode s = JSON.readTree(out.resolve("summary.json").toFile());
    assertEquals("CONVERGED", s.get("status").asText(), s.toString());
    assertTrue(s.get("relative_error").asDouble() <= 1e-6);
    assertEquals(30, Files.readAllLines(out.resolve("estimate-w1.csv")).size());
    assertEquals(20, Files.readAllLines(out.resolve("estimate-w2.csv")).size());
    assertTrue(!Files.exists(out.resolve("estimate.csv")));
  }

  /** The entries i,j,y of a completion instance of {@code t} (q = 0.8) as a CSV file. */
  private static Path entries(FactorTruth t, Path tmp) throws IOException {
    StringBuilder csv = new StringBuilder("i,j,y\n");
    for (Block b : MatrixCompletion.of(t, 0.8, 3L, 0, Outliers.none(), 0).blocks()) {
      for (int e = 0; e < b.rows; e++) {
        csv.append((int) b.a[e]).append(',').append((int) b.a[e + b.rows]).append(',').append(b.y[e]).append('\n');
      }
    }
    Path in = tmp.resolve("entries.csv");
    Files.writeString(in, csv);
    return in;
  }

  @Test
  void entriesFromAFileWithTheirTruth(@TempDir Path tmp) throws IOException {
    FactorTruth t = FactorTruth.generate(25, 20, 2, 2, 5L);
    Path in = entries(t, tmp);
    Path x = tmp.resolve("x.csv");
    Path y = tmp.resolve("y.csv");
    Files.writeString(x, Reports.matrixCsv(t.left(), 25, 2));
    Files.writeString(y, Reports.matrixCsv(t.right(), 20, 2));
    Path out = tmp.resolve("out");
    CliRun r = run("sensing", "--operator", "completion", "--input", in.toString(), "--truth", x.toString(),
        "--truth-right", y.toString(), "--r", "2", "--solver", "gd", "--tol", "1e-6", "--max-iter", "2000", "--out",
        out.toString());
    assertEquals(0, r.code(), r.toString());
    JsonNode s = JSON.readTree(out.resolve("summary.json").toFile());
    assertEquals(25, s.get("d1").asInt());
    assertEquals(20, s.get("d2").asInt());
    assertEquals("CONVERGED", s.get("status").asText(), s.toString());
    // The summary names the truth files and gives their κ(M*) = 2 (drawn so; the files hold 17 significant digits),
    // not sensing.kappa (reference.conf: 10), which describes generated instances.
    assertEquals(x.toString(), s.get("truth").asText(), s.toString());
    assertEquals(y.toString(), s.get("truth_right").asText(), s.toString());
    assertEquals(2.0, s.get("kappa").asDouble(), 1e-9, s.toString());

    // Y* with dependent columns: refused naming its file and Y*.
    Path deficient = tmp.resolve("y-deficient.csv");
    StringBuilder rows = new StringBuilder();
    for (int j = 0; j < 20; j++) {
      rows.append(j + 1).append(',').append(2 * (j + 1)).append('\n');
    }
    Files.writeString(deficient, rows);
    r = run("sensing", "--operator", "completion", "--input", in.toString(), "--truth", x.toString(),
        "--truth-right", deficient.toString(), "--r", "2", "--solver", "gd", "--out", tmp.resolve("bad").toString());
    assertEquals(2, r.code(), r.toString());
    assertTrue(r.err().contains("truth file " + deficient + ": the truth factor Y* (20x2) must have full column rank"),
        r.err());
    assertTrue(!r.err().contains("X*"), r.err());
    assertEquals(1, r.err().strip().lines().count(), r.err());
  }

  @Test
  void badInputFailsOnOneLine(@TempDir Path tmp) throws IOException {
    CliRun r = run("sensing", "--operator", "completion", "--shape", "30by20", "--out", tmp.resolve("a").toString());
    assertEquals(2, r.code(), r.toString());
    assertTrue(r.err().contains("--shape must be D1xD2"), r.toString());
    Path in = tmp.resolve("dup.csv");
    Files.writeString(in, "i,j,y\n0,1,1\n2,2,1\n0,1,3\n");
    r = run("sensing", "--operator", "completion", "--input", in.toString(), "--r", "1", "--solver", "subgm",
        "--out", tmp.resolve("b").toString());
    assertEquals(2, r.code(), r.toString());
    assertTrue(r.err().contains("entry (i, j) = (0, 1) is listed 2 times"), r.err());
    assertEquals(1, r.err().strip().lines().count(), r.err());
    r = run("sensing", "--operator", "asymmetric", "--solver", "precgd", "--out", tmp.resolve("c").toString());
    assertEquals(2, r.code(), r.toString());
    assertTrue(r.err().contains("takes --solver subgm"), r.err());
  }
}
