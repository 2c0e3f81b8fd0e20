package io.lowrank.job;

import io.lowrank.data.Block;
import io.lowrank.data.GaussianPhaseRetrieval;
import io.lowrank.engine.SparkEngine;
import io.lowrank.io.Format;
import io.lowrank.io.MeasurementReader;
import io.lowrank.io.Measurements;
import io.lowrank.io.OutputDir;
import io.lowrank.io.TruthFile;
import io.lowrank.linalg.Linalg;
import io.lowrank.solve.Result;
import io.lowrank.solve.phase.PhaseRetrievalProblem;
import io.lowrank.solve.phase.PhaseRetrievalSolver;
import io.lowrank.solve.phase.SmoothingNewton;
import io.lowrank.solve.phase.SpectralInitializer;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code lowrank phase-retrieval}: recover x from y_i = (a_i^T x)² on Spark. Reads the measurements (or
 * generates an instance when no input is given), runs the spectral initialisation and the chosen solver, and
 * writes summary.json, trace.csv, estimate.csv, convergence.png and config.conf atomically to the output
 * directory.
 */
@Command(name = "phase-retrieval", description = "Phase retrieval: spectral init + BWGD or smoothing Newton.")
public final class PhaseRetrievalCommand implements Callable<Integer> {
  static final String NAME = "phase-retrieval";
  static final String DEFAULT_OUT = "lowrank-out/" + NAME;

  @Mixin
  CommonOptions common;

  @Override
  public Integer call() throws Exception {
    JobConfig cfg = JobConfig.load(NAME, common);
    // Every parameter is checked before Spark starts or data is read.
    if (common.truth != null && cfg.optionalPath("input").isEmpty()) {
      throw new IllegalArgumentException("--truth is the truth of an --input; a generated instance (input empty) "
          + "has its own: drop --truth");
    }
    String solverName = cfg.oneOf("solver", PhaseRetrievalSolvers.NAMES.toArray(new String[0]));
    PhaseRetrievalSolvers.of(solverName, cfg);
    SpectralInitializer init = spectralInitializer(cfg);
    String out = cfg.optionalPath("out").orElse(DEFAULT_OUT);
    int partitions = cfg.nonNegativeInt("partitions");

    SparkSession spark = SparkSessions.create(cfg.explicitMaster(), "lowrank " + NAME);
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    Configuration hadoop = spark.sparkContext().hadoopConfiguration();
    Map<String, Object> summary = new LinkedHashMap<>();
    summary.put("solver", solverName);

    double[] truth;
    SparkEngine engine;
    var input = cfg.optionalPath("input");
    if (input.isPresent()) {
      Format format = Format.of(input.get(), cfg.oneOf("format", "auto", "csv", "parquet"), hadoop);
      // Every job of the run is in the solver's job group, named in the Spark UI (the reader's schema/header jobs too).
      jsc.setJobGroup(solverName, solverName + ": read " + input.get(), false);
      Measurements m;
      try {
        m = MeasurementReader.read(spark, input.get(), format, 0, StorageLevel.MEMORY_ONLY());
      } finally {
        jsc.clearJobGroup();
      }
      engine = new SparkEngine(jsc, partitions > 0 ? m.blocks().repartition(partitions) : m.blocks(), solverName,
          StorageLevel.MEMORY_ONLY());
      if (partitions > 0) {
        m.unpersist();
      }
      truth = cfg.optionalPath("truth").map(t -> TruthFile.read(t, m.d(), hadoop)).orElse(null);
      summary.put("input", input.get());
    } else {
      GaussianPhaseRetrieval instance = generated(cfg);
      engine = SparkEngine.generated(jsc, instance, partitions, solverName, StorageLevel.MEMORY_ONLY());
      // The generator's own x*: a truth file (e.g. the sample's, named by the default conf) says nothing about it.
      truth = instance.truth();
      summary.put("input", "generated");
    }

    Result result;
    try (engine) {
      PhaseRetrievalProblem problem = PhaseRetrievalProblem.setUp(engine, truth);
      problem.label(solverName + " spectral init");
      double[] x0 = init.initialize(problem);
      PhaseRetrievalSolver solver = PhaseRetrievalSolvers.forEngine(solverName, cfg, engine);
      try {
        result = solver.solve(problem, x0);
      } finally {
        if (solver instanceof AutoCloseable closeable) {
          closeable.close();
        }
      }
      summary.putAll(Reports.resultFields(result));
      summary.put("n", engine.rows());
      summary.put("d", engine.dimension());
      summary.put("partitions", engine.partitions());
      summary.put("master", engine.master());
      if (solver instanceof SmoothingNewton sn) {
        summary.put("schedule", sn.options().schedule().id());
        summary.put("hessian", sn.options().hessian().name().toLowerCase().replace('_', '-'));
      }
      summary.put("initial_distance_to_truth", truth == null ? null : problem.distance(x0));
      summary.put("blas", Linalg.blasName());
    }

    try (OutputDir dir = OutputDir.open(out, hadoop)) {
      dir.writeText("summary.json", Reports.summaryJson(summary));
      dir.writeText("trace.csv", result.trace().toCsv());
      dir.writeText("estimate.csv", Reports.estimateCsv(result.estimate()));
      dir.writeBytes("convergence.png", Reports.convergencePng(result.trace(), solverName + " (" + NAME + ")"));
      dir.writeText("config.conf", cfg.render());
      dir.commit();
    }
    System.out.print(Reports.consoleSummary(solverName, result, out));
    return Main.OK;
  }

  static SpectralInitializer spectralInitializer(JobConfig cfg) {
    return new SpectralInitializer(cfg.nonNegativeDouble("spectral.truncation"), cfg.positiveInt("spectral.max-steps"),
        cfg.positiveDouble("spectral.tol"), cfg.longValue("seed"));
  }

  /** The instance the {@code generate.*} keys describe. */
  static GaussianPhaseRetrieval generated(JobConfig cfg) {
    int blockRows = cfg.nonNegativeInt("generate.block-rows");
    int d = cfg.positiveInt("generate.d");
    return new GaussianPhaseRetrieval(cfg.positiveInt("generate.n"), d, cfg.longValue("seed"),
        cfg.nonNegativeDouble("generate.noise"), blockRows > 0 ? blockRows : Block.defaultRows(d));
  }
}
