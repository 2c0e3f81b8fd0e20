package io.lowrank.experiment.sweep;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueFactory;
import com.typesafe.config.ConfigValueType;
import io.lowrank.run.ConfigValues;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.commons.text.similarity.LevenshteinDistance;

/**
 * A sweep spec (HOCON), checked whole before anything runs:
 * <pre>
 *   name = phase-retrieval-success      # the sweep's name (an --out holds one sweep)
 *   family = phase-retrieval            # phase-retrieval | sensing | robust | landscape | denoise | escape
 *   seed = 1                            # the sweep seed; trial seeds derive from it
 *   seeds = derived                     # derived (default) | consecutive: trial t's seed is seed + t in every cell
 *   trials = 30                         # trials per cell
 *   cell-engine = auto                  # task | distributed | auto (task when size &lt;= task-max-size)
 *   fixed { d = 100, tol = 1e-13 }      # family keys set in every cell
 *   grid { ratio = [3, 4, 6], solver = [bwgd, smoothing-newton] }   # lists or {from, to, step | points, scale}
 *   derived { n = "round(ratio * d)" }  # keys computed per cell
 *   metrics = [status, iterations, distance, success]
 *   traces = false                      # true: keep every trial's per-iteration trace (traces.csv)
 * </pre>
 * Keys are those of the family's section of reference.conf (e.g. {@code solver}, {@code smoothing.c}) plus the
 * family's own ({@code d}, {@code n}, ...); a grid key that is no family key is a helper variable, allowed when a
 * derived key uses it (e.g. {@code ratio}). Cells are the product of the grid axes, in the alphabetical order of
 * their keys (the last key varies fastest).
 *
 * <p>{@code grid} may also be a list of grids, {@code grid = [{...}, {...}]}: the cells are the union of their
 * products, in list order, a cell two of them give counted once. A key one of them does not set takes its {@code
 * fixed} value there, else reference.conf's (so every cell has a value for every grid key, e.g. GD with its own
 * iteration budget beside the other solvers: {@code [{solver = [scaledgd, precgd]}, {solver = gd, max-iter = 5000}]}
 * with {@code fixed.max-iter = 1000}); in a list, unlike a single grid, a key may be both fixed and on a grid.
 */
public final class SweepSpec {
  /** Top-level keys of a spec, with their defaults where they have one. */
  static final List<String> KEYS = List.of("name", "family", "seed", "seeds", "trials", "cell-engine", "task-max-size",
      "batch", "progress-interval", "fixed", "grid", "derived", "metrics", "traces", "description");
  /** Default of task-max-size: numbers of a cell's data up to which it runs in one task (about 160 MB). */
  public static final long TASK_MAX_SIZE = 20_000_000L;

  private final Config spec;
  private final String name;
  private final SweepFamily family;
  private final long seed;
  private final boolean consecutiveSeeds;
  private final int trials;
  private final String cellEngine;
  private final long taskMaxSize;
  private final int batch;
  private final double progressInterval;
  private final Map<String, Object> fixed;
  /** The grid's axes: of the one grid, or merged over a list of grids (every value a cell has, in cell order). */
  private final Map<String, List<Object>> grid;
  /** The product grids whose union the cells are (one unless {@code grid} is a list). */
  private final List<Map<String, List<Object>>> grids;
  private final boolean traces;
  private final Map<String, String> derived;
  private final List<String> metrics;
  private final Config base;
  private final Set<String> familyKeys;
  private final List<SweepCell> cells;

  private SweepSpec(Config spec, String defaultName) {
    this.spec = spec;
    for (String k : spec.root().keySet()) {
      if (!KEYS.contains(k)) {
        throw new IllegalArgumentException("spec: unknown key '" + k + "'" + suggestion(k, KEYS) + " (known: "
            + String.join(", ", KEYS) + ")");
      }
    }
    if (!spec.hasPath("family")) {
      throw new IllegalArgumentException("spec: no family (family = " + String.join(" | ", SweepFamilies.names())
          + ")");
    }
    ConfigValues v = new ConfigValues(spec);
    this.family = SweepFamilies.of(v.string("family"));
    this.name = spec.hasPath("name") ? v.string("name") : defaultName;
    if (!name.matches("[A-Za-z0-9][A-Za-z0-9._-]*")) {
      throw new IllegalArgumentException("name: '" + name + "' must be letters, digits, '.', '_' or '-'");
    }
    this.seed = spec.hasPath("seed") ? v.longValue("seed") : 1;
    this.consecutiveSeeds = spec.hasPath("seeds") && v.oneOf("seeds", "derived", "consecutive").equals("consecutive");
    this.trials = spec.hasPath("trials") ? v.positiveInt("trials") : 1;
    this.cellEngine = spec.hasPath("cell-engine") ? v.oneOf("cell-engine", "task", "distributed", "auto") : "auto";
    this.taskMaxSize = spec.hasPath("task-max-size") ? v.longValue("task-max-size") : TASK_MAX_SIZE;
    this.batch = spec.hasPath("batch") ? v.positiveInt("batch") : 8;
    this.progressInterval = spec.hasPath("progress-interval") ? v.positiveDouble("progress-interval") : 10;

    this.familyKeys = familyKeys(family);
    this.fixed = new TreeMap<>();
    if (spec.hasPath("fixed")) {
      for (Map.Entry<String, ConfigValue> e : object(spec, "fixed").toConfig().entrySet()) {
        requireFamilyKey("fixed", e.getKey(), familyKeys, Set.of());
        fixed.put(e.getKey(), e.getValue().unwrapped());
      }
    }
    this.derived = new TreeMap<>();
    if (spec.hasPath("derived")) {
      for (Map.Entry<String, ConfigValue> e : object(spec, "derived").toConfig().entrySet()) {
        requireFamilyKey("derived", e.getKey(), familyKeys, Set.of());
        derived.put(e.getKey(), e.getValue().unwrapped().toString());
      }
    }
    Set<String> helpers = new LinkedHashSet<>();
    for (Map.Entry<String, String> e : derived.entrySet()) {
      helpers.addAll(Derived.names(e.getKey(), e.getValue()));
    }
    if (!spec.hasPath("grid")) {
      throw new IllegalArgumentException("grid: the spec has no grid (e.g. grid { solver = [bwgd, smoothing-newton] })");
    }
    this.grids = grids(spec);
    Set<String> gridKeys = new java.util.TreeSet<>();
    grids.forEach(g -> gridKeys.addAll(g.keySet()));
    boolean list = spec.getValue("grid").valueType() == ConfigValueType.LIST;
    for (String k : gridKeys) {
      requireFamilyKey("grid", k, familyKeys, helpers);
      if ((!list && fixed.containsKey(k)) || derived.containsKey(k)) {
        throw new IllegalArgumentException("grid." + k + ": also set in " + (derived.containsKey(k) ? "derived"
            : "fixed") + "; a key is fixed, derived or on the grid");
      }
    }
    for (String h : helpers) {
      if (!gridKeys.contains(h) && !derived.containsKey(h) && !fixed.containsKey(h) && !familyKeys.contains(h)) {
        throw new IllegalArgumentException("derived: '" + h + "' is neither a grid key nor a key of family "
            + family.name() + suggestion(h, familyKeys));
      }
    }
    List<String> known = new ArrayList<>(family.metrics().keySet());
    if (spec.hasPath("metrics")) {
      List<String> m;
      try {
        m = spec.getStringList("metrics");
      } catch (ConfigException e) {
        throw new IllegalArgumentException("metrics: must be a list of names, e.g. [status, iterations]");
      }
      if (m.isEmpty()) {
        throw new IllegalArgumentException("metrics: empty; give some of: " + String.join(", ", known));
      }
      for (String x : m) {
        if (!known.contains(x)) {
          throw new IllegalArgumentException("metrics: family " + family.name() + " does not produce '" + x + "'"
              + suggestion(x, known) + " (it produces: " + String.join(", ", known) + ")");
        }
      }
      List<String> ordered = new ArrayList<>(known);
      ordered.retainAll(m);
      if (!ordered.contains("status")) {
        ordered.add(0, "status"); // a failed trial says so in its status
      }
      this.metrics = List.copyOf(ordered);
    } else {
      this.metrics = List.copyOf(known);
    }
    Config b = ConfigValues.reference().config();
    for (Map.Entry<String, Object> e : fixed.entrySet()) {
      b = b.withValue(configKey(family, e.getKey()), ConfigValueFactory.fromAnyRef(e.getValue(), "spec fixed"));
    }
    this.base = b;
    this.traces = spec.hasPath("traces") && v.bool("traces");
    if (traces && !family.keepsTraces()) {
      throw new IllegalArgumentException("traces: family " + family.name() + " keeps no per-iteration trace (those "
          + "that do: " + String.join(", ", SweepFamilies.names().stream().filter(f -> SweepFamilies.of(f)
              .keepsTraces()).toList()) + ")");
    }
    this.cells = expand(gridKeys);
    this.grid = new LinkedHashMap<>();
    for (String k : gridKeys) {
      List<Object> values = new ArrayList<>();
      for (SweepCell c : cells) {
        if (!values.contains(c.values().get(k))) {
          values.add(c.values().get(k));
        }
      }
      grid.put(k, values);
    }
  }

  /** The product grids of {@code grid}: one section, or a list of sections (each non-empty). */
  private static List<Map<String, List<Object>>> grids(Config spec) {
    List<Map<String, List<Object>>> out = new ArrayList<>();
    ConfigValue g = spec.getValue("grid");
    if (g.valueType() == ConfigValueType.LIST) {
      List<? extends ConfigValue> items = spec.getList("grid");
      for (int i = 0; i < items.size(); i++) {
        if (items.get(i).valueType() != ConfigValueType.OBJECT) {
          throw new IllegalArgumentException("grid[" + i + "]: must be a section { key = [values] ... }");
        }
        Map<String, List<Object>> axes = new TreeMap<>();
        axes((ConfigObject) items.get(i), "", axes);
        if (axes.isEmpty()) {
          throw new IllegalArgumentException("grid[" + i + "]: empty; give at least one key and its values");
        }
        out.add(axes);
      }
      if (out.isEmpty()) {
        throw new IllegalArgumentException("grid: empty list; give at least one grid");
      }
      return out;
    }
    Map<String, List<Object>> axes = new TreeMap<>();
    axes(object(spec, "grid"), "", axes);
    if (axes.isEmpty()) {
      throw new IllegalArgumentException("grid: empty; give at least one key and its values");
    }
    return List.of(axes);
  }

  /** Parses a spec's text; {@code defaultName} names the sweep when the spec does not. */
  public static SweepSpec parse(String text, String defaultName) {
    Config c;
    try {
      c = ConfigFactory.parseString(text).resolve();
    } catch (ConfigException e) {
      throw new IllegalArgumentException("spec: cannot parse it: " + e.getMessage());
    }
    return new SweepSpec(c, defaultName);
  }

  /** A spec from its config (e.g. built by an alias command). */
  public static SweepSpec of(Config spec, String defaultName) {
    return new SweepSpec(spec.resolve(), defaultName);
  }

  private static ConfigObject object(Config c, String key) {
    if (c.getValue(key).valueType() != ConfigValueType.OBJECT) {
      throw new IllegalArgumentException(key + ": must be a section { key = value ... }");
    }
    return c.getObject(key);
  }

  /** The grid's axes: a list, a range {from, to, step | points, scale}, or a section of keys (e.g. smoothing { c }). */
  private static void axes(ConfigObject o, String prefix, Map<String, List<Object>> out) {
    for (Map.Entry<String, ConfigValue> e : o.entrySet()) {
      String key = prefix + e.getKey();
      ConfigValue v = e.getValue();
      if (v.valueType() == ConfigValueType.LIST) {
        List<Object> values = new ArrayList<>();
        for (Object x : (List<?>) v.unwrapped()) {
          if (x == null || x instanceof Map || x instanceof List) {
            throw new IllegalArgumentException("grid." + key + ": values must be numbers, strings or booleans");
          }
          if (!values.contains(x)) {
            values.add(x);
          }
        }
        if (values.isEmpty()) {
          throw new IllegalArgumentException("grid." + key + ": empty list; give at least one value");
        }
        out.put(key, values);
      } else if (v.valueType() == ConfigValueType.OBJECT && ((ConfigObject) v).containsKey("from")) {
        out.put(key, range(key, ((ConfigObject) v).toConfig()));
      } else if (v.valueType() == ConfigValueType.OBJECT) {
        axes((ConfigObject) v, key + ".", out);
      } else {
        out.put(key, List.of(v.unwrapped()));
      }
    }
  }

  /** {from, to, step} (inclusive) or {from, to, points[, scale = linear | log]}. */
  static List<Object> range(String key, Config r) {
    ConfigValues v = new ConfigValues(r);
    String where = "grid." + key;
    for (String k : r.root().keySet()) {
      if (!List.of("from", "to", "step", "points", "scale").contains(k)) {
        throw new IllegalArgumentException(where + ": unknown range key '" + k + "' (from, to, step | points, scale)");
      }
    }
    if (!r.hasPath("to") || r.hasPath("step") == r.hasPath("points")) {
      throw new IllegalArgumentException(where + ": a range is {from, to, step} or {from, to, points}");
    }
    double from = v.finiteDouble("from");
    double to = v.finiteDouble("to");
    List<Object> values = new ArrayList<>();
    if (r.hasPath("step")) {
      double step = v.positiveDouble("step");
      long count = (long) Math.floor((to - from) / step + 1e-9) + 1;
      if (to < from || count > 1_000_000) {
        throw new IllegalArgumentException(where + ": empty or huge range from " + from + " to " + to + " by " + step);
      }
      boolean integral = from == Math.rint(from) && step == Math.rint(step);
      for (long i = 0; i < count; i++) {
        double x = from + i * step;
        values.add(integral ? (Object) (long) x : (Object) clean(x));
      }
    } else {
      int points = v.positiveInt("points");
      String scale = r.hasPath("scale") ? v.oneOf("scale", "linear", "log") : "linear";
      if (scale.equals("log") && (from <= 0 || to <= 0)) {
        throw new IllegalArgumentException(where + ": a log range needs from, to > 0");
      }
      for (int i = 0; i < points; i++) {
        double f = points == 1 ? 0 : (double) i / (points - 1);
        double x = scale.equals("log") ? from * Math.pow(to / from, f) : from + (to - from) * f;
        values.add(clean(x));
      }
    }
    return values;
  }

  /** 0.30000000000000004 → 0.3: grid values as a person writes them (12 significant digits). */
  private static double clean(double x) {
    return Double.parseDouble(String.format(Locale.ROOT, "%.12g", x));
  }

  /** The sweep keys of a family: its section's leaf keys (less hidden ones) and its outside keys. */
  static Set<String> familyKeys(SweepFamily f) {
    Set<String> keys = new LinkedHashSet<>();
    Config section = ConfigValues.reference().config().getConfig(f.section());
    for (Map.Entry<String, ConfigValue> e : section.entrySet()) {
      String first = e.getKey().split("\\.")[0];
      if (!f.hiddenSubsections().contains(first)) {
        keys.add(e.getKey());
      }
    }
    keys.addAll(f.outsideKeys().keySet());
    return keys;
  }

  static String configKey(SweepFamily f, String key) {
    return f.outsideKeys().getOrDefault(key, f.section() + "." + key);
  }

  private void requireFamilyKey(String where, String key, Set<String> keys, Set<String> helpers) {
    if (!keys.contains(key) && !helpers.contains(key)) {
      List<String> candidates = new ArrayList<>(keys);
      candidates.addAll(helpers);
      throw new IllegalArgumentException(where + ": unknown key '" + key + "' for family " + family.name()
          + suggestion(key, candidates) + (where.equals("grid") ? "; a helper variable must be used by a derived key"
              : ""));
    }
  }

  /** ", did you mean 'x'?" for the closest of {@code candidates} in edit distance, or "" when none is close. */
  static String suggestion(String word, java.util.Collection<String> candidates) {
    LevenshteinDistance lev = LevenshteinDistance.getDefaultInstance();
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String c : candidates) {
      int d = lev.apply(word, c);
      int dot = c.lastIndexOf('.');
      if (dot >= 0) {
        d = Math.min(d, lev.apply(word, c.substring(dot + 1)) + 1);
      }
      if (d < bestDistance) {
        bestDistance = d;
        best = c;
      }
    }
    return best != null && bestDistance <= Math.max(2, word.length() / 3) ? ", did you mean '" + best + "'?" : "";
  }

  /** The cells: the product of each grid, in order, every key of {@code gridKeys} valued; repeats dropped. */
  private List<SweepCell> expand(Set<String> gridKeys) {
    long total = 0;
    for (Map<String, List<Object>> g : grids) {
      long n = 1;
      for (List<Object> values : g.values()) {
        n *= values.size();
      }
      total += n;
    }
    if (total > 1_000_000) {
      throw new IllegalArgumentException("grid: " + total + " cells; at most 1000000");
    }
    Map<String, SweepCell> out = new LinkedHashMap<>();
    for (int i = 0; i < grids.size(); i++) {
      for (SweepCell c : expand(grids.get(i), gridKeys, grids.size() == 1 ? "grid" : "grid[" + i + "]")) {
        out.putIfAbsent(c.id(), c);
      }
    }
    return List.copyOf(out.values());
  }

  /** The product of one grid; a key of {@code gridKeys} it does not set takes its base (fixed or reference) value. */
  private List<SweepCell> expand(Map<String, List<Object>> axes, Set<String> gridKeys, String where) {
    List<String> keys = new ArrayList<>(axes.keySet());
    Map<String, Object> defaults = new TreeMap<>();
    for (String k : gridKeys) {
      if (!axes.containsKey(k)) {
        String full = configKey(family, k);
        if (!familyKeys.contains(k) || !base.hasPath(full)) {
          throw new IllegalArgumentException(where + ": no value for '" + k + "' (another grid of the list sets it, "
              + "and it has no fixed or reference value); give it one here");
        }
        defaults.put(k, base.getValue(full).unwrapped());
      }
    }
    List<SweepCell> out = new ArrayList<>();
    int[] index = new int[keys.size()];
    long total = 1;
    for (String k : keys) {
      total *= axes.get(k).size();
    }
    for (long c = 0; c < total; c++) {
      Map<String, Object> values = new LinkedHashMap<>();
      for (String k : gridKeys) { // alphabetical, then the derived keys
        int i = keys.indexOf(k);
        values.put(k, i >= 0 ? axes.get(k).get(index[i]) : defaults.get(k));
      }
      for (Map.Entry<String, Object> e : derivedValues(values).entrySet()) {
        values.put(e.getKey(), e.getValue());
      }
      Config cfg = base;
      for (Map.Entry<String, Object> e : values.entrySet()) {
        if (familyKeys.contains(e.getKey())) { // helper variables are no setting
          cfg = cfg.withValue(configKey(family, e.getKey()), ConfigValueFactory.fromAnyRef(e.getValue(), "grid"));
        }
      }
      ConfigValues cell = new ConfigValues(cfg);
      try {
        family.check(cell);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("cell " + describe(values) + ": " + e.getMessage());
      }
      out.add(new SweepCell(cellId(family.name(), values), values, cfg));
      for (int i = keys.size() - 1; i >= 0; i--) {
        if (++index[i] < axes.get(keys.get(i)).size()) {
          break;
        }
        index[i] = 0;
      }
    }
    return out;
  }

  /** The derived keys of a cell, each evaluated once its names are known (in dependency order). */
  private Map<String, Object> derivedValues(Map<String, Object> gridValues) {
    Map<String, Double> known = new LinkedHashMap<>();
    for (String k : familyKeys) {
      String full = configKey(family, k);
      if (base.hasPath(full) && base.getValue(full).unwrapped() instanceof Number n) {
        known.put(k, n.doubleValue());
      }
    }
    for (Map.Entry<String, Object> e : gridValues.entrySet()) {
      if (e.getValue() instanceof Number n) {
        known.put(e.getKey(), n.doubleValue());
      } else {
        known.remove(e.getKey());
      }
    }
    Map<String, Object> out = new LinkedHashMap<>();
    List<String> pending = new ArrayList<>(derived.keySet());
    for (String k : pending) {
      known.remove(k); // a derived key's reference default is not its value
    }
    while (!pending.isEmpty()) {
      boolean progress = false;
      for (String k : List.copyOf(pending)) {
        if (derived.keySet().stream().filter(pending::contains).noneMatch(
            other -> Derived.names(k, derived.get(k)).contains(other))) {
          double x = Derived.eval(k, derived.get(k), known);
          Object value = x == Math.rint(x) && Math.abs(x) < 9e15 && integral(k) ? (Object) (long) x
              : (Object) (Double.isFinite(x) ? clean(x) : x);
          out.put(k, value);
          known.put(k, x);
          pending.remove(k);
          progress = true;
        }
      }
      if (!progress) {
        throw new IllegalArgumentException("derived: the keys " + pending + " depend on each other in a cycle");
      }
    }
    return out;
  }

  /** Whether the reference value of a family key is an integer (so a derived 300.0 is set as 300). */
  private boolean integral(String key) {
    String full = configKey(family, key);
    return base.hasPath(full) && (base.getValue(full).unwrapped() instanceof Integer
        || base.getValue(full).unwrapped() instanceof Long);
  }

  /** "ratio=3 solver=bwgd". */
  static String describe(Map<String, Object> values) {
    StringBuilder sb = new StringBuilder();
    for (Map.Entry<String, Object> e : values.entrySet()) {
      sb.append(sb.length() == 0 ? "" : " ").append(e.getKey()).append('=').append(render(e.getValue()));
    }
    return sb.toString();
  }

  /** A value as written in a spec and in results.csv: 3 rather than 3.0 for an integral number. */
  static String render(Object v) {
    if (v instanceof Double || v instanceof Float) {
      return ConfigValues.fmt(((Number) v).doubleValue());
    }
    return String.valueOf(v);
  }

  /**
   * The stable id of a cell: a hash of the family and the cell's grid and derived values (sorted by key, numbers
   * as written), so that the same cell has the same id in any spec order and after {@code --extend}.
   */
  static String cellId(String family, Map<String, Object> values) {
    StringBuilder sb = new StringBuilder(family);
    for (Map.Entry<String, Object> e : new TreeMap<>(values).entrySet()) {
      sb.append('|').append(e.getKey()).append('=').append(render(e.getValue()));
    }
    try {
      byte[] h = MessageDigest.getInstance("SHA-256").digest(sb.toString().getBytes(StandardCharsets.UTF_8));
      return "c" + HexFormat.of().formatHex(h, 0, 6);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  public String name() {
    return name;
  }

  public SweepFamily family() {
    return family;
  }

  public long seed() {
    return seed;
  }

  public int trials() {
    return trials;
  }

  /** derived or consecutive (see {@link #trialSeed(SweepFamily, ConfigValues, long, boolean, int)}). */
  public String seeds() {
    return consecutiveSeeds ? "consecutive" : "derived";
  }

  /** The instance seed of trial {@code trial} of {@code cell} under this spec's rule. */
  public long trialSeed(ConfigValues cell, int trial) {
    return trialSeed(family, cell, seed, consecutiveSeeds, trial);
  }

  /**
   * The instance seed of a trial: derived (by hashing) from the sweep seed, the keys that shape the cell's instance
   * and the trial ({@link SweepFamily#trialSeed}, the default), or, with {@code seeds = consecutive}, the sweep seed
   * plus the trial in every cell, the seeds {@code landscape --diagram} and {@code sensing --compare} draw their
   * instances from (seed, seed + 1, ...), so that a spec reproduces their rows.
   */
  static long trialSeed(SweepFamily family, ConfigValues cell, long sweepSeed, boolean consecutive, int trial) {
    return consecutive ? sweepSeed + trial : family.trialSeed(cell, sweepSeed, trial);
  }

  public String cellEngine() {
    return cellEngine;
  }

  public long taskMaxSize() {
    return taskMaxSize;
  }

  public int batch() {
    return batch;
  }

  public double progressInterval() {
    return progressInterval;
  }

  /** Grid keys (helper variables included), alphabetical, then derived keys: the columns that name a cell. */
  public List<String> cellKeys() {
    List<String> k = new ArrayList<>(grid.keySet());
    k.addAll(derived.keySet());
    return k;
  }

  /** The grid's axes (merged over a list of grids: each key's values in cell order). */
  public Map<String, List<Object>> grid() {
    return grid;
  }

  /** Whether each trial's per-iteration trace is kept ({@code traces = true}; traces.csv). */
  public boolean traces() {
    return traces;
  }

  public List<String> metrics() {
    return metrics;
  }

  public List<SweepCell> cells() {
    return cells;
  }

  /** The effective settings every cell starts from (reference.conf and {@code fixed}), the family's keys only. */
  public Map<String, Object> baseSettings() {
    Map<String, Object> m = new TreeMap<>();
    for (String k : familyKeys) {
      String full = configKey(family, k);
      if (base.hasPath(full) && !grid.containsKey(k) && !derived.containsKey(k)) {
        m.put(k, base.getValue(full).unwrapped());
      }
    }
    return m;
  }

  /** The spec as given (resolved), for spec.conf. */
  public String render() {
    return spec.root().render(ConfigRenderOptions.defaults().setOriginComments(false).setJson(false));
  }

  /** The spec's config. */
  public Config config() {
    return spec;
  }
}
