package io.lowrank.job;

import io.lowrank.data.Block;
import io.lowrank.data.Format;
import io.lowrank.data.GaussianPhaseRetrieval;
import io.lowrank.data.MeasurementReader;
import io.lowrank.data.Measurements;
import io.lowrank.data.TruthFile;
import io.lowrank.engine.SparkEngine;
import io.lowrank.linalg.Linalg;
import io.lowrank.solve.Result;
import io.lowrank.solve.phase.PhaseRetrievalProblem;
import io.lowrank.solve.phase.SmoothingNewton;
import io.lowrank.solve.phase.SmoothingSchedule;
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
    SmoothingNewton.Options options = solverOptions(cfg);
    SpectralInitializer init = spectralInitializer(cfg);
    String out = cfg.optionalPath("out").orElse(DEFAULT_OUT);
    int partitions = cfg.nonNegativeInt("partitions");

    SparkSession spark = SparkSessions.create(cfg.explicitMaster(), "lowrank " + NAME);
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    Configuration hadoop = spark.sparkContext().hadoopConfiguration();
    Map<String, Object> summary = new LinkedHashMap<>();
    summary.put("solver", options.name());

    double[] truth;
    SparkEngine engine;
    var input = cfg.optionalPath("input");
    if (input.isPresent()) {
      Format format = Format.of(input.get(), cfg.oneOf("format", "auto", "csv", "parquet"), hadoop);
      // Every job of the run is in the solver's job group, named in the Spark UI (the reader's schema/header jobs too).
      jsc.setJobGroup(options.name(), options.name() + ": read " + input.get(), false);
      Measurements m;
      try {
        m = MeasurementReader.read(spark, input.get(), format, 0, StorageLevel.MEMORY_ONLY());
      } finally {
        jsc.clearJobGroup();
      }
      engine = new SparkEngine(jsc, partitions > 0 ? m.blocks().repartition(partitions) : m.blocks(), options.name(),
          StorageLevel.MEMORY_ONLY());
      if (partitions > 0) {
        m.unpersist();
      }
      truth = cfg.optionalPath("truth").map(t -> TruthFile.read(t, m.d(), hadoop)).orElse(null);
      summary.put("input", input.get());
    } else {
      GaussianPhaseRetrieval instance = generated(cfg);
      engine = SparkEngine.generated(jsc, instance, partitions, options.name(), StorageLevel.MEMORY_ONLY());
      truth = cfg.optionalPath("truth").map(t -> TruthFile.read(t, instance.d(), hadoop)).orElse(instance.truth());
      summary.put("input", "generated");
    }

    Result result;
    try (engine) {
      PhaseRetrievalProblem problem = PhaseRetrievalProblem.setUp(engine, truth);
      problem.label(options.name() + " spectral init");
      double[] x0 = init.initialize(problem);
      result = new SmoothingNewton(options).solve(problem, x0);
      summary.putAll(Reports.resultFields(result));
      summary.put("n", engine.rows());
      summary.put("d", engine.dimension());
      summary.put("partitions", engine.partitions());
      summary.put("master", engine.master());
      summary.put("schedule", options.schedule().id());
      summary.put("hessian", options.hessian().name().toLowerCase().replace('_', '-'));
      summary.put("initial_distance_to_truth", truth == null ? null : problem.distance(x0));
      summary.put("blas", Linalg.blasName());
    }

    try (OutputDir dir = OutputDir.open(out, hadoop)) {
      dir.writeText("summary.json", Reports.summaryJson(summary));
      dir.writeText("trace.csv", result.trace().toCsv());
      dir.writeText("estimate.csv", Reports.estimateCsv(result.estimate()));
      dir.writeBytes("convergence.png", Reports.convergencePng(result.trace(), options.name() + " (" + NAME + ")"));
      dir.writeText("config.conf", cfg.render());
      dir.commit();
    }
    System.out.print(Reports.consoleSummary(options.name(), result, out));
    return Main.OK;
  }

  /** The solver, schedule and stopping options named by the config; any bad value is an IllegalArgumentException. */
  static SmoothingNewton.Options solverOptions(JobConfig cfg) {
    String solver = cfg.oneOf("solver", "bwgd", "smoothing-newton");
    String hessianName = cfg.oneOf("hessian", "gauss-newton", "full");
    String scheduleName = cfg.oneOf("schedule", "loss", "quantile", "fixed");
    SmoothingNewton.Hessian hessian =
        hessianName.equals("full") ? SmoothingNewton.Hessian.FULL : SmoothingNewton.Hessian.GAUSS_NEWTON;
    SmoothingSchedule schedule;
    if (solver.equals("bwgd")) {
      // The default schedule is tolerated: conf files (the shipped conf/phase-retrieval.conf, and every run's
      // config.conf, which holds all keys) name it, and must still work with --solver bwgd.
      if (cfg.isExplicit("schedule") && !scheduleName.equals(JobConfig.reference().getString("schedule"))) {
        throw new IllegalArgumentException("solver bwgd has no smoothing schedule (it is smoothing Newton with μ = 0), "
            + "got schedule '" + scheduleName + "'; drop --schedule or use --solver smoothing-newton");
      }
      schedule = new SmoothingSchedule.None();
    } else {
      double c = cfg.positiveDouble("smoothing.c");
      double gamma = cfg.probability("smoothing.gamma");
      schedule = switch (scheduleName) {
        case "quantile" -> new SmoothingSchedule.QuantileBased(cfg.probability("smoothing.quantile"), c, gamma);
        case "fixed" -> new SmoothingSchedule.Fixed(cfg.positiveDouble("smoothing.mu"));
        default -> new SmoothingSchedule.LossBased(c, gamma);
      };
    }
    return new SmoothingNewton.Options(solver, schedule, hessian, cfg.positiveDouble("tol"), cfg.positiveInt("max-iter"),
        cfg.positiveInt("cg.max-iter"), cfg.positiveDouble("cg.tol"), cfg.nonNegativeDouble("stall.loss-tol"), 200);
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
