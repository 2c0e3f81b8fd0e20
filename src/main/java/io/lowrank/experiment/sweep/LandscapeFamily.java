package io.lowrank.experiment.sweep;

import io.lowrank.data.PackedSymmetric;
import io.lowrank.data.Seeds;
import io.lowrank.report.HtmlSweepReport;
import io.lowrank.run.ConfigValues;
import io.lowrank.run.LandscapeRun;
import io.lowrank.run.LandscapeSettings;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.SparkSession;

/**
 * The landscape of robust recovery at the padded truth W* = [W_r*, 0] (issue 13, {@code lowrank landscape}): every
 * key of the {@code landscape} section (m, k, outliers p, d, rstar, kappa, loss, the saddle test's budget, ...) but
 * its {@code diagram} grid, which a sweep's grid replaces. A trial is one generated instance probed at the cell's
 * search rank k: the verdict (strict-saddle, local-minimum, not-critical) and min h. The cells of one instance that
 * differ only in k share it and its set-up (the passes at the truth, the stationarity of W*), as the phase diagram
 * does. The instance seed derives from (sweep seed, d, r*, trial): cells differing in m, p, κ or k draw from the same
 * streams; with {@code seeds = consecutive} trial t is the seed + t of {@code landscape --diagram}, whose rows a
 * spec then reproduces.
 *
 * <p>report.html maps the rate of strict saddles (min h &lt; 0 at a stationary W*) over the grid keys, each cell
 * labelled with its most frequent verdict and the median normalised min h: the phase diagram.
 */
final class LandscapeFamily implements SweepFamily {
  private static final long serialVersionUID = 1L;
  /** The report: the strict-saddle rate, the verdicts and min h per cell. */
  private static final HtmlSweepReport.View VIEW = new HtmlSweepReport.View("loss", "strict_saddle",
      "strict-saddle rate", "verdict", "min_h_normalised", List.of("min_h_normalised", "passes", "seconds"));

  @Override
  public String name() {
    return "landscape";
  }

  @Override
  public String section() {
    return LandscapeSettings.SECTION;
  }

  @Override
  public Map<String, String> outsideKeys() {
    return Map.of("partitions", "partitions");
  }

  @Override
  public List<String> hiddenSubsections() {
    return List.of("diagram");
  }

  @Override
  public LinkedHashMap<String, Type> metrics() {
    LinkedHashMap<String, Type> m = new LinkedHashMap<>();
    m.put("status", Type.STRING);
    m.put("verdict", Type.STRING);
    m.put("strict_saddle", Type.BOOLEAN);
    m.put("min_h", Type.DOUBLE);
    m.put("min_h_normalised", Type.DOUBLE);
    m.put("stationary", Type.BOOLEAN);
    m.put("stationarity_relative", Type.DOUBLE);
    m.put("corrupted_fraction", Type.DOUBLE);
    m.put("passes", Type.INT);
    m.put("seconds", Type.DOUBLE);
    return m;
  }

  @Override
  public void check(ConfigValues cell) {
    LandscapeSettings.of(cell);
  }

  @Override
  public long size(ConfigValues cell) {
    LandscapeSettings s = LandscapeSettings.of(cell);
    return s.m() * ((s.operator().equals("gaussian") ? PackedSymmetric.length(s.d()) : s.d()) + 1L);
  }

  @Override
  public long trialSeed(ConfigValues cell, long sweepSeed, int trial) {
    LandscapeSettings s = LandscapeSettings.of(cell);
    return Seeds.derive(sweepSeed, s.d(), s.rstar(), trial);
  }

  @Override
  public List<String> sharedInstanceKeys() {
    return List.of("k");
  }

  @Override
  public HtmlSweepReport.View view() {
    return VIEW;
  }

  @Override
  public List<Map<String, Object>> runInProcess(List<ConfigValues> cells, long seed) {
    LandscapeSettings s = LandscapeSettings.of(cells.get(0)).withSeed(seed);
    List<Integer> ks = new ArrayList<>();
    for (ConfigValues c : cells) {
      ks.add(LandscapeSettings.of(c).k());
    }
    List<Map<String, Object>> out = new ArrayList<>();
    for (LandscapeRun.Outcome o : LandscapeRun.probeInProcess(s, ks, 1)) {
      out.add(metrics(o.summary()));
    }
    return out;
  }

  @Override
  public Map<String, Object> runDistributed(SparkSession spark, ConfigValues cell, long seed) {
    return metrics(LandscapeRun.run(spark, LandscapeSettings.of(cell).withSeed(seed)).summary());
  }

  /**
   * A trial's metrics from a probe's summary fields; status is the verdict's name (STRICT_SADDLE, ...). Passes and
   * seconds are those of the set-up and the probe at k, as if the cell had run alone (a shared set-up is counted in
   * each of its cells).
   */
  private static Map<String, Object> metrics(Map<String, Object> summary) {
    String verdict = (String) summary.get("verdict");
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("status", verdict.toUpperCase(java.util.Locale.ROOT).replace('-', '_'));
    m.put("verdict", verdict);
    m.put("strict_saddle", verdict.equals("strict-saddle"));
    m.put("min_h", summary.get("min_h"));
    m.put("min_h_normalised", summary.get("min_h_normalised"));
    m.put("stationary", summary.get("stationary"));
    m.put("stationarity_relative", summary.get("stationarity_relative"));
    m.put("corrupted_fraction", summary.get("corrupted_fraction"));
    m.put("passes", (int) (number(summary, "passes") + number(summary, "setup_passes")));
    m.put("seconds", number(summary, "seconds") + number(summary, "setup_seconds"));
    return m;
  }

  private static double number(Map<String, Object> summary, String key) {
    return summary.get(key) instanceof Number n ? n.doubleValue() : 0;
  }
}
