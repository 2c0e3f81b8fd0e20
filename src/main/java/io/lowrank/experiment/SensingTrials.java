package io.lowrank.experiment;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueFactory;
import io.lowrank.experiment.sweep.Sweep;
import io.lowrank.experiment.sweep.SweepCell;
import io.lowrank.experiment.sweep.SweepRow;
import io.lowrank.experiment.sweep.SweepSpec;
import io.lowrank.io.OutputDir;
import io.lowrank.io.OutputLock;
import io.lowrank.report.Charts;
import io.lowrank.report.ConvergencePanel;
import io.lowrank.report.Reports;
import io.lowrank.report.TruthDistance;
import io.lowrank.run.ConfigValues;
import io.lowrank.run.SensingSettings;
import io.lowrank.solve.Trace;
import io.lowrank.solve.sensing.SensingProblem;
import org.apache.spark.sql.SparkSession;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.knowm.xchart.XYChart;

/**
 * The comparison mode of {@code lowrank sensing} ({@code --compare}): the papers' comparison of GD, ScaledGD(λ),
 * PrecGD and ScaledGD over κ × r on generated noiseless Gaussian instances (one per κ, stored operator), plus
 * ScaledGD(λ)'s sensitivity to λ and α at r = 2r*. λ = factor · σ_min(M*) with the true σ_min, as in the papers.
 * A thin alias of the sweep engine ({@link #spec}: every run a Spark task on the in-process engine, thousands of small
 * passes where Spark's per-job overhead would dominate; resumable); writes, besides the sweep's files, trials.csv,
 * trials.md, the long trials-traces.csv, one error-vs-iteration plot per (κ, r), summary.json and config.conf.
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

  /** The sweep's name in its spec (and the job groups of the Spark UI). */
  static final String NAME = "sensing-compare";

  /**
   * Runs (or resumes) the grid on the sweep engine ({@link #spec}: one Spark task per run, in-process inside it) into
   * the directory {@code out} holds, then writes this mode's tables beside the sweep's own files; {@code config} is
   * the resolved configuration's text. A rerun into the same directory runs only what is missing (the grid may grow,
   * as with {@code lowrank trials}).
   */
  public static int run(SparkSession spark, Grid g, SensingSettings base, String config, OutputLock out)
      throws IOException {
    SweepSpec spec = SweepSpec.of(spec(g, base), NAME);
    Sweep.Outcome outcome = Sweep.run(spark, spec, out, true, System.err, System.console() != null);
    Map<String, SweepCell> cells = new LinkedHashMap<>();
    spec.cells().forEach(c -> cells.put(c.id(), c));
    Map<String, Row> byKey = new LinkedHashMap<>();
    for (SweepRow r : outcome.rows()) {
      Row row = row(cells.get(r.cellId()).values(), r, base);
      byKey.put(key(row.kappa, row.r, row.solver, row.lambdaFactor, row.alpha), row);
    }
    List<Row> rows = new ArrayList<>();
    Map<String, List<Row>> plots = new LinkedHashMap<>();
    int r2 = Math.min(2 * g.rstar, g.d);
    for (double kappa : g.kappas) { // the order of the table: per κ, the main grid, then the λ and α rows
      for (int r : g.ranks) {
        List<Row> panel = new ArrayList<>();
        for (String solver : g.solvers) {
          boolean lambda = solver.equals("scaledgd-lambda");
          boolean small = lambda || solver.equals("precgd");
          add(rows, byKey, key(kappa, r, solver, lambda ? base.lambdaFactor() : null, small ? base.alpha() : null),
              panel);
        }
        if (!panel.isEmpty()) {
          plots.put(String.format(Locale.ROOT, "kappa%s-r%d", num(kappa), r), panel);
        }
      }
      for (double lf : g.lambdaFactors) {
        if (lf != base.lambdaFactor()) {
          add(rows, byKey, key(kappa, r2, "scaledgd-lambda", lf, base.alpha()), null);
        }
      }
      for (double a : g.alphas) {
        if (a != base.alpha()) {
          add(rows, byKey, key(kappa, r2, "scaledgd-lambda", base.lambdaFactor(), a), null);
        }
      }
    }
    System.out.println(String.format(Locale.ROOT, "sensing trials: d = %d, r* = %d, m = %d", g.d, g.rstar, g.m));
    System.out.println(header());
    rows.forEach(row -> System.out.println(line(row)));

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

  /**
   * The sweep spec of the grid: family sensing on the noiseless stored Gaussian instance of each κ (seeds =
   * consecutive, one trial: the run's seed for every κ), a list of grids (κ × r × the solvers but GD; GD with its
   * own budget; ScaledGD(λ) at r = 2r* over the other λ-factors, and over the other α), λ = factor·σ_min(M*) =
   * factor/κ as a derived key, every cell one Spark task on the in-process engine, traces kept.
   */
  public static Config spec(Grid g, SensingSettings base) {
    Map<String, Object> fixed = new LinkedHashMap<>();
    for (Map.Entry<String, ConfigValue> e : base.values().config().getConfig(SensingSettings.SECTION).entrySet()) {
      String k = e.getKey();
      if (!k.startsWith("trials.") && !List.of("solver", "r", "lambda", "kappa").contains(k)) {
        fixed.put(k, e.getValue().unwrapped());
      }
    }
    fixed.put("d", g.d);
    fixed.put("m", g.m);
    fixed.put("operator", "gaussian");
    fixed.put("noise", 0.0);
    fixed.put("outliers", 0.0);
    fixed.put("loss", "l2");
    fixed.put("max-iter", g.maxIterations);
    fixed.put("lambda-factor", base.lambdaFactor());
    fixed.put("alpha", base.alpha());
    List<Map<String, Object>> grids = new ArrayList<>();
    List<String> others = g.solvers.stream().filter(x -> !x.equals("gd")).toList();
    if (!others.isEmpty()) {
      grids.add(Map.of("kappa", g.kappas, "r", g.ranks, "solver", others));
    }
    if (g.solvers.contains("gd")) {
      grids.add(Map.of("kappa", g.kappas, "r", g.ranks, "solver", List.of("gd"), "max-iter",
          List.of(g.gdMaxIterations)));
    }
    int r2 = Math.min(2 * g.rstar, g.d);
    List<Double> lfs = g.lambdaFactors.stream().filter(x -> x != base.lambdaFactor()).toList();
    if (!lfs.isEmpty()) {
      grids.add(Map.of("kappa", g.kappas, "r", List.of(r2), "solver", List.of("scaledgd-lambda"), "lambda-factor",
          lfs));
    }
    List<Double> alphas = g.alphas.stream().filter(x -> x != base.alpha()).toList();
    if (!alphas.isEmpty()) {
      grids.add(Map.of("kappa", g.kappas, "r", List.of(r2), "solver", List.of("scaledgd-lambda"), "alpha", alphas));
    }
    if (grids.isEmpty()) {
      throw new IllegalArgumentException("sensing.trials.solvers is empty and no λ-factor or α differs from the "
          + "defaults: the comparison grid has no run");
    }
    Map<String, Object> spec = new LinkedHashMap<>();
    spec.put("name", NAME);
    spec.put("family", SensingSettings.SECTION);
    spec.put("seed", base.seed());
    spec.put("seeds", "consecutive");
    spec.put("trials", 1);
    spec.put("cell-engine", "task");
    spec.put("traces", true);
    spec.put("grid", grids);
    spec.put("derived", Map.of("lambda", "lambda-factor / kappa"));
    Config c = ConfigFactory.parseMap(spec);
    for (Map.Entry<String, Object> e : fixed.entrySet()) {
      c = c.withValue("fixed." + com.typesafe.config.ConfigUtil.quoteString(e.getKey()),
          ConfigValueFactory.fromAnyRef(e.getValue()));
    }
    return c;
  }

  /** A row of the table from a sweep row and its cell's values (λ-factor and α: {@code base}'s when no grid sets them). */
  private static Row row(Map<String, Object> cell, SweepRow r, SensingSettings base) {
    String solver = (String) cell.get("solver");
    boolean lambda = solver.equals("scaledgd-lambda");
    boolean small = lambda || solver.equals("precgd");
    Map<String, Object> m = r.metrics();
    Trace trace = r.trace() != null ? r.trace() : new Trace();
    return new Row(number(cell.get("kappa")), (int) number(cell.get("r")), solver,
        lambda ? number(cell.getOrDefault("lambda-factor", base.lambdaFactor())) : null,
        small ? number(cell.getOrDefault("alpha", base.alpha())) : null,
        small ? "small-random" : "spectral", (String) m.get("status"), intOr0(m.get("iterations")),
        trace.size() > 0 ? trace.last().distance() : Double.NaN, (Integer) m.get("iterations_to_1e-3"),
        (Integer) m.get("iterations_to_1e-5"), (Integer) m.get("iterations_to_1e-8"),
        m.get("seconds") == null ? Double.NaN : number(m.get("seconds")), trace);
  }

  private static double number(Object o) {
    return ((Number) o).doubleValue();
  }

  private static int intOr0(Object o) {
    return o == null ? 0 : ((Number) o).intValue();
  }

  private static String key(double kappa, int r, String solver, Double lambdaFactor, Double alpha) {
    return num(kappa) + "|" + r + "|" + solver + "|" + lambdaFactor + "|" + alpha;
  }

  private static void add(List<Row> rows, Map<String, Row> byKey, String key, List<Row> panel) {
    Row row = byKey.get(key);
    if (row != null && !rows.contains(row)) {
      rows.add(row);
      if (panel != null) {
        panel.add(row);
      }
    }
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

  /** trials-kappa…-r….png: see {@link #chart}. */
  static byte[] plot(Grid g, List<Row> panel) {
    return Charts.png(chart(g, panel));
  }

  /** The relative error per iteration of each solver of one (κ, r) panel (rows of one κ and r), on a log axis. */
  static XYChart chart(Grid g, List<Row> panel) {
    double kappa = panel.get(0).kappa;
    int r = panel.get(0).r;
    String title = Charts.text(String.format(Locale.ROOT,
        "matrix sensing trials: κ = %s, r = %d (r* = %d), d = %d, m = %d, noiseless Gaussian", num(kappa), r,
        g.rstar, g.d, g.m), String.format(Locale.ROOT,
        "matrix sensing trials: kappa = %s, r = %d (r* = %d), d = %d, m = %d, noiseless Gaussian", num(kappa), r,
        g.rstar, g.d, g.m));
    List<ConvergencePanel.Line> lines = new ArrayList<>();
    for (Row w : panel) {
      lines.add(new ConvergencePanel.Line(w.solver + " (" + w.status + ", " + w.iterations + " iterations)",
          w.trace.records().stream().mapToInt(Trace.Record::iteration).toArray(),
          w.trace.records().stream().mapToDouble(Trace.Record::distance).toArray()));
    }
    return ConvergencePanel.chart(title, TruthDistance.SENSING.axisTitle(), lines);
  }
}
