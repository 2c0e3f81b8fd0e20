package io.lowrank.job;

import io.lowrank.experiment.PhaseRetrievalTrials;
import io.lowrank.io.OutputLock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code lowrank trials}: the success table of phase retrieval ({@link PhaseRetrievalTrials}): independent trials
 * per ratio n/d and solver, each inside one Spark task, resumable into the same {@code --out}: the phase-retrieval
 * preset of {@code lowrank sweep} ({@link SweepCommand}) behind this command's flags.
 */
@Command(name = "trials", description = "Success table: independent trials per ratio n/d and solver.")
public final class TrialsCommand implements Callable<Integer> {
  static final String NAME = "trials";

  @Mixin
  ConfigOptions config = new ConfigOptions();

  @Option(names = "--d", paramLabel = "D", description = "Dimension (default: trials.d = 100).")
  Integer d;

  @Option(names = "--ratios", paramLabel = "R,R,...", description = "Ratios n/d (default: trials.ratios = 3,4,6).")
  String ratios;

  @Option(names = "--trials", paramLabel = "T", description = "Trials per ratio (default: trials.count = 30).")
  Integer trials;

  @Option(names = "--solver", paramLabel = "S,S,...",
      description = "Solvers, comma-separated (default: trials.solvers = bwgd,smoothing-newton).")
  String solvers;

  @Option(names = "--solvers", hidden = true)
  String oldSolvers;

  @Option(names = "--schedule", paramLabel = "switching|loss|quantile|fixed", description = "Smoothing schedule.")
  String schedule;

  @Option(names = "--hessian", paramLabel = "gauss-newton|full", description = "Newton curvature.")
  String hessian;

  @Option(names = "--max-iter", paramLabel = "N", description = "Iteration budget per solve (default: 100).")
  Integer maxIter;

  @Option(names = "--seed", paramLabel = "N", description = "Seed of the sweep (default: 1).")
  Long seed;

  @Option(names = "--out", paramLabel = "DIR", description = "Output directory (default: lowrank-out/trials).")
  String out;

  @Option(names = "--master", paramLabel = "URL", description = "Spark master (default: spark-submit's, else local[*]).")
  String master;

  @Override
  public Integer call() throws Exception {
    Renamed.refuse(oldSolvers, "--solvers", "--solver (a comma-separated list)");
    Map<String, Object> flags = new LinkedHashMap<>();
    JobConfig.flag(flags, "trials.d", d);
    JobConfig.flag(flags, "trials.ratios", ratios);
    JobConfig.flag(flags, "trials.count", trials);
    JobConfig.flag(flags, "trials.solvers", solvers);
    JobConfig.flag(flags, "phase-retrieval.schedule", schedule);
    JobConfig.flag(flags, "phase-retrieval.hessian", hessian);
    JobConfig.flag(flags, "phase-retrieval.max-iter", maxIter);
    JobConfig.flag(flags, "seed", seed);
    JobConfig.flag(flags, "out", out);
    JobConfig.flag(flags, "master", master);
    JobConfig cfg = JobConfig.load(NAME, config.confFile(), config.sets(), flags);
    PhaseRetrievalTrials.check(cfg);
    String outDir = cfg.optionalPath("out").orElse("lowrank-out/" + NAME);
    SparkSession spark = SparkSessions.create(cfg.explicitMaster(), "lowrank " + NAME);
    try (OutputLock lock = OutputLock.acquire(outDir, spark.sparkContext().hadoopConfiguration())) {
      System.out.print(PhaseRetrievalTrials.run(spark, cfg, cfg.render(), lock));
    }
    System.out.println("outputs in " + outDir);
    return Main.OK;
  }
}
