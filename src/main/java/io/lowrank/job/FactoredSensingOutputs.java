package io.lowrank.job;

import io.lowrank.io.OutputLock;
import io.lowrank.report.Reports;
import io.lowrank.report.RunOutputs;
import io.lowrank.report.TruthDistance;
import io.lowrank.run.FactoredSensingRun;
import io.lowrank.run.FactoredSensingSettings;
import io.lowrank.run.Input;
import io.lowrank.run.Progress;
import io.lowrank.run.RunResult;
import io.lowrank.run.SensingSettings;
import java.nio.file.Paths;
import java.util.Map;
import org.apache.spark.sql.SparkSession;

/**
 * The {@code sensing} command's factored operators (completion, asymmetric): their flags as keys, the run and the
 * outputs — summary.json, trace.csv, convergence.png, config.conf and the estimate as factor files (estimate.csv = W
 * for W W^T; estimate-w1.csv = W1 and estimate-w2.csv = W2 for W1 W2^T, one row of k values per line).
 */
final class FactoredSensingOutputs {
  private FactoredSensingOutputs() {}

  /** --shape d1xd2 (or --d1/--d2), --sampling and --symmetric as keys of the sensing section. */
  static void shapeFlags(Map<String, Object> f, String shape, Integer d1, Integer d2, Double sampling,
      boolean symmetric) {
    if (shape != null) {
      if (d1 != null || d2 != null) {
        throw new IllegalArgumentException("--shape sets d1 and d2: give it or --d1/--d2, not both");
      }
      String[] parts = shape.trim().toLowerCase(java.util.Locale.ROOT).split("x");
      try {
        if (parts.length != 2) {
          throw new NumberFormatException();
        }
        d1 = Integer.parseInt(parts[0].trim());
        d2 = Integer.parseInt(parts[1].trim());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("--shape must be D1xD2 with positive integers, e.g. 100x80, got '" + shape
            + "'");
      }
      if (d1 < 1 || d2 < 1) {
        throw new IllegalArgumentException("--shape must be D1xD2 with positive integers, got '" + shape + "'");
      }
    }
    JobConfig.flag(f, "sensing.d1", d1);
    JobConfig.flag(f, "sensing.d2", d2);
    JobConfig.flag(f, "sensing.sampling", sampling);
    if (symmetric) {
      f.put("sensing.symmetric", true);
    }
  }

  /**
   * Runs the factored recovery the configuration describes, telling {@code progress} as it goes, and commits its
   * outputs to {@code out}.
   */
  static int runAndWrite(JobConfig cfg, SensingSettings s, String out, String input, String truthRight,
      Progress progress) throws java.io.IOException {
    FactoredSensingSettings f = FactoredSensingSettings.of(s);
    var truthPath = cfg.truthOfInput();
    if (input == null && (truthPath.isPresent() || truthRight != null)) {
      throw new IllegalArgumentException("--truth and --truth-right go with --input; a generated instance has its own "
          + "truth");
    }
    if (truthRight != null && truthPath.isEmpty()) {
      throw new IllegalArgumentException("--truth-right (Y*) needs --truth (X*)");
    }
    if (input != null && truthPath.isPresent() && !f.symmetric() && truthRight == null) {
      throw new IllegalArgumentException("an asymmetric truth M* = X*Y*^T needs --truth X* and --truth-right Y* (or "
          + "--symmetric for M* = X*X*^T)");
    }
    progress.phase("starting Spark");
    SparkSession spark = SparkSessions.create(cfg.explicitMaster(), "lowrank " + SensingCommand.NAME);
    try (OutputLock lock = OutputLock.acquire(out, spark.sparkContext().hadoopConfiguration())) {
      RunResult run;
      if (input == null) {
        run = FactoredSensingRun.run(spark, s, progress);
      } else {
        // --truth-right is no config key: resolved here as --truth is, against the working directory.
        String right = truthRight == null ? null : JobConfig.resolvePath(truthRight, Paths.get("").toAbsolutePath());
        run = FactoredSensingRun.run(spark, Input.path(input, cfg.oneOf("format", "auto", "csv", "parquet")),
            truthPath.map(left -> new FactoredSensingRun.TruthFiles(left, right)).orElse(null), s,
            progress);
      }
      progress.phase("writing the outputs");
      RunOutputs o = RunOutputs.of(run, run.solver() + " (" + SensingCommand.NAME + ", " + s.operator() + ")",
          TruthDistance.SENSING, cfg.render(), "estimate.csv");
      Object d1 = run.summary().get("d1");
      if (run.rows() != (Integer) d1) { // W1 W2^T: the stacked estimate as two factor files
        int n1 = (Integer) d1;
        int n2 = run.rows() - n1;
        o.without("estimate.csv")
            .text("estimate-w1.csv", Reports.matrixCsv(FactoredSensingRun.factor(run.estimate(), n1, n2,
                run.columns(), true), n1, run.columns()))
            .text("estimate-w2.csv", Reports.matrixCsv(FactoredSensingRun.factor(run.estimate(), n1, n2,
                run.columns(), false), n2, run.columns()));
      }
      o.commit(lock);
      System.out.print(Reports.consoleSummary(run, out));
    }
    return Main.OK;
  }
}
