package io.lowrank.experiment.sweep;

import io.lowrank.data.Seeds;
import io.lowrank.report.HtmlSweepReport;
import io.lowrank.run.ConfigValues;
import io.lowrank.run.EscapeRun;
import io.lowrank.run.EscapeSettings;
import io.lowrank.solve.escape.EscapeEvent;
import io.lowrank.solve.escape.EscapeSolver;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.SparkSession;

/**
 * Escaping spurious local minima (issue 14, {@code lowrank escape}): every key of the {@code escape} section (n,
 * epsilon, method, gated, the SOD parameters, gradient descent's budget {@code gd.*}, ...) but its {@code trials}
 * grid, which a sweep's grid replaces. A trial is one seeded start on perturbed matrix completion: gradient descent
 * until it stalls, then the method's escape, up to max-escapes times. {@code method} takes the escape methods (none
 * = gradient descent alone, sod, line-search, random, restart) and {@code sod-gated}, {@code sod-ungated} (sod with
 * {@code gated} set), so that one grid axis holds every column of the {@code escape --trials} table; plain
 * {@code sod} follows {@code gated} (false by default, as {@code lowrank escape}). The instance seed is that of
 * {@code escape --trials}, derived from (sweep seed, n, ε, trial): the methods of a trial start from the same point
 * and run in one task. Success: ‖XXᵀ − M*‖_F &lt; {@code success} (1e-3).
 */
final class EscapeFamily implements SweepFamily {
  private static final long serialVersionUID = 1L;
  /** The values of the method key. */
  static final List<String> METHODS = List.of("none", "sod", "sod-gated", "sod-ungated", "line-search", "random",
      "restart");
  private static final HtmlSweepReport.View VIEW = new HtmlSweepReport.View("method", "success", "success rate", null,
      null, List.of("gd_steps", "escapes", "seconds"));

  @Override
  public String name() {
    return "escape";
  }

  @Override
  public String section() {
    return EscapeSettings.SECTION;
  }

  @Override
  public Map<String, String> outsideKeys() {
    return Map.of("partitions", "partitions");
  }

  @Override
  public List<String> hiddenSubsections() {
    return List.of("trials");
  }

  @Override
  public LinkedHashMap<String, Type> metrics() {
    LinkedHashMap<String, Type> m = new LinkedHashMap<>();
    m.put("status", Type.STRING);
    m.put("success", Type.BOOLEAN);
    m.put("gd_steps", Type.INT);
    m.put("escapes", Type.INT);
    m.put("accepted_escapes", Type.INT);
    m.put("distance", Type.DOUBLE);
    m.put("final_loss", Type.DOUBLE);
    m.put("passes", Type.INT);
    m.put("seconds", Type.DOUBLE);
    return m;
  }

  /** A cell's settings: sod-gated and sod-ungated are sod with gated set. */
  static EscapeSettings settings(ConfigValues cell) {
    String key = EscapeSettings.SECTION + ".method";
    String method = cell.string(key).trim();
    if (!METHODS.contains(method)) {
      throw new IllegalArgumentException(key + ": unknown method '" + method + "'" + SweepSpec.suggestion(method,
          METHODS) + " (expected one of: " + String.join(", ", METHODS) + ")");
    }
    ConfigValues c = !method.startsWith("sod-") ? cell : cell.with(key, "sod")
        .with(EscapeSettings.SECTION + ".gated", method.equals("sod-gated"));
    return EscapeSettings.of(c);
  }

  @Override
  public void check(ConfigValues cell) {
    settings(cell);
  }

  @Override
  public long size(ConfigValues cell) {
    long n = settings(cell).n();
    return n * n * 4; // n² entries (i, j, w, y)
  }

  @Override
  public long trialSeed(ConfigValues cell, long sweepSeed, int trial) {
    EscapeSettings s = settings(cell);
    // = EscapeTrials.trial's seed: the starts of `escape --trials`
    return Seeds.derive(sweepSeed, s.n(), Double.doubleToLongBits(s.epsilon()), trial);
  }

  @Override
  public List<String> sharedInstanceKeys() {
    return List.of("method", "gated");
  }

  @Override
  public HtmlSweepReport.View view() {
    return VIEW;
  }

  @Override
  public List<Map<String, Object>> runInProcess(List<ConfigValues> cells, long seed) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (ConfigValues c : cells) {
      EscapeSettings s = settings(c).withSeed(seed);
      out.add(metrics(EscapeRun.runInProcess(s, 1).outcome(), s));
    }
    return out;
  }

  @Override
  public Map<String, Object> runDistributed(SparkSession spark, ConfigValues cell, long seed) {
    EscapeSettings s = settings(cell).withSeed(seed);
    return metrics(EscapeRun.run(spark, s).outcome(), s);
  }

  private static Map<String, Object> metrics(EscapeSolver.Outcome o, EscapeSettings s) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("status", o.status().name());
    m.put("success", o.distance() < s.success());
    m.put("gd_steps", (int) o.steps());
    m.put("escapes", (int) o.escapes());
    m.put("accepted_escapes", (int) o.events().stream().filter(EscapeEvent::accepted).count());
    m.put("distance", o.distance());
    m.put("final_loss", o.trace().last().loss());
    m.put("passes", (int) o.passes());
    m.put("seconds", o.seconds());
    return m;
  }
}
