package io.lowrank.experiment.sweep;

import io.lowrank.report.HtmlSweepReport;
import io.lowrank.run.ConfigValues;
import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.SparkSession;

/**
 * What the sweep engine needs of a family (phase retrieval, sensing, robust recovery, the landscape probes, denoising,
 * the escape): which config keys a grid may name, how a cell's settings are checked, how big a cell's data are,
 * the seed of a trial, and one trial run in-process (inside a Spark task) or on the distributed engine, both through
 * the run layer. One class per family, registered in {@link SweepFamilies}; instances are stateless and shipped to
 * the tasks.
 */
public interface SweepFamily extends Serializable {
  /** The type of a metric column. */
  enum Type { STRING, INT, DOUBLE, BOOLEAN }

  /** The family's name in a spec ({@code family = ...}). */
  String name();

  /** The family's section of reference.conf: a sweep key {@code k} is the config key {@code section.k}. */
  String section();

  /**
   * Sweep keys that live outside the section (e.g. phase retrieval's {@code d} is {@code generate.d}), sweep key to
   * config key.
   */
  default Map<String, String> outsideKeys() {
    return Map.of();
  }

  /** Sub-sections of the family's section a sweep may not set (e.g. the old trials grids). */
  default List<String> hiddenSubsections() {
    return List.of();
  }

  /**
   * Sweep keys (or prefixes ending in '.') that shape no result of these cells, e.g. the settings of a solver no
   * cell runs: a rerun may change them.
   */
  default List<String> unusedKeys(List<ConfigValues> cells) {
    return List.of();
  }

  /**
   * The key under which a trial's result map may carry its {@link io.lowrank.solve.Trace} (no metric: the engine
   * keeps it apart, and only when the spec keeps traces).
   */
  String TRACE = "trace";

  /** Whether a trial's result carries its per-iteration trace under {@link #TRACE} (a spec may keep them). */
  default boolean keepsTraces() {
    return false;
  }

  /** The metrics a trial produces, in column order (status first). */
  LinkedHashMap<String, Type> metrics();

  /** Checks a cell's settings (builds them): an IllegalArgumentException naming the key when one is bad. */
  void check(ConfigValues cell);

  /** Numbers of the cell's data (measurements × values each), for the {@code cell-engine = auto} rule. */
  long size(ConfigValues cell);

  /**
   * The seed of trial {@code trial} of a cell: derived from the sweep seed, the keys that shape the instance, and
   * the trial, so that cells differing only in solver settings solve the same instances (a paired comparison).
   */
  long trialSeed(ConfigValues cell, long sweepSeed, int trial);

  /**
   * Sweep keys that may differ between cells solved on one shared instance inside one task (e.g. phase retrieval's
   * {@code solver}: one instance and one spectral start per trial, every solver from it). Empty: one cell per task.
   */
  default List<String> sharedInstanceKeys() {
    return List.of();
  }

  /**
   * One trial of cells that share their instance (they differ only in {@link #sharedInstanceKeys}), in-process
   * (inside a Spark task): the metrics of each cell, in order.
   */
  List<Map<String, Object>> runInProcess(List<ConfigValues> cells, long seed);

  /**
   * What report.html maps and tabulates: by default the success rate per solver, iterations and seconds; a family
   * whose trials have no success names its own columns (e.g. the landscape's strict-saddle rate and verdicts).
   */
  default HtmlSweepReport.View view() {
    return HtmlSweepReport.View.DEFAULT;
  }

  /** One trial of one cell on the distributed engine of {@code spark}: its metrics. */
  Map<String, Object> runDistributed(SparkSession spark, ConfigValues cell, long seed);
}
