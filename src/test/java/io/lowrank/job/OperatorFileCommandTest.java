package io.lowrank.job;

import static io.lowrank.job.CliRun.run;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lowrank.SparkTestSession;
import io.lowrank.data.Block;
import io.lowrank.data.LowRankTruth;
import io.lowrank.data.Outliers;
import io.lowrank.io.FactorFile;
import io.lowrank.io.Format;
import io.lowrank.io.OperatorFile;
import io.lowrank.io.OutlierRecord;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.storage.StorageLevel;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Operator files through the CLI: {@code generate --kind sensing} → {@code sensing --input … --truth …} against the
 * in-memory instance of the same seed, the outlier record, and symmetrisation of a user's non-symmetric A_i.
 */
class OperatorFileCommandTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @BeforeAll
  static void sharedSpark() {
    SparkTestSession.get();
  }

  /** The trace's distance column (relative error ‖XXᵀ − M*‖_F/‖M*‖_F), one value per iteration. */
  private static double[] distances(Path run) throws IOException {
    List<String> lines = Files.readAllLines(run.resolve("trace.csv"));
    List<String> header = List.of(lines.get(0).split(","));
    int col = header.indexOf("distance_to_truth");
    assertTrue(col >= 0, "trace header " + header);
    return lines.stream().skip(1).mapToDouble(l -> Double.parseDouble(l.split(",")[col])).toArray();
  }

  private static JsonNode summary(Path run) throws IOException {
    return JSON.readTree(run.resolve("summary.json").toFile());
  }

  /**
   * The file holds the in-memory instance at unit scale (×√m), read back ÷√m: the same operator up to rounding of
   * the last bit of each value (√m·x/√m and the packing's √2 are not exact) and the order of the pass's sums (other
   * blocks), so the iterates agree to rounding, not bit for bit: data perturbed by ~1e-16 relative move the iterates
   * by ~1e-16·‖M*‖ times the conditioning of the iteration, so the relative errors of the two traces differ by ~1e-16
   * absolute (measured: at most 7e-16 over 58 iterations, CSV and Parquet). 1e-9 relative + 1e-14 absolute leaves room for other
   * BLAS, and would still catch any change of the operator's scale or packing (those change iteration 1 by O(1e-3)).
   */
  @Test
  void generateThenSensingRecoversLikeTheInMemoryInstance(@TempDir Path tmp) throws IOException {
    String[] instance = {"--d", "10", "--rstar", "2", "--kappa", "5", "--n", "300", "--seed", "4"};
    Path memory = tmp.resolve("memory");
    List<String> args = new ArrayList<>(List.of("sensing"));
    args.addAll(List.of(instance));
    args.addAll(List.of("--r", "2", "--max-iter", "150", "--out", memory.toString()));
    CliRun r = run(args.toArray(new String[0]));
    assertEquals(0, r.code(), r.toString());
    double[] expected = distances(memory);
    for (String ext : List.of("csv", "parquet")) {
      Path data = tmp.resolve("ops." + ext);
      List<String> gen = new ArrayList<>(List.of("generate", "--kind", "sensing", "--partitions", "2", "--out",
          data.toString()));
      gen.addAll(List.of(instance));
      r = run(gen.toArray(new String[0]));
      assertEquals(0, r.code(), r.toString());
      assertTrue(r.out().contains("truth " + tmp.resolve("ops.truth")), r.out());
      assertEquals(10, Files.readAllLines(tmp.resolve("ops.truth")).size());
      Path fromFile = tmp.resolve("file-" + ext);
      // The same seed: the small random start X_0 is drawn from it.
      r = run("sensing", "--input", data.toString(), "--truth", tmp.resolve("ops.truth").toString(), "--r", "2",
          "--max-iter", "150", "--seed", "4", "--out", fromFile.toString());
      assertEquals(0, r.code(), r.toString());
      JsonNode s = summary(fromFile);
      assertEquals("CONVERGED", s.get("status").asText(), s.toString());
      assertEquals("file", s.get("operator").asText());
      assertEquals(0, s.get("nonsymmetric_matrices").asLong());
      assertEquals(300, s.get("m").asInt());
      assertTrue(s.get("relative_error").asDouble() <= 1e-8, s.toString());
      double[] got = distances(fromFile);
      double worst = 0;
      assertEquals(expected.length, got.length, ext + ": iterations");
      for (int t = 0; t < got.length; t++) {
        worst = Math.max(worst, Math.abs(got[t] - expected[t]));
        assertEquals(expected[t], got[t], 1e-9 * expected[t] + 1e-14, ext + ": iteration " + t);
      }
      System.out.printf(Locale.ROOT, "%s: %d iterations, largest difference of the relative errors %.2e%n", ext,
          got.length, worst);
    }
  }

  /**
   * With --outliers the record beside the truth names exactly the measurements {@link Outliers} corrupts, and each
   * s_i is what the file's y_i holds beyond ⟨A_i, M*⟩ (no dense noise here); SubGM recovers M* from the file.
   */
  @Test
  void theOutlierRecordNamesTheCorruptedMeasurementsAndSubgmRecovers(@TempDir Path tmp) throws IOException {
    Path data = tmp.resolve("robust.csv");
    CliRun r = run("generate", "--kind", "sensing", "--d", "10", "--rstar", "2", "--kappa", "2", "--n", "320",
        "--outliers", "0.2", "--seed", "9", "--partitions", "1", "--out", data.toString());
    assertEquals(0, r.code(), r.toString());
    Configuration conf = new Configuration();
    OutlierRecord record = OutlierRecord.read(tmp.resolve("robust.outliers").toString(), conf);
    Outliers model = new Outliers(0.2, Outliers.Kind.UNIFORM, 10);
    List<Long> corrupted = new ArrayList<>();
    for (long i = 0; i < 320; i++) {
      if (model.isCorrupted(9, i)) {
        corrupted.add(i);
      }
    }
    assertArrayEquals(corrupted.stream().mapToLong(Long::longValue).toArray(), record.index());
    LowRankTruth truth = FactorFile.read(tmp.resolve("robust.truth").toString(), 10, conf);
    double[] mstar = truth.matrix();
    OperatorFile.Loaded raw = OperatorFile.read(SparkTestSession.get(), data.toString(), Format.CSV, null,
        StorageLevel.MEMORY_ONLY());
    List<Block> blocks = raw.measurements().blocks().collect(); // one part file: rows in order
    raw.measurements().unpersist();
    double[] excess = new double[320];
    int row = 0;
    for (Block b : blocks) {
      for (int i = 0; i < b.rows; i++, row++) {
        double measured = 0;
        for (int q = 0; q < 100; q++) {
          measured += b.a(i, q) * mstar[q];
        }
        excess[row] = b.y[i] - measured;
      }
    }
    int k = 0;
    for (int i = 0; i < 320; i++) {
      boolean isOutlier = k < record.index().length && record.index()[k] == i;
      double s = isOutlier ? record.outlier()[k++] : 0;
      // |y_i| is O(√m ‖M*‖_F) ≈ 30 (outliers up to 10× max|y*|): 1e-9 absolute is rounding.
      assertEquals(s, excess[i], 1e-9, "measurement " + i);
    }
    Path out = tmp.resolve("subgm");
    r = run("sensing", "--input", data.toString(), "--truth", tmp.resolve("robust.truth").toString(), "--solver",
        "subgm", "--r", "2", "--tol", "1e-6", "--max-iter", "1500", "--out", out.toString());
    assertEquals(0, r.code(), r.toString());
    JsonNode s = summary(out);
    assertTrue(s.get("relative_error").asDouble() <= 1e-6, s.toString());
  }

  /**
   * A user's non-symmetric A_i and their symmetric parts S_i = (A_i + A_iᵀ)/2 (computed as the reader computes it)
   * give bit-identical packed rows, so the same iterates; the summary counts the non-symmetric A_i.
   */
  @Test
  void nonSymmetricMatricesGiveTheIteratesOfTheirSymmetricParts(@TempDir Path tmp) throws IOException {
    int d = 8;
    int m = 240;
    LowRankTruth truth = LowRankTruth.generate(d, 2, 3, 5);
    double[] mstar = truth.matrix();
    SplittableRandom rng = new SplittableRandom(21);
    StringBuilder raw = new StringBuilder();
    StringBuilder sym = new StringBuilder();
    StringBuilder header = new StringBuilder("y");
    for (int q = 0; q < d * d; q++) {
      header.append(",a_").append(q);
    }
    raw.append(header).append('\n');
    sym.append(header).append('\n');
    for (int i = 0; i < m; i++) {
      double[] a = new double[d * d];
      for (int q = 0; q < a.length; q++) {
        a[q] = rng.nextGaussian();
      }
      double[] s = a.clone();
      for (int c = 0; c < d; c++) {
        for (int j = 0; j < c; j++) {
          double v = 0.5 * (a[j + c * d] + a[c + j * d]);
          s[j + c * d] = v;
          s[c + j * d] = v;
        }
      }
      double y = 0;
      for (int q = 0; q < a.length; q++) {
        y += a[q] * mstar[q];
      }
      raw.append(y);
      sym.append(y);
      for (int q = 0; q < a.length; q++) {
        raw.append(',').append(a[q]);
        sym.append(',').append(s[q]);
      }
      raw.append('\n');
      sym.append('\n');
    }
    Files.writeString(tmp.resolve("raw.csv"), raw);
    Files.writeString(tmp.resolve("sym.csv"), sym);
    FactorFile.write(tmp.resolve("x.truth").toString(), truth.factor(), d, 2, new Configuration());
    double[][] traces = new double[2][];
    int n = 0;
    for (String name : List.of("raw", "sym")) {
      Path out = tmp.resolve("run-" + name);
      CliRun r = run("sensing", "--input", tmp.resolve(name + ".csv").toString(), "--truth",
          tmp.resolve("x.truth").toString(), "--r", "2", "--max-iter", "200", "--partitions", "1", "--out",
          out.toString());
      assertEquals(0, r.code(), r.toString());
      JsonNode s = summary(out);
      assertEquals(name.equals("raw") ? m : 0, s.get("nonsymmetric_matrices").asLong(), s.toString());
      assertEquals("CONVERGED", s.get("status").asText(), s.toString());
      traces[n++] = distances(out);
    }
    assertArrayEquals(traces[1], traces[0], 0.0);
    assertTrue(String.format(Locale.ROOT, "%g", traces[0][traces[0].length - 1]).length() > 0);
  }

  /**
   * --shape d1xd2 writes the asymmetric instance of {@code --operator asymmetric} (the file at unit scale, Y* beside
   * X*); the factored ℓ2 GD run on the file follows the in-memory run to rounding (measured: the relative errors of
   * the traces differ by at most 2.2e-10, near e = 1e-6, the rounding of e's own formula): its data-derived step
   * 1/σ_1(S) scales as 1/m when the A_i and y_i scale as √m, and its gradients as m, so the steps agree. (SubGM's ℓ1
   * runs do not stay this close: sign(r_i) of residuals near 0 flips under rounding; measured, the two subgm traces of this
   * instance differ by up to 3e-4 relative late in the run, both converging in 351 iterations.)
   */
  @Test
  void anAsymmetricInstanceRoundTripsThroughTheFactoredRun(@TempDir Path tmp) throws IOException {
    String[] instance = {"--rstar", "2", "--kappa", "2", "--n", "300", "--seed", "4"};
    String[] solve = {"--operator", "asymmetric", "--solver", "gd", "--r", "2", "--tol", "1e-6", "--max-iter",
        "3000"};
    Path memory = tmp.resolve("memory");
    List<String> args = new ArrayList<>(List.of("sensing", "--shape", "6x8"));
    args.addAll(List.of(instance));
    args.addAll(List.of(solve));
    args.addAll(List.of("--out", memory.toString()));
    CliRun r = run(args.toArray(new String[0]));
    assertEquals(0, r.code(), r.toString());
    Path data = tmp.resolve("asym.csv");
    List<String> gen = new ArrayList<>(List.of("generate", "--kind", "sensing", "--shape", "6x8", "--out",
        data.toString()));
    gen.addAll(List.of(instance));
    r = run(gen.toArray(new String[0]));
    assertEquals(0, r.code(), r.toString());
    assertEquals(8, Files.readAllLines(tmp.resolve("asym.truth-right")).size());
    Path fromFile = tmp.resolve("file");
    args = new ArrayList<>(List.of("sensing", "--input", data.toString(), "--truth",
        tmp.resolve("asym.truth").toString(), "--truth-right", tmp.resolve("asym.truth-right").toString(), "--seed",
        "4"));
    args.addAll(List.of(solve));
    args.addAll(List.of("--out", fromFile.toString()));
    r = run(args.toArray(new String[0]));
    assertEquals(0, r.code(), r.toString());
    JsonNode s = summary(fromFile);
    assertEquals("file (W1 W2^T)", s.get("operator").asText());
    assertEquals(300, s.get("m").asInt());
    assertTrue(s.get("relative_error").asDouble() <= 1e-6, s.toString());
    double[] expected = distances(memory);
    double[] got = distances(fromFile);
    assertEquals(expected.length, got.length, "iterations");
    double worst = 0;
    for (int t = 0; t < got.length; t++) {
      worst = Math.max(worst, Math.abs(got[t] - expected[t]));
    }
    System.out.printf(Locale.ROOT, "asymmetric: %d iterations, largest difference of the relative errors %.2e%n",
        got.length, worst);
    // The factored trace's relative error e comes from k×k products, ‖W1W2ᵀ‖² − 2⟨W1W2ᵀ, M*⟩ + ‖M*‖², whose rounding
    // (~1e-16 of ‖M*‖²) makes an absolute error of ~1e-16/e in e: the bound allows 10× that beside 1e-9 relative.
    for (int t = 0; t < got.length; t++) {
      assertEquals(expected[t], got[t], 1e-9 * expected[t] + 1e-15 / expected[t], "iteration " + t);
    }
  }
}
