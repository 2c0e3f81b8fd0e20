package io.lowrank.experiment.sweep;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import io.lowrank.io.OutputDir;
import io.lowrank.io.OutputLock;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * A sweep's results in its output directory, surviving the loss of the driver at any point:
 * <ul>
 *   <li>{@code results/part-NNNNN-XXXXXXXX.parquet}: the truth. One part per completed batch, written under a hidden
 *   name and renamed into place (an atomic rename on HDFS and local file systems), so a part is there whole or not
 *   at all; a part holds each (cell, trial) at most once and a rerun only runs the trials no part holds;</li>
 *   <li>{@code spec.conf} (the spec) and {@code settings.conf} (the effective settings of every cell, reference.conf
 *   included): a rerun with another spec or other defaults is refused naming the key;</li>
 *   <li>views rewritten atomically after every batch: {@code results.csv} (all parts merged, one row per (cell,
 *   trial), in the spec's cell order), {@code cells.csv} (per cell: trials, failures, successes, quartiles of every
 *   numeric metric), {@code sweep.json} (progress and throughput) and {@code environment.json}.</li>
 * </ul>
 */
final class SweepStore {
  static final String RESULTS = "results";
  private static final Pattern PART = Pattern.compile("part-(\\d{5,})-[0-9a-f]{8}\\.parquet");

  private final OutputLock lock;
  private final FileSystem fs;
  private final SparkSession spark;
  private final SweepSpec spec;
  private final StructType schema;
  private final Map<String, SweepRow> rows = new LinkedHashMap<>();
  private int nextPart;

  private SweepStore(OutputLock lock, SparkSession spark, SweepSpec spec) throws IOException {
    this.lock = lock;
    this.fs = lock.dir().getFileSystem(spark.sparkContext().hadoopConfiguration());
    this.spark = spark;
    this.spec = spec;
    this.schema = schema(spec);
  }

  /**
   * The store of {@code spec} in the directory {@code lock} holds: checks that the directory holds this sweep (or
   * nothing), with the same spec ({@code extend}: or one that only adds grid values or trials), and reads the rows
   * of its parts.
   */
  static SweepStore open(OutputLock lock, SparkSession spark, SweepSpec spec, boolean extend) throws IOException {
    SweepStore s = new SweepStore(lock, spark, spec);
    s.checkDirectory(extend);
    s.read();
    return s;
  }

  /** Columns: cell_id, the cell keys, trial, seed, engine, error, the metrics. */
  static StructType schema(SweepSpec spec) {
    List<StructField> f = new ArrayList<>();
    f.add(DataTypes.createStructField("cell_id", DataTypes.StringType, false));
    for (String k : spec.cellKeys()) {
      f.add(DataTypes.createStructField(k, keyType(spec, k), true));
    }
    f.add(DataTypes.createStructField("trial", DataTypes.IntegerType, false));
    f.add(DataTypes.createStructField("seed", DataTypes.LongType, false));
    f.add(DataTypes.createStructField("engine", DataTypes.StringType, false));
    f.add(DataTypes.createStructField("error", DataTypes.StringType, true));
    for (String m : spec.metrics()) {
      f.add(DataTypes.createStructField(m, sparkType(spec.family().metrics().get(m)), true));
    }
    return DataTypes.createStructType(f);
  }

  /** A cell key's column: double when every cell's value is a number, boolean when all are booleans, else string. */
  private static DataType keyType(SweepSpec spec, String key) {
    boolean numbers = spec.cells().stream().allMatch(c -> c.values().get(key) instanceof Number);
    boolean booleans = spec.cells().stream().allMatch(c -> c.values().get(key) instanceof Boolean);
    return numbers ? DataTypes.DoubleType : booleans ? DataTypes.BooleanType : DataTypes.StringType;
  }

  private static DataType sparkType(SweepFamily.Type t) {
    return switch (t) {
      case STRING -> DataTypes.StringType;
      case INT -> DataTypes.IntegerType;
      case DOUBLE -> DataTypes.DoubleType;
      case BOOLEAN -> DataTypes.BooleanType;
    };
  }

  // ------------------------------------------------------------------ the directory holds this sweep

  private Path path(String name) {
    return new Path(lock.dir(), name);
  }

  private String text(Path p) throws IOException {
    try (FSDataInputStream in = fs.open(p)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private void checkDirectory(boolean extend) throws IOException {
    String out = lock.dir().toString();
    Path specPath = path("spec.conf");
    if (!fs.exists(specPath)) {
      for (FileStatus st : fs.listStatus(lock.dir())) {
        // results/ without spec.conf: a first run killed before its first views (they are written before any part)
        if (!st.getPath().getName().startsWith(".") && !st.getPath().getName().equals(RESULTS)) {
          throw new IllegalArgumentException("--out " + out + " holds other outputs (" + st.getPath().getName()
              + "), not a sweep's results: give another --out");
        }
      }
      return;
    }
    SweepSpec before;
    try {
      before = SweepSpec.parse(text(specPath), spec.name());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(specPath + ": not a spec this version reads (" + e.getMessage()
          + "); give another --out");
    }
    if (!before.name().equals(spec.name()) || !before.family().name().equals(spec.family().name())) {
      throw new IllegalArgumentException("--out " + out + " holds the results of sweep '" + before.name()
          + "' (family " + before.family().name() + "), not of '" + spec.name() + "': give another --out");
    }
    String again = "; rerun with the spec of " + specPath.getName() + ", or give another --out";
    same("seed", before.seed(), spec.seed(), again);
    same("metrics", before.metrics(), spec.metrics(), again);
    same("derived", derivedOf(before), derivedOf(spec), again);
    Map<String, Object> was = before.baseSettings();
    Map<String, Object> now = spec.baseSettings();
    List<String> unused = spec.family().unusedKeys(spec.cells().stream().map(SweepCell::settings).toList());
    now.keySet().removeIf(k -> unused.stream().anyMatch(u -> k.equals(u) || (u.endsWith(".") && k.startsWith(u))));
    for (String k : now.keySet()) {
      if (was.containsKey(k) && !sameValue(was.get(k), now.get(k))) {
        String key = SweepSpec.configKey(spec.family(), k);
        throw new IllegalArgumentException("spec: the sweep in " + out + " was run with " + key + " = "
            + SweepSpec.render(was.get(k)) + ", this run has " + key + " = " + SweepSpec.render(now.get(k)) + again);
      }
    }
    if (fs.exists(path("settings.conf"))) {
      Config settings = ConfigFactory.parseString(text(path("settings.conf")));
      for (Map.Entry<String, Object> e : now.entrySet()) {
        String quoted = com.typesafe.config.ConfigUtil.quoteString(e.getKey());
        if (settings.hasPath(quoted) && !sameValue(settings.getValue(quoted).unwrapped(), e.getValue())) {
          throw new IllegalArgumentException("spec: the sweep in " + out + " was run with "
              + SweepSpec.configKey(spec.family(), e.getKey()) + " = "
              + SweepSpec.render(settings.getValue(quoted).unwrapped()) + " (settings.conf), this run has "
              + SweepSpec.render(e.getValue()) + " (reference.conf changed?)" + again);
        }
      }
    }
    String orExtend = extend ? again : again + ", or --extend to add cells or trials";
    if (!before.grid().keySet().equals(spec.grid().keySet())) {
      throw new IllegalArgumentException("spec: the sweep in " + out + " has grid keys " + before.grid().keySet()
          + ", this spec has " + spec.grid().keySet() + again);
    }
    for (String k : spec.grid().keySet()) {
      List<String> a = before.grid().get(k).stream().map(SweepSpec::render).toList();
      List<String> b = spec.grid().get(k).stream().map(SweepSpec::render).toList();
      boolean ok = extend ? b.containsAll(a) : a.equals(b);
      if (!ok) {
        throw new IllegalArgumentException("spec: the sweep in " + out + " was run with grid." + k + " = " + a
            + ", this spec has grid." + k + " = " + b + (extend ? " (--extend only adds values)" : "") + orExtend);
      }
    }
    if (extend ? spec.trials() < before.trials() : spec.trials() != before.trials()) {
      throw new IllegalArgumentException("spec: the sweep in " + out + " was run with trials = " + before.trials()
          + ", this spec has trials = " + spec.trials() + (extend ? " (--extend only adds trials)" : "") + orExtend);
    }
  }

  private static Map<String, String> derivedOf(SweepSpec s) {
    Map<String, String> m = new java.util.TreeMap<>();
    if (s.config().hasPath("derived")) {
      s.config().getConfig("derived").entrySet().forEach(e -> m.put(e.getKey(), e.getValue().unwrapped().toString()));
    }
    return m;
  }

  private static void same(String key, Object was, Object now, String again) {
    if (!Objects.equals(was, now)) {
      throw new IllegalArgumentException("spec: the sweep was run with " + key + " = " + was + ", this spec has "
          + key + " = " + now + again);
    }
  }

  private static boolean sameValue(Object a, Object b) {
    if (a instanceof Number x && b instanceof Number y) {
      return x.doubleValue() == y.doubleValue();
    }
    return Objects.equals(a, b);
  }

  // ------------------------------------------------------------------ parts

  private void read() throws IOException {
    Path dir = path(RESULTS);
    if (!fs.exists(dir)) {
      return;
    }
    List<String> parts = new ArrayList<>();
    for (FileStatus st : fs.listStatus(dir)) {
      String n = st.getPath().getName();
      Matcher m = PART.matcher(n);
      if (m.matches()) {
        parts.add(st.getPath().toString());
        nextPart = Math.max(nextPart, Integer.parseInt(m.group(1)) + 1);
      } else if (n.startsWith(".tmp-")) {
        fs.delete(st.getPath(), true); // a batch the driver did not finish writing: its trials run again
      }
    }
    if (parts.isEmpty()) {
      return;
    }
    parts.sort(Comparator.naturalOrder());
    List<String> columns = new ArrayList<>(List.of("cell_id", "trial", "seed", "engine", "error"));
    columns.addAll(spec.metrics());
    Dataset<Row> df = spark.read().parquet(parts.toArray(new String[0]));
    for (String c : columns) {
      if (!Arrays.asList(df.columns()).contains(c)) {
        throw new IllegalArgumentException(dir + ": the parts have no column " + c + "; give another --out");
      }
    }
    for (Row r : df.select(columns.stream().map(org.apache.spark.sql.functions::col)
        .toArray(org.apache.spark.sql.Column[]::new)).collectAsList()) {
      Map<String, Object> metrics = new LinkedHashMap<>();
      for (int i = 0; i < spec.metrics().size(); i++) {
        metrics.put(spec.metrics().get(i), r.get(5 + i));
      }
      SweepRow row = new SweepRow(r.getString(0), r.getInt(1), r.getLong(2), r.getString(3), r.getString(4), metrics);
      rows.putIfAbsent(row.key(), row);
    }
  }

  /** Whether trial {@code trial} of cell {@code cellId} is in a part. */
  boolean done(String cellId, int trial) {
    return rows.containsKey(cellId + "#" + trial);
  }

  /** The rows of the parts in the spec's cell order, then by trial. */
  List<SweepRow> ordered() {
    List<SweepRow> out = new ArrayList<>();
    for (SweepCell c : spec.cells()) {
      for (int t = 0; t < spec.trials(); t++) {
        SweepRow r = rows.get(c.id() + "#" + t);
        if (r != null) {
          out.add(r);
        }
      }
    }
    return out;
  }

  /** The rows of the parts, by (cell, trial). */
  Map<String, SweepRow> rows() {
    return rows;
  }

  /**
   * Appends one part holding {@code batch} (rows already in a part are left out): written under a hidden name in
   * results/, then renamed into place.
   */
  void append(List<SweepRow> batch, Map<String, SweepCell> cells) throws IOException {
    List<SweepRow> fresh = new ArrayList<>();
    for (SweepRow r : batch) {
      if (!rows.containsKey(r.key()) && fresh.stream().noneMatch(f -> f.key().equals(r.key()))) {
        fresh.add(r);
      }
    }
    if (fresh.isEmpty()) {
      return;
    }
    List<Row> out = new ArrayList<>();
    for (SweepRow r : fresh) {
      out.add(sparkRow(r, cells.get(r.cellId())));
    }
    Path dir = path(RESULTS);
    String token = UUID.randomUUID().toString().substring(0, 8);
    Path tmp = new Path(dir, ".tmp-" + token);
    spark.createDataFrame(out, schema).coalesce(1).write().parquet(tmp.toString());
    Path written = null;
    for (FileStatus st : fs.listStatus(tmp)) {
      if (st.getPath().getName().startsWith("part-") && st.getPath().getName().endsWith(".parquet")) {
        written = st.getPath();
      }
    }
    if (written == null) {
      throw new IOException("Spark wrote no Parquet file in " + tmp);
    }
    Path part = new Path(dir, String.format("part-%05d-%s.parquet", nextPart, token));
    if (!fs.rename(written, part)) {
      throw new IOException("cannot rename " + written + " to " + part);
    }
    nextPart++;
    fs.delete(tmp, true);
    for (SweepRow r : fresh) {
      rows.put(r.key(), r);
    }
  }

  private Row sparkRow(SweepRow r, SweepCell cell) {
    List<Object> v = new ArrayList<>();
    v.add(r.cellId());
    for (String k : spec.cellKeys()) {
      Object x = cell.values().get(k);
      DataType t = schema.apply(k).dataType();
      v.add(x == null ? null : t == DataTypes.DoubleType ? (Object) ((Number) x).doubleValue()
          : t == DataTypes.StringType ? SweepSpec.render(x) : x);
    }
    v.add(r.trial());
    v.add(r.seed());
    v.add(r.engine());
    v.add(r.error());
    for (String m : spec.metrics()) {
      v.add(r.metrics().get(m));
    }
    return RowFactory.create(v.toArray());
  }

  // ------------------------------------------------------------------ views

  /** Writes spec.conf, settings.conf, results.csv, cells.csv, sweep.json and environment.json in one commit. */
  void writeViews(Map<String, Object> status, Map<String, Object> environment) throws IOException {
    try (OutputDir dir = OutputDir.open(lock)) {
      dir.writeText("spec.conf", "# the spec of this sweep (a rerun must give the same, or --extend it)\n"
          + spec.render() + "\n");
      Config settings = ConfigFactory.empty();
      for (Map.Entry<String, Object> e : spec.baseSettings().entrySet()) {
        settings = settings.withValue(com.typesafe.config.ConfigUtil.quoteString(e.getKey()),
            ConfigValueFactory.fromAnyRef(e.getValue()));
      }
      dir.writeText("settings.conf", "# the settings every cell starts from (reference.conf and fixed)\n"
          + settings.root().render(com.typesafe.config.ConfigRenderOptions.defaults().setOriginComments(false)
              .setComments(false).setJson(false)));
      dir.writeText("results.csv", resultsCsv());
      dir.writeText("cells.csv", SweepTables.cellsCsv(spec, rows));
      dir.writeText("sweep.json", io.lowrank.report.Reports.summaryJson(status));
      dir.writeText("environment.json", io.lowrank.report.Reports.summaryJson(environment));
      dir.commit();
    }
  }

  /** results.csv: the rows of every part, in the spec's cell order, then by trial. */
  String resultsCsv() {
    StringBuilder sb = new StringBuilder(String.join(",", schema.fieldNames())).append('\n');
    for (SweepCell c : spec.cells()) {
      for (int t = 0; t < spec.trials(); t++) {
        SweepRow r = rows.get(c.id() + "#" + t);
        if (r != null) {
          List<String> f = new ArrayList<>();
          f.add(r.cellId());
          for (String k : spec.cellKeys()) {
            f.add(SweepTables.csv(c.values().get(k)));
          }
          f.add(Integer.toString(r.trial()));
          f.add(Long.toString(r.seed()));
          f.add(r.engine());
          f.add(SweepTables.csv(r.error()));
          for (String m : spec.metrics()) {
            f.add(SweepTables.csv(r.metrics().get(m)));
          }
          sb.append(String.join(",", f)).append('\n');
        }
      }
    }
    return sb.toString();
  }

  /** A part file's name pattern (for tests). */
  static boolean isPart(String name) {
    return PART.matcher(name).matches();
  }
}
