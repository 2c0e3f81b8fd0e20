package io.lowrank.experiment;

import io.lowrank.data.GaussianSensing;
import io.lowrank.data.LowRankTruth;
import io.lowrank.engine.LocalEngine;
import io.lowrank.io.OutputDir;
import io.lowrank.io.OutputLock;
import io.lowrank.model.sensing.PackedGaussianOperator;
import io.lowrank.report.Charts;
import io.lowrank.report.Palette;
import io.lowrank.report.Reports;
import io.lowrank.report.Ticks;
import io.lowrank.report.TruthDistance;
import io.lowrank.run.ConfigValues;
import io.lowrank.run.SensingRun;
import io.lowrank.run.SensingSettings;
import io.lowrank.solve.Result;
import io.lowrank.solve.Trace;
import io.lowrank.solve.sensing.SensingProblem;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.knowm.xchart.XYChart;

/**
 * The trials mode of {@code lowrank sensing}: the papers' comparison of GD, ScaledGD(λ), PrecGD and ScaledGD over
 * κ × r on generated noiseless Gaussian instances (one per κ, stored operator, in-process engine: thousands of
 * small passes, where Spark's per-job overhead would dominate), plus ScaledGD(λ)'s sensitivity to λ and α at
 * r = 2r*. λ = factor · σ_min(M*) with the true σ_min, as in the papers. Writes trials.csv, trials.md, the long
 * trials-traces.csv, one error-vs-iteration plot per (κ, r), summary.json and config.conf.
 */
public final class SensingTrials {
  private SensingTrials() {}

  /** The grid, from {@code sensing.trials.*}. */
  public record Grid(int d, int rstar, long m, List<Double> kappas, List<Integer> ranks, List<String> solvers,
      int maxIterations, int gdMaxIterations, List<Double> lambdaFactors, List<Double> alphas) {
    public static Grid of(ConfigValues cfg, SensingSettings s) {
      int d = cfg.positiveInt("sensing.trials.d");
      int rstar = s.rstar();
      if (rstar > d) {
        throw new IllegalArgumentException("sensing.rstar must be <= sensing.trials.d = " + d + ", got " + rstar);
      }
      long m = cfg.longValue("sensing.m");
      m = m == 0 ? 10L * d * rstar : m;
      SensingProblem.requireEnoughMeasurements(m, d, rstar);
      List<Double> kappas = list(cfg, "sensing.trials.kappas", (c, k) -> c.getDoubleList(k));
      for (double k : kappas) {
        if (!(k >= 1) || Double.isInfinite(k)) {
          throw new IllegalArgumentException("sensing.trials.kappas must be finite and >= 1, got " + k);
        }
      }
      List<Integer> ranks = new ArrayList<>();
      for (int r : list(cfg, "sensing.trials.ranks", (c, k) -> c.getIntList(k))) {
        if (r < 0 || r > d) {
          throw new IllegalArgumentException("sensing.trials.ranks must be in [1, d = " + d + "] (0 = d), got " + r);
        }
        ranks.add(r == 0 ? d : r);
      }
      List<String> solvers = list(cfg, "sensing.trials.solvers", (c, k) -> c.getStringList(k));
      for (String solver : solvers) {
        io.lowrank.solve.sensing.ScaledGradientDescent.Method.of(solver);
      }
      List<Double> lambdas = list(cfg, "sensing.trials.lambda-factors", (c, k) -> c.getDoubleList(k));
      List<Double> alphas = list(cfg, "sensing.trials.alphas", (c, k) -> c.getDoubleList(k));
      for (double v : lambdas) {
        if (!(v >= 0)) {
          throw new IllegalArgumentException("sensing.trials.lambda-factors must be >= 0, got " + v);
        }
      }
      for (double v : alphas) {
        if (!(v > 0)) {
          throw new IllegalArgumentException("sensing.trials.alphas must be > 0, got " + v);
        }
      }
      return new Grid(d, rstar, m, kappas, ranks, solvers, cfg.positiveInt("sensing.trials.max-iter"),
          cfg.positiveInt("sensing.trials.gd-max-iter"), lambdas, alphas);
    }
  }

  /** A list-valued key; a wrong type is an IllegalArgumentException naming the key. */
  private static <T> List<T> list(ConfigValues cfg, String key,
      java.util.function.BiFunction<com.typesafe.config.Config, String, List<T>> get) {
    try {
      return get.apply(cfg.config(), key);
    } catch (com.typesafe.config.ConfigException e) {
      throw new IllegalArgumentException(key + " must be a list of the right type: " + e.getMessage());
    }
  }

  /** One run of the table. */
  record Row(double kappa, int r, String solver, Double lambdaFactor, Double alpha, String init, String status,
      int iterations, double finalError, Integer to1e3, Integer to1e5, Integer to1e8, double seconds,
      Trace trace) {}

  /** Runs the grid and writes its outputs to the directory {@code out} holds; {@code config} is the resolved configuration's text. */
  public static int run(Grid g, SensingSettings base, String config, OutputLock out) throws IOException {
    List<Row> rows = new ArrayList<>();
    Map<String, List<Row>> plots = new LinkedHashMap<>();
    System.out.println(String.format(Locale.ROOT, "sensing trials: d = %d, r* = %d, m = %d", g.d, g.rstar, g.m));
    System.out.println(header());
    for (double kappa : g.kappas) {
      LowRankTruth truth = LowRankTruth.generate(g.d, g.rstar, kappa, base.seed());
      GaussianSensing inst = GaussianSensing.stored(truth, g.m, base.seed(), 0.0,
          GaussianSensing.defaultBlockRows(g.d));
      try (LocalEngine engine = new LocalEngine(inst.blocks())) {
        SensingProblem p = SensingProblem.setUp(engine, new PackedGaussianOperator(g.d, g.m), truth);
        for (int r : g.ranks) {
          List<Row> panel = new ArrayList<>();
          for (String solver : g.solvers) {
            Row row = runOne(p, base, g, kappa, r, solver, base.lambdaFactor(), base.alpha());
            panel.add(row);
            rows.add(row);
            System.out.println(line(row));
          }
          plots.put(String.format(Locale.ROOT, "kappa%s-r%d", num(kappa), r), panel);
        }
        int r2 = Math.min(2 * g.rstar, g.d);
        for (double lf : g.lambdaFactors) {
          if (lf != base.lambdaFactor()) {
            Row row = runOne(p, base, g, kappa, r2, "scaledgd-lambda", lf, base.alpha());
            rows.add(row);
            System.out.println(line(row));
          }
        }
        for (double a : g.alphas) {
          if (a != base.alpha()) {
            Row row = runOne(p, base, g, kappa, r2, "scaledgd-lambda", base.lambdaFactor(), a);
            rows.add(row);
            System.out.println(line(row));
          }
        }
      }
    }

    try (OutputDir dir = OutputDir.open(out)) {
      dir.writeText("trials.csv", csv(rows));
      dir.writeText("trials.md", markdown(g, base, rows));
      dir.writeText("trials-traces.csv", traces(rows));
      for (Map.Entry<String, List<Row>> e : plots.entrySet()) {
        dir.writeBytes("trials-" + e.getKey() + ".png", plot(g, e.getValue()));
      }
      Map<String, Object> summary = new LinkedHashMap<>();
      summary.put("mode", "trials");
      summary.put("d", g.d);
      summary.put("rstar", g.rstar);
      summary.put("m", g.m);
      List<Map<String, Object>> list = new ArrayList<>();
      for (Row row : rows) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("kappa", row.kappa);
        m.put("r", row.r);
        m.put("solver", row.solver);
        m.put("lambda_factor", row.lambdaFactor);
        m.put("alpha", row.alpha);
        m.put("status", row.status);
        m.put("iterations", row.iterations);
        m.put("relative_error", row.finalError);
        m.put("iterations_to_1e-3", row.to1e3);
        m.put("iterations_to_1e-5", row.to1e5);
        m.put("iterations_to_1e-8", row.to1e8);
        list.add(m);
      }
      summary.put("runs", list);
      dir.writeText("summary.json", Reports.summaryJson(summary));
      dir.writeText("config.conf", config);
      dir.commit();
    }
    System.out.println("outputs in " + out.dir());
    return 0;
  }

  private static Row runOne(SensingProblem p, SensingSettings base, Grid g, double kappa, int r, String solver,
      double lambdaFactor, double alpha) {
    boolean lambdaSolver = solver.equals("scaledgd-lambda");
    boolean smallInit = lambdaSolver || solver.equals("precgd");
    SensingSettings s = base.withSolver(solver).withRank(r)
        .withMaxIter(solver.equals("gd") ? g.gdMaxIterations : g.maxIterations)
        .with("lambda", Double.toString(lambdaFactor * p.truth().sigmaMin())).with("lambda-factor", lambdaFactor)
        .with("alpha", alpha);
    p.label("trials " + solver + " r=" + r);
    Result res = SensingRun.solveFrom(p, s, r, null);
    return new Row(kappa, r, solver, lambdaSolver ? lambdaFactor : null, smallInit ? alpha : null,
        smallInit ? "small-random" : "spectral", res.status().name(), res.iterations(), res.trace().last().distance(),
        firstBelow(res.trace(), 1e-3), firstBelow(res.trace(), 1e-5), firstBelow(res.trace(), 1e-8), res.seconds(),
        res.trace());
  }

  static Integer firstBelow(Trace t, double level) {
    for (Trace.Record rec : t.records()) {
      if (rec.distance() <= level) {
        return rec.iteration();
      }
    }
    return null;
  }

  private static String num(double v) {
    return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
  }

  private static String cell(Object o) {
    return o == null ? "-" : o instanceof Double v ? String.format(Locale.ROOT, "%.3g", v) : o.toString();
  }

  private static String header() {
    return "| kappa | r | solver | lambda/sigma_min | alpha | init | status | iters | final rel. error | iters to 1e-3 "
        + "| iters to 1e-5 | iters to 1e-8 | seconds |\n|---|---|---|---|---|---|---|---|---|---|---|---|---|";
  }

  private static String line(Row w) {
    return "| " + num(w.kappa) + " | " + w.r + " | " + w.solver + " | " + cell(w.lambdaFactor) + " | " + cell(w.alpha)
        + " | " + w.init + " | " + w.status + " | " + w.iterations + " | " + cell(w.finalError) + " | "
        + cell(w.to1e3) + " | " + cell(w.to1e5) + " | " + cell(w.to1e8) + " | "
        + String.format(Locale.ROOT, "%.1f", w.seconds) + " |";
  }

  static String markdown(Grid g, SensingSettings base, List<Row> rows) {
    StringBuilder sb = new StringBuilder();
    sb.append(String.format(Locale.ROOT, "Matrix sensing trials: d = %d, r* = %d, m = %d, noiseless Gaussian, "
        + "tol %s, eta %s, lambda = factor * sigma_min(M*) (factor %s unless the row says), PrecGD c = %s.%n%n",
        g.d, g.rstar, g.m, base.tol(), base.eta(), base.lambdaFactor(), base.precgdC()));
    sb.append(header()).append('\n');
    for (Row w : rows) {
      sb.append(line(w)).append('\n');
    }
    return sb.toString();
  }

  static String csv(List<Row> rows) {
    StringBuilder sb = new StringBuilder("kappa,r,solver,lambda_factor,alpha,init,status,iterations,relative_error,"
        + "iterations_to_1e-3,iterations_to_1e-5,iterations_to_1e-8,seconds\n");
    for (Row w : rows) {
      sb.append(num(w.kappa)).append(',').append(w.r).append(',').append(w.solver).append(',')
          .append(w.lambdaFactor == null ? "" : w.lambdaFactor).append(',').append(w.alpha == null ? "" : w.alpha)
          .append(',').append(w.init).append(',').append(w.status).append(',').append(w.iterations).append(',')
          .append(Trace.cell(w.finalError)).append(',').append(w.to1e3 == null ? "" : w.to1e3).append(',')
          .append(w.to1e5 == null ? "" : w.to1e5).append(',').append(w.to1e8 == null ? "" : w.to1e8).append(',')
          .append(w.seconds).append('\n');
    }
    return sb.toString();
  }

  static String traces(List<Row> rows) {
    StringBuilder sb = new StringBuilder("kappa,r,solver,lambda_factor,alpha,iteration,relative_error,loss,mu\n");
    for (Row w : rows) {
      for (Trace.Record rec : w.trace.records()) {
        sb.append(num(w.kappa)).append(',').append(w.r).append(',').append(w.solver).append(',')
            .append(w.lambdaFactor == null ? "" : w.lambdaFactor).append(',').append(w.alpha == null ? "" : w.alpha)
            .append(',').append(rec.iteration()).append(',').append(Trace.cell(rec.distance())).append(',')
            .append(Trace.cell(rec.loss())).append(',').append(Trace.cell(rec.mu())).append('\n');
      }
    }
    return sb.toString();
  }

  /** Relative errors above this are off the plot's scale (a diverging solver). */
  static final double DIVERGED = 1e6;

  /** trials-kappa…-r….png: see {@link #chart}. */
  static byte[] plot(Grid g, List<Row> panel) {
    return Charts.png(chart(g, panel));
  }

  /**
   * The relative error per iteration of each solver of one (κ, r) panel (rows of one κ and r), on a log axis; a
   * solver's line has gaps where its error is not finite or above {@link #DIVERGED} (the axis would otherwise span
   * hundreds of decades), never a segment across them.
   */
  static XYChart chart(Grid g, List<Row> panel) {
    double kappa = panel.get(0).kappa;
    int r = panel.get(0).r;
    String title = Charts.text(String.format(Locale.ROOT,
        "matrix sensing trials: κ = %s, r = %d (r* = %d), d = %d, m = %d, noiseless Gaussian", num(kappa), r,
        g.rstar, g.d, g.m), String.format(Locale.ROOT,
        "matrix sensing trials: kappa = %s, r = %d (r* = %d), d = %d, m = %d, noiseless Gaussian", num(kappa), r,
        g.rstar, g.d, g.m));
    XYChart chart = Charts.chart(title, "iteration", TruthDistance.SENSING.axisTitle());
    int last = 0;
    double lo = Double.POSITIVE_INFINITY;
    double hi = Double.NEGATIVE_INFINITY;
    for (Row w : panel) {
      last = Math.max(last, w.trace.last().iteration());
      for (Trace.Record rec : w.trace.records()) {
        if (Double.isFinite(rec.distance()) && rec.distance() > 0 && rec.distance() <= DIVERGED) {
          lo = Math.min(lo, rec.distance());
          hi = Math.max(hi, rec.distance());
        }
      }
    }
    Ticks.iterationAxis(chart, last);
    if (lo <= hi) {
      Ticks.logY(chart, lo, hi);
    }
    int i = 0;
    for (Row w : panel) {
      List<Trace.Record> recs = w.trace.records();
      int[] it = recs.stream().mapToInt(Trace.Record::iteration).toArray();
      double[] err = recs.stream().mapToDouble(rec -> rec.distance() > DIVERGED ? Double.POSITIVE_INFINITY
          : rec.distance()).toArray();
      Charts.iterationSeries(chart, w.solver + " (" + w.status + ", " + w.iterations + " iterations)", it, err,
          true, Palette.series(i++), 0, last <= Charts.MARKERS_UP_TO);
    }
    return chart;
  }
}
