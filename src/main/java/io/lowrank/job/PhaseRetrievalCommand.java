package io.lowrank.job;

import io.lowrank.io.OutputLock;
import io.lowrank.report.Reports;
import io.lowrank.report.RunOutputs;
import io.lowrank.report.TruthDistance;
import io.lowrank.run.Input;
import io.lowrank.run.Instances;
import io.lowrank.run.PhaseRetrievalRun;
import io.lowrank.run.PhaseRetrievalSettings;
import io.lowrank.run.Progress;
import io.lowrank.run.RunResult;
import io.lowrank.run.Truth;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code lowrank phase-retrieval}: recover x from y_i = (a_i^T x)² on Spark. Reads the measurements (or generates
 * an instance when no input is given), runs the spectral initialisation and the chosen solver, and writes
 * summary.json, trace.csv, estimate.csv, convergence.png and config.conf atomically to the output directory.
 */
@Command(name = "phase-retrieval", description = {"Phase retrieval: spectral init + BWGD or smoothing Newton.",
    "--solver: smoothing-newton (default), bwgd, wirtinger-flow, amplitude-flow or mllib-lbfgs; --tol (default "
        + "1e-10) and --max-iter (default 100) set phase-retrieval.tol and phase-retrieval.max-iter."})
public final class PhaseRetrievalCommand implements Callable<Integer> {
  static final String NAME = "phase-retrieval";
  static final String DEFAULT_OUT = "lowrank-out/" + NAME;

  @Mixin
  CommonOptions common;

  @Mixin
  SolverOptions solver;

  @Option(names = "--schedule", paramLabel = "switching|loss|quantile|fixed",
      description = "Smoothing schedule (default: switching).")
  String schedule;

  @Option(names = "--hessian", paramLabel = "gauss-newton|full", description = "Newton curvature (default: gauss-newton).")
  String hessian;

  @Option(names = "--engine", paramLabel = "auto|spark|local",
      description = "Where the passes run once Spark has loaded the data: in-process over a copy (local), on Spark, or "
          + "auto (in-process under a local master when the data fits the driver; default).")
  String engine;

  @Option(names = "--n", paramLabel = "N", description = "Solve a generated instance of N measurements (generate.n).")
  Integer n;

  @Option(names = "--d", paramLabel = "D", description = "Dimension of the generated instance (generate.d).")
  Integer d;

  @Override
  public Integer call() throws Exception {
    Map<String, Object> flags = new LinkedHashMap<>(solver.overrides(PhaseRetrievalSettings.SECTION));
    JobConfig.flag(flags, PhaseRetrievalSettings.SECTION + ".schedule", schedule);
    JobConfig.flag(flags, PhaseRetrievalSettings.SECTION + ".hessian", hessian);
    JobConfig.flag(flags, PhaseRetrievalSettings.SECTION + ".engine", engine);
    if (n != null || d != null) {
      if (common.input != null) {
        throw new IllegalArgumentException("--n/--d size a generated instance: drop them or --input");
      }
      flags.put("input", "");
      flags.put("truth", "");
      JobConfig.flag(flags, "generate.n", n);
      JobConfig.flag(flags, "generate.d", d);
    }
    JobConfig cfg = common.load(NAME, flags);
    // Every parameter is checked before Spark starts or data is read.
    PhaseRetrievalSettings settings = PhaseRetrievalSettings.of(cfg);
    var path = cfg.optionalPath("input");
    if (common.truth != null && path.isEmpty()) {
      throw new IllegalArgumentException("--truth is the truth of an --input; a generated instance (input empty) "
          + "has its own: drop --truth");
    }
    Input input = path.isPresent() ? Input.path(path.get(), cfg.oneOf("format", "auto", "csv", "parquet"))
        : Input.generated(Instances.phaseRetrieval(cfg));
    Truth truth = path.isPresent() ? cfg.truthOfInput().map(Truth::file).orElse(Truth.none()) : Truth.none();
    String out = cfg.optionalPath("out").orElse(DEFAULT_OUT);

    try (Progress progress = common.progress()) {
      progress.phase("starting Spark");
      SparkSession spark = SparkSessions.create(cfg.explicitMaster(), "lowrank " + NAME);
      try (OutputLock lock = OutputLock.acquire(out, spark.sparkContext().hadoopConfiguration())) {
        RunResult run = PhaseRetrievalRun.run(spark, input, truth, settings, progress);
        progress.phase("writing the outputs");
        RunOutputs.of(run, run.solver() + " (" + NAME + ")", TruthDistance.PHASE_RETRIEVAL, cfg.render(),
            "estimate.csv").commit(lock);
        System.out.print(Reports.consoleSummary(run, out));
      }
    }
    return Main.OK;
  }
}
