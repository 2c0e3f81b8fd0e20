package io.lowrank.job;

import io.lowrank.experiment.EscapeTrials;
import io.lowrank.io.OutputDir;
import io.lowrank.io.OutputLock;
import io.lowrank.report.EscapeReports;
import io.lowrank.report.Reports;
import io.lowrank.report.RunOutputs;
import io.lowrank.report.TruthDistance;
import io.lowrank.run.EscapeRun;
import io.lowrank.run.EscapeSettings;
import io.lowrank.solve.escape.EscapeEvent;
import io.lowrank.solve.escape.Method;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code lowrank escape}: gradient descent on h(X) = ½‖A(XX^T) − b‖² until it stalls at a spurious local minimum, then
 * the SOD escape (or its line search, a random perturbation, a restart), up to R times, on Spark. Writes
 * summary.json, trace.csv (every gradient step), estimate.csv (X), events.csv, lifted.csv, escape.png and config.conf
 * atomically.
 */
@Command(name = "escape", description = "Escape spurious local minima of matrix sensing (SOD, line search, baselines).")
public final class EscapeCommand implements Callable<Integer> {
  static final String NAME = "escape";
  static final String DEFAULT_OUT = "lowrank-out/" + NAME;

  @Mixin
  CommonOptions common;

  @Option(names = "--instance", paramLabel = "pmc|toy|gaussian",
      description = "The generated instance (escape.instance, default pmc); --input FILE instead: an operator file or "
          + "completion entries, with --truth X* (n rows of r* numbers).")
  String instance;

  @Option(names = "--n", paramLabel = "N", description = "Size n of the generated instance (escape.n, default 3).")
  Integer n;

  @Option(names = "--m", paramLabel = "M", description = "gaussian: measurements m (escape.m, default ceil(1.2 n r*)).")
  Integer m;

  @Option(names = "--kappa", paramLabel = "X", description = "gaussian: condition number of M* (escape.kappa).")
  Double kappa;

  @Option(names = "--epsilon", paramLabel = "X", description = "Weight ε in (0, 1] (escape.epsilon, default 0.3).")
  Double epsilon;

  @Option(names = "--rank", paramLabel = "R", description = "Rank r of X (escape.r, default the truth's).")
  Integer rank;

  @Option(names = "--truth-rank", paramLabel = "R", description = "Rank r* of the truth (escape.truth-rank).")
  Integer truthRank;

  @Option(names = "--x0", paramLabel = "PATH", description = "Start: n rows of r numbers (escape.x0).")
  String x0;

  @Option(names = "--start", paramLabel = "gaussian|signed", description = "Start without --x0: init·N(0, 1) entries, "
      + "or the truth with random row signs plus them (escape.start, default gaussian).")
  String start;

  @Option(names = "--escape-at-start", description = "Escape at the start itself, which must be a stall "
      + "(escape.escape-at-start).")
  Boolean escapeAtStart;

  @Option(names = "--method", paramLabel = "sod|line-search|random|restart|none",
      description = "What is done at a stall (escape.method, default sod).")
  String method;

  @Option(names = "--gated", paramLabel = "true|false", arity = "1",
      description = "Collapse only when the lifted objective dropped (escape.gated, default false).")
  Boolean gated;

  @Option(names = "--max-escapes", paramLabel = "R", description = "At most R escapes (escape.max-escapes).")
  Integer maxEscapes;

  @Option(names = "--l", paramLabel = "L", description = "Lifting order l, odd (escape.l, default 11).")
  Integer l;

  @Option(names = "--rho", paramLabel = "X", description = "ρ > 0 (escape.rho, default 0.3).")
  Double rho;

  @Option(names = "--eta", paramLabel = "X", description = "Lifted step η > 0 (escape.eta, default 0.01).")
  Double eta;

  @Option(names = "--T", paramLabel = "auto|T", description = "Simulated lifted steps (escape.steps, default auto).")
  String steps;

  @Option(names = "--delta", paramLabel = "X", description = "Known δ in [0, 1); negative = estimate (escape.delta).")
  Double delta;

  @Option(names = "--gd-step", paramLabel = "X", description = "Gradient step (escape.gd.step, default 0.001).")
  Double gdStep;

  @Option(names = "--gd-steps", paramLabel = "K", description = "Steps per descent phase (escape.gd.steps).")
  Integer gdSteps;

  @Option(names = "--trials", description = "The success-rate table over escape.trials.ns x epsilons (count starts each) "
      + "instead of one run.")
  boolean trials;

  @Override
  public Integer call() throws Exception {
    JobConfig cfg = common.load(NAME, flags());
    String out = cfg.optionalPath("out").orElse(DEFAULT_OUT);
    if (trials) {
      // The grid checks the settings at each of its n (escape.n itself does not apply).
      if (cfg.optionalPath("input").isPresent()) {
        throw new IllegalArgumentException("--trials runs on generated instances (escape.trials); --input does not "
            + "apply");
      }
      return trials(cfg, out);
    }
    EscapeSettings s = EscapeSettings.of(cfg);
    String truth = cfg.optionalPath("truth").orElse(null);
    SparkSession spark = SparkSessions.create(cfg.explicitMaster(), "lowrank " + NAME);
    try (OutputLock lock = OutputLock.acquire(out, spark.sparkContext().hadoopConfiguration())) {
      EscapeRun.Outcome o = EscapeRun.run(spark, s, truth);
      String title = "escape (" + s.method().id() + (s.gated() ? ", gated" : ", ungated") + ")";
      RunOutputs.of(o.result(), title, TruthDistance.ESCAPE, cfg.render(), "estimate.csv")
          .text("events.csv", EscapeReports.eventsCsv(o.outcome().events()))
          .text("lifted.csv", EscapeReports.gridCsv(o.outcome().events()))
          .bytes("escape.png", EscapeReports.distancePng(o.outcome(), title + ": " + o.result().summary().get("instance")
              + ", n = " + o.result().rows() + ", r = " + o.result().columns() + "; " + o.outcome().status()))
          .commit(lock);
      System.out.print(console(o, out));
    }
    return Main.OK;
  }

  private static int trials(JobConfig cfg, String out) throws Exception {
    EscapeTrials.Grid grid = EscapeTrials.grid(cfg);
    SparkSession spark = SparkSessions.create(cfg.explicitMaster(), "lowrank " + NAME + " trials");
    try (OutputLock lock = OutputLock.acquire(out, spark.sparkContext().hadoopConfiguration())) {
      long t0 = System.nanoTime();
      List<EscapeTrials.Run> runs = EscapeTrials.run(spark, cfg);
      List<EscapeTrials.Cell> cells = EscapeTrials.cells(runs, grid);
      String md = EscapeTrials.tableMarkdown(cells, grid);
      try (OutputDir dir = OutputDir.open(lock)) {
        dir.writeText("trials-runs.csv", EscapeTrials.runsCsv(runs, grid));
        dir.writeText("trials.csv", EscapeTrials.tableCsv(cells, grid));
        dir.writeText("trials.md", md);
        for (double e : grid.values()) {
          dir.writeBytes(String.format(Locale.ROOT, "success-%s-%s.png", grid.gaussian() ? "m" : "eps", e),
              EscapeTrials.successPng(cells, grid, e));
        }
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("solver", "escape-trials");
        summary.put("ns", grid.ns());
        summary.put("instance", grid.instance());
        summary.put(grid.gaussian() ? "m_per_nr" : "epsilons", grid.values());
        summary.put("count", grid.count());
        summary.put("methods", grid.methods());
        summary.put("total_steps", grid.totalSteps());
        summary.put("seconds", (System.nanoTime() - t0) / 1e9);
        summary.put("master", spark.sparkContext().master());
        dir.writeText("summary.json", Reports.summaryJson(summary));
        dir.writeText("config.conf", cfg.render());
        dir.commit();
      }
      System.out.print(md);
      System.out.printf(Locale.ROOT, "escape trials: %d runs in %.1f s; outputs in %s%n", runs.size(),
          (System.nanoTime() - t0) / 1e9, out);
    }
    return Main.OK;
  }

  private static String console(EscapeRun.Outcome o, String out) {
    StringBuilder sb = new StringBuilder();
    var oc = o.outcome();
    sb.append(String.format(Locale.ROOT, "%s: %s after %d gradient steps and %d escapes; ||XX^T - M*||_F = %.3e%n",
        o.result().solver(), oc.status(), oc.steps(), oc.escapes(), oc.distance()));
    for (EscapeEvent e : oc.events()) {
      if (e.method() == Method.NONE) {
        sb.append(String.format(Locale.ROOT, "  stall at step %d: h = %.5g, lambda_n = %.4g >= -escape.min-curvature: "
            + "no negative curvature, descent continues (%d passes)%n", e.step(), e.loss(), e.lambda(), e.passes()));
        continue;
      }
      sb.append(String.format(Locale.ROOT, "  escape %d at step %d: h = %.5g, lambda_n = %.4f, sigma_r = %.4f, "
          + "delta = %.3f, EFS = %.4f, T = %d, lifted %.5f -> %.5f -> %.5f, %s, %s, %d passes, %.2f s%n", e.index(),
          e.step(), e.loss(), e.lambda(), e.sigma(), e.delta(), e.efs(), e.liftedSteps(), e.lifted0(), e.liftedRho(),
          e.liftedT(), e.term(), e.accepted() ? "accepted" : "rejected", e.passes(), e.seconds()));
      EscapeEvent.Stages st = e.stages();
      sb.append(String.format(Locale.ROOT, "    stages: gradient %.2f s, Lanczos (%d products) %.2f s, delta %.2f s, "
          + "c %.2f s, lifted grid %.2f s, collapse %.3f s%n", st.gradient(), e.lanczosSteps(), st.lanczos(),
          st.delta(), st.c(), st.lifted(), st.collapse()));
    }
    for (int k = 0; k < oc.phaseStarts().size(); k++) {
      long first = oc.phaseStarts().get(k);
      long end = k + 1 < oc.phaseStarts().size() ? oc.phaseStarts().get(k + 1) : oc.steps();
      sb.append(String.format(Locale.ROOT, "  descent %d: steps %d..%d, %.2f s%n", k, first, end,
          oc.phaseSeconds().get(k)));
    }
    sb.append(String.format(Locale.ROOT, "  %d passes, %.2f s (descent %.2f s)%n  outputs in %s%n", oc.passes(),
        oc.seconds(), oc.descentSeconds(), out));
    return sb.toString();
  }

  private Map<String, Object> flags() {
    Map<String, Object> flags = new LinkedHashMap<>();
    JobConfig.flag(flags, "escape.instance", instance);
    JobConfig.flag(flags, "escape.n", n);
    JobConfig.flag(flags, "escape.m", m);
    JobConfig.flag(flags, "escape.kappa", kappa);
    JobConfig.flag(flags, "escape.epsilon", epsilon);
    JobConfig.flag(flags, "escape.r", rank);
    JobConfig.flag(flags, "escape.truth-rank", truthRank);
    JobConfig.flag(flags, "escape.x0", x0);
    JobConfig.flag(flags, "escape.start", start);
    JobConfig.flag(flags, "escape.escape-at-start", escapeAtStart);
    JobConfig.flag(flags, "escape.method", method);
    JobConfig.flag(flags, "escape.gated", gated);
    JobConfig.flag(flags, "escape.max-escapes", maxEscapes);
    JobConfig.flag(flags, "escape.l", l);
    JobConfig.flag(flags, "escape.rho", rho);
    JobConfig.flag(flags, "escape.eta", eta);
    JobConfig.flag(flags, "escape.steps", steps);
    JobConfig.flag(flags, "escape.delta", delta);
    JobConfig.flag(flags, "escape.gd.step", gdStep);
    JobConfig.flag(flags, "escape.gd.steps", gdSteps);
    return flags;
  }
}
