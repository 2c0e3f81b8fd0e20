package io.lowrank.experiment;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueFactory;
import io.lowrank.experiment.sweep.Sweep;
import io.lowrank.experiment.sweep.SweepCell;
import io.lowrank.experiment.sweep.SweepFamilies;
import io.lowrank.experiment.sweep.SweepRow;
import io.lowrank.experiment.sweep.SweepSpec;
import io.lowrank.io.OutputLock;
import io.lowrank.run.ConfigValues;
import io.lowrank.run.DenoisingSettings;
import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;

/**
 * The sweeps of rank-one denoising ({@code lowrank denoise --sweep theta|ratio|both}) as presets of the sweep engine
 * ({@link Sweep}): final overlaps against θ across the BBP threshold (sweep-theta.csv), and the final sign of ⟨x,u⟩
 * against the ratio of initial overlaps m_u0/m_v0 around the critical ratio (sweep-ratio.csv).
 *
 * <p>Each sweep is a spec of family {@code denoise} built from the {@code denoise} keys ({@link #thetaSpec},
 * {@link #ratioSpec}): one cell per point, one trial, {@code seeds = consecutive} so that trial 0 of every cell draws
 * its matrix from the run's {@code seed} itself. Every point therefore solves the same generated matrix (the same
 * W and spikes; the θ sweep changes only the spike's strength), as the old loop did, and the tables are that loop's
 * numbers. A sweep runs (or resumes) into its own subdirectory of {@code --out} ({@code theta/}, {@code ratio/}:
 * results/, results.csv, cells.csv, report.html, ...; see docs/sweeps.md), so that {@code both} is two sweeps and a
 * rerun of either mode picks up the points already there.
 */
public final class DenoisingSweeps {
  /** Header of sweep-theta.csv. */
  public static final String THETA_HEADER = "theta,sim_u,sim_v,theory_u,theory_v,limit_u,limit_v";
  /** Header of sweep-ratio.csv. */
  public static final String RATIO_HEADER = "ratio,mu0,mv0,sim_u,sim_v,sim_sign,theory_u,theory_v,theory_sign";

  private DenoisingSweeps() {}

  /**
   * One sweep of a {@code --sweep} mode.
   *
   * @param name theta or ratio: the sweep's subdirectory and table (sweep-NAME.csv)
   * @param spec the sweep
   * @param points the values of θ, or the ratios m_u0/m_v0, in the grid's order
   */
  public record Plan(String name, SweepSpec spec, double[] points) {}

  /** A sweep run: its plan, what the engine did, and the legacy table (sweep-NAME.csv). */
  public record Result(Plan plan, Sweep.Outcome outcome, String csv) {}

  /**
   * The sweeps of {@code mode} (theta, ratio or both), every cell built and checked (before Spark starts or anything
   * is written).
   */
  public static List<Plan> plans(ConfigValues cfg, String mode) {
    List<Plan> plans = new ArrayList<>();
    if (mode.equals("theta") || mode.equals("both")) {
      plans.add(new Plan("theta", SweepSpec.of(thetaSpec(cfg), "denoise-theta"), thetas(cfg)));
    }
    if (mode.equals("ratio") || mode.equals("both")) {
      plans.add(new Plan("ratio", SweepSpec.of(ratioSpec(cfg), "denoise-ratio"), ratios(cfg)));
    }
    return plans;
  }

  /**
   * Runs (or resumes) each sweep into its subdirectory of the directory {@code out} holds (the subdirectory locked
   * too while it runs), progress on {@code err}; returns each sweep's outcome and table.
   */
  public static List<Result> run(SparkSession spark, List<Plan> plans, OutputLock out, PrintStream err,
      boolean terminal) throws IOException {
    List<Result> results = new ArrayList<>();
    for (Plan p : plans) {
      Sweep.Outcome o;
      try (OutputLock lock = OutputLock.acquire(new Path(out.dir(), p.name()).toString(),
          spark.sparkContext().hadoopConfiguration())) {
        // The grid may grow between runs (more points), as `trials` allows.
        o = Sweep.run(spark, p.spec(), lock, true, err, terminal);
      }
      results.add(new Result(p, o, p.name().equals("theta") ? thetaCsv(p.spec(), o.rows())
          : ratioCsv(p.spec(), p.points(), o.rows())));
    }
    return results;
  }

  /**
   * The θ sweep's spec: grid theta = {@code denoise.sweep-points} values from sweep-theta-from to sweep-theta-to,
   * every other denoise key fixed.
   */
  public static Config thetaSpec(ConfigValues cfg) {
    return base(cfg, "denoise-theta", "theta")
        .withValue("grid.theta", ConfigValueFactory.fromIterable(Arrays.stream(thetas(cfg)).boxed().toList()));
  }

  /**
   * The ratio sweep's spec: grid mu0 = ratio · mv0 for {@code denoise.sweep-points} ratios from sweep-ratio-from to
   * sweep-ratio-to, every other denoise key fixed (m_v0 = {@code denoise.mv0}). The grid holds m_u0 itself, each the
   * product the old loop started from (a derived key would be rounded to 12 digits); the ratio is in the spec's
   * description and in sweep-ratio.csv.
   */
  public static Config ratioSpec(ConfigValues cfg) {
    double from = cfg.finiteDouble("denoise.sweep-ratio-from");
    double to = cfg.finiteDouble("denoise.sweep-ratio-to");
    double[] ratios = ratios(cfg);
    double mv0 = DenoisingSettings.of(cfg).mv0();
    if (mv0 == 0) {
      throw new IllegalArgumentException("denoise.mv0 must be non-zero for sweep = ratio (m_u0 = ratio * m_v0)");
    }
    for (double r : ratios) {
      if (Math.abs(r * mv0) > 1) {
        throw new IllegalArgumentException("sweep ratio " + r + " gives m_u0 = " + r * mv0 + " outside [-1, 1]: "
            + "narrow denoise.sweep-ratio-from/to or lower denoise.mv0");
      }
    }
    return base(cfg, "denoise-ratio", "mu0")
        .withValue("description", ConfigValueFactory.fromAnyRef("m_u0 = ratio * m_v0 for " + ratios.length
            + " ratios from " + from + " to " + to + ", m_v0 = " + mv0))
        .withValue("grid.mu0", ConfigValueFactory.fromIterable(Arrays.stream(ratios).map(r -> r * mv0).boxed()
            .toList()));
  }

  private static double[] thetas(ConfigValues cfg) {
    return points(cfg.positiveDouble("denoise.sweep-theta-from"), cfg.positiveDouble("denoise.sweep-theta-to"),
        cfg.positiveInt("denoise.sweep-points"));
  }

  private static double[] ratios(ConfigValues cfg) {
    return points(cfg.finiteDouble("denoise.sweep-ratio-from"), cfg.finiteDouble("denoise.sweep-ratio-to"),
        cfg.positiveInt("denoise.sweep-points"));
  }

  /**
   * {@code points} values from {@code from} to {@code to}, evenly spaced as the old loop spaced them (the first alone
   * when points = 1), each once (a grid has no repeated value).
   */
  private static double[] points(double from, double to, int points) {
    double[] v = new double[points];
    for (int i = 0; i < points; i++) {
      v[i] = points == 1 ? from : from + (to - from) * i / (points - 1);
    }
    return Arrays.stream(v).distinct().toArray();
  }

  /**
   * A spec of family denoise: one trial per cell drawn from the run's seed (seeds = consecutive), every key of the
   * denoise section but the sweep's own, --input's and {@code varied} fixed, and partitions.
   */
  private static Config base(ConfigValues cfg, String name, String varied) {
    List<String> hidden = SweepFamilies.of(DenoisingSettings.SECTION).hiddenSubsections();
    Map<String, Object> spec = new LinkedHashMap<>();
    spec.put("name", name);
    spec.put("family", DenoisingSettings.SECTION);
    spec.put("seed", cfg.longValue("seed"));
    spec.put("seeds", "consecutive");
    spec.put("trials", 1);
    Config c = ConfigFactory.parseMap(spec);
    for (Map.Entry<String, ConfigValue> e : cfg.config().getConfig(DenoisingSettings.SECTION).entrySet()) {
      if (!hidden.contains(e.getKey()) && !e.getKey().equals(varied)) {
        c = c.withValue("fixed." + e.getKey(), ConfigValueFactory.fromAnyRef(e.getValue().unwrapped()));
      }
    }
    return c.withValue("fixed.partitions", ConfigValueFactory.fromAnyRef(cfg.nonNegativeInt("partitions")));
  }

  /** sweep-theta.csv from the rows of the θ sweep, in the grid's order. */
  static String thetaCsv(SweepSpec spec, List<SweepRow> rows) {
    StringBuilder sb = new StringBuilder(THETA_HEADER).append('\n');
    Map<String, Map<String, Object>> byCell = metricsByCell(rows);
    for (SweepCell c : spec.cells()) {
      Map<String, Object> m = byCell.getOrDefault(c.id(), Map.of());
      sb.append(String.join(",", number(c.values().get("theta")), cell(m, "overlap_u"), cell(m, "overlap_v"),
          cell(m, "theory_u"), cell(m, "theory_v"), cell(m, "limit_u"), cell(m, "limit_v"))).append('\n');
    }
    return sb.toString();
  }

  /** sweep-ratio.csv from the rows of the ratio sweep of {@code ratios}, in the grid's order. */
  static String ratioCsv(SweepSpec spec, double[] ratios, List<SweepRow> rows) {
    StringBuilder sb = new StringBuilder(RATIO_HEADER).append('\n');
    Map<String, Map<String, Object>> byCell = metricsByCell(rows);
    for (SweepCell c : spec.cells()) {
      Map<String, Object> m = byCell.getOrDefault(c.id(), Map.of());
      double mv0 = c.settings().finiteDouble(DenoisingSettings.SECTION + ".mv0");
      double mu0 = ((Number) c.values().get("mu0")).doubleValue();
      double ratio = Arrays.stream(ratios).filter(r -> r * mv0 == mu0).findFirst().orElse(mu0 / mv0);
      sb.append(String.join(",", Double.toString(ratio), Double.toString(mu0), Double.toString(mv0),
          cell(m, "overlap_u"),
          cell(m, "overlap_v"), sign(m.get("overlap_u")), cell(m, "theory_u"), cell(m, "theory_v"),
          sign(m.get("limit_u")))).append('\n');
    }
    return sb.toString();
  }

  /** Trial 0's metrics per cell (the alias runs one trial; a grown sweep's other rows are not the table's). */
  private static Map<String, Map<String, Object>> metricsByCell(List<SweepRow> rows) {
    Map<String, Map<String, Object>> by = new HashMap<>();
    for (SweepRow r : rows) {
      if (r.trial() == 0) {
        by.put(r.cellId(), r.metrics());
      }
    }
    return by;
  }

  /** A metric as the old tables wrote it (Double.toString); empty when the trial failed. */
  private static String cell(Map<String, Object> m, String key) {
    Object v = m.get(key);
    return v == null ? "" : number(v);
  }

  private static String number(Object v) {
    return Double.toString(((Number) v).doubleValue());
  }

  private static String sign(Object v) {
    return v == null ? "" : Double.toString(Math.signum(((Number) v).doubleValue()));
  }
}
