package io.lowrank.experiment.sweep;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import io.lowrank.io.OutputDir;
import io.lowrank.io.OutputLock;
import io.lowrank.report.HtmlEnvironment;
import io.lowrank.report.HtmlResultsTable;
import io.lowrank.report.HtmlSweepReport;
import io.lowrank.solve.Trace;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
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
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.hadoop.example.GroupReadSupport;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.hadoop.util.HadoopOutputFile;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Type;
import org.apache.parquet.schema.Types;
import org.apache.spark.sql.SparkSession;

/**
 * A sweep's results in its output directory, surviving the loss of the driver at any point:
 * <ul>
 *   <li>{@code results/part-NNNNN-XXXXXXXX.parquet}: the truth. One part per completed batch, written by the
 *   driver (parquet-hadoop, no Spark job) under a hidden name and renamed into place (an atomic rename on HDFS and local file systems), so a part is there whole or not
 *   at all; a part holds each (cell, trial) at most once and a rerun only runs the trials no part holds;</li>
 *   <li>{@code spec.conf} (the spec) and {@code settings.conf} (the effective settings of every cell, reference.conf
 *   included): a rerun with another spec or other defaults is refused naming the key;</li>
 *   <li>views rewritten atomically after every batch: {@code results.csv} (all parts merged, one row per (cell,
 *   trial), in the spec's cell order), {@code cells.csv} (per cell: trials, failures, successes, quartiles of every
 *   numeric metric), {@code traces.csv} (specs that keep traces: every trial's per-iteration records), {@code
 *   sweep.json} (progress and throughput) and {@code environment.json}.</li>
 * </ul>
 */
final class SweepStore {
  static final String RESULTS = "results";
  /** The parts' group of per-iteration records (specs with {@code traces = true}). */
  private static final String TRACE = "trace";
  private static final String SPEC = "spec.conf";
  private static final Pattern PART = Pattern.compile("part-(\\d{5,})-[0-9a-f]{8}\\.parquet");

  private final OutputLock lock;
  private final FileSystem fs;
  private final SweepSpec spec;
  private final LinkedHashMap<String, Col> columns;
  private final MessageType schema;
  private final Configuration hadoop;
  private final Map<String, SweepRow> rows = new LinkedHashMap<>();
  private int nextPart;

  private SweepStore(OutputLock lock, SparkSession spark, SweepSpec spec) throws IOException {
    this.lock = lock;
    this.fs = lock.dir().getFileSystem(spark.sparkContext().hadoopConfiguration());
    this.spec = spec;
    this.columns = columns(spec);
    this.schema = parquetSchema(columns, spec.traces());
    this.hadoop = spark.sparkContext().hadoopConfiguration();
  }

  /**
   * The store of {@code spec} in the directory {@code lock} holds: checks that the directory holds this sweep (or
   * nothing), with the same spec ({@code extend}: or one that only adds grid values or trials), and reads the rows
   * of its parts.
   */
  static SweepStore open(OutputLock lock, SparkSession spark, SweepSpec spec, boolean extend) throws IOException {
    SweepStore s = new SweepStore(lock, spark, spec);
    s.recoverViews();
    s.checkDirectory(extend);
    s.read();
    return s;
  }

  /** Column types of the parts. */
  private enum Col { STRING, INT, LONG, DOUBLE, BOOLEAN }

  /** Columns: cell_id, the cell keys, trial, seed, engine, error, the metrics (name to type, in order). */
  static LinkedHashMap<String, Col> columns(SweepSpec spec) {
    LinkedHashMap<String, Col> c = new LinkedHashMap<>();
    c.put("cell_id", Col.STRING);
    for (String k : spec.cellKeys()) {
      c.put(k, keyType(spec, k));
    }
    c.put("trial", Col.INT);
    c.put("seed", Col.LONG);
    c.put("engine", Col.STRING);
    c.put("error", Col.STRING);
    for (String m : spec.metrics()) {
      c.put(m, switch (spec.family().metrics().get(m)) {
        case STRING -> Col.STRING;
        case INT -> Col.INT;
        case DOUBLE -> Col.DOUBLE;
        case BOOLEAN -> Col.BOOLEAN;
      });
    }
    return c;
  }

  /** A cell key's column: double when every cell's value is a number, boolean when all are booleans, else string. */
  private static Col keyType(SweepSpec spec, String key) {
    boolean numbers = spec.cells().stream().allMatch(c -> c.values().get(key) instanceof Number);
    boolean booleans = spec.cells().stream().allMatch(c -> c.values().get(key) instanceof Boolean);
    return numbers ? Col.DOUBLE : booleans ? Col.BOOLEAN : Col.STRING;
  }

  /**
   * The Parquet schema of the parts (the key columns required, the rest optional); with {@code traces}, a repeated
   * group {@code trace} of the trial's per-iteration records (the columns of {@link Trace#CSV_HEADER}).
   */
  private static MessageType parquetSchema(LinkedHashMap<String, Col> columns, boolean traces) {
    Types.MessageTypeBuilder b = Types.buildMessage();
    if (traces) {
      b.repeatedGroup().required(PrimitiveTypeName.INT32).named("iteration")
          .required(PrimitiveTypeName.DOUBLE).named("loss")
          .required(PrimitiveTypeName.DOUBLE).named("gradient_norm")
          .required(PrimitiveTypeName.DOUBLE).named("mu")
          .required(PrimitiveTypeName.DOUBLE).named("step_norm")
          .required(PrimitiveTypeName.DOUBLE).named("distance_to_truth")
          .required(PrimitiveTypeName.INT64).named("passes")
          .required(PrimitiveTypeName.INT64).named("wall_ms")
          .named(TRACE);
    }
    for (Map.Entry<String, Col> e : columns.entrySet()) {
      boolean key = List.of("cell_id", "trial", "seed", "engine").contains(e.getKey());
      Type.Repetition rep = key ? Type.Repetition.REQUIRED : Type.Repetition.OPTIONAL;
      switch (e.getValue()) {
        case STRING -> b.primitive(PrimitiveTypeName.BINARY, rep).as(LogicalTypeAnnotation.stringType())
            .named(e.getKey());
        case INT -> b.primitive(PrimitiveTypeName.INT32, rep).named(e.getKey());
        case LONG -> b.primitive(PrimitiveTypeName.INT64, rep).named(e.getKey());
        case DOUBLE -> b.primitive(PrimitiveTypeName.DOUBLE, rep).named(e.getKey());
        case BOOLEAN -> b.primitive(PrimitiveTypeName.BOOLEAN, rep).named(e.getKey());
      }
    }
    return b.named("sweep_result");
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

  /**
   * Repairs what a driver killed while committing its views left behind. This run holds the lock, so every staging
   * directory in the output is a dead run's. {@link OutputDir#commit()} moves the views one at a time, setting an
   * older one aside first: spec.conf can be missing (set aside, or not yet moved by the first commit) while other
   * views are there, and the directory would then be refused as "other outputs". spec.conf comes back: the older one
   * (committed whole before), else the staged one of a first commit that had begun moving (staged files are whole
   * before any move; that it had begun shows in the views it moved). Then the staging directories go. The parts
   * need nothing: they are never staged there, and a part is whole or absent.
   */
  private void recoverViews() throws IOException {
    List<Path> staging = new ArrayList<>();
    boolean views = false;
    for (FileStatus st : fs.listStatus(lock.dir())) {
      String n = st.getPath().getName();
      if (st.isDirectory() && n.startsWith(OutputDir.STAGING_PREFIX)) {
        staging.add(st.getPath());
      } else if (!n.startsWith(".") && !n.equals(RESULTS)) {
        views = true;
      }
    }
    Path specPath = path(SPEC);
    List<Path> candidates = new ArrayList<>();
    staging.forEach(s -> candidates.add(new Path(new Path(s, OutputDir.PREVIOUS), SPEC)));
    if (views) {
      staging.forEach(s -> candidates.add(new Path(s, SPEC)));
    }
    for (Path c : candidates) {
      if (!fs.exists(specPath) && fs.exists(c) && !fs.rename(c, specPath)) {
        throw new IOException("cannot rename " + c + " to " + specPath);
      }
    }
    for (Path s : staging) {
      fs.delete(s, true);
    }
  }

  private void checkDirectory(boolean extend) throws IOException {
    String out = lock.dir().toString();
    Path specPath = path(SPEC);
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
      String other = before.name().equals(spec.name()) ? "family " + spec.family().name() : "'" + spec.name() + "'";
      throw new IllegalArgumentException("--out " + out + " holds the results of sweep '" + before.name()
          + "' (family " + before.family().name() + "), not of " + other + ": give another --out");
    }
    String again = "; rerun with the spec of " + specPath.getName() + ", or give another --out";
    same("seed", before.seed(), spec.seed(), again);
    same("seeds", before.seeds(), spec.seeds(), again);
    same("metrics", before.metrics(), spec.metrics(), again);
    same("traces", before.traces(), spec.traces(), again);
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
    List<String> wasCells = before.cells().stream().map(SweepCell::id).toList();
    List<String> nowCells = spec.cells().stream().map(SweepCell::id).toList();
    if (extend ? !nowCells.containsAll(wasCells) : !new java.util.HashSet<>(wasCells).equals(
        new java.util.HashSet<>(nowCells))) { // a list of grids can change cells with the same axes
      throw new IllegalArgumentException("spec: the sweep in " + out + " was run with other grids (" + wasCells.size()
          + " cells), this spec gives " + nowCells.size() + (extend ? " that do not include them all" : "") + orExtend);
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
        fs.delete(st.getPath(), true); // a part the driver did not finish writing: its trials run again
      }
    }
    if (parts.isEmpty()) {
      return;
    }
    parts.sort(Comparator.naturalOrder());
    for (String part : parts) {
      try (ParquetReader<Group> reader = ParquetReader.builder(new GroupReadSupport(), new Path(part))
          .withConf(hadoop).build()) {
        for (Group g = reader.read(); g != null; g = reader.read()) {
          Map<String, Object> metrics = new LinkedHashMap<>();
          for (String m : spec.metrics()) {
            metrics.put(m, value(g, m, columns.get(m), part));
          }
          SweepRow row = new SweepRow((String) value(g, "cell_id", Col.STRING, part),
              (Integer) value(g, "trial", Col.INT, part), (Long) value(g, "seed", Col.LONG, part),
              (String) value(g, "engine", Col.STRING, part), (String) value(g, "error", Col.STRING, part), metrics,
              spec.traces() ? trace(g, part) : null);
          rows.putIfAbsent(row.key(), row);
        }
      }
    }
  }

  /** A field of a part's row, or null when absent; a part without the column is refused. */
  private static Object value(Group g, String name, Col type, String part) {
    if (!g.getType().containsField(name)) {
      throw new IllegalArgumentException(part + " has no column " + name + " (written by another spec or version); "
          + "give another --out");
    }
    if (g.getFieldRepetitionCount(name) == 0) {
      return null;
    }
    return switch (type) {
      case STRING -> g.getString(name, 0);
      case INT -> g.getInteger(name, 0);
      case LONG -> g.getLong(name, 0);
      case DOUBLE -> g.getDouble(name, 0);
      case BOOLEAN -> g.getBoolean(name, 0);
    };
  }

  /** The trace of a part's row (null when the trial kept none, e.g. a failed one). */
  private static Trace trace(Group g, String part) {
    if (!g.getType().containsField(TRACE)) {
      throw new IllegalArgumentException(part + " has no column " + TRACE + " (written by another spec or version); "
          + "give another --out");
    }
    int n = g.getFieldRepetitionCount(TRACE);
    if (n == 0) {
      return null;
    }
    Trace t = new Trace();
    for (int i = 0; i < n; i++) {
      Group r = g.getGroup(TRACE, i);
      t.add(new Trace.Record(r.getInteger("iteration", 0), r.getDouble("loss", 0), r.getDouble("gradient_norm", 0),
          r.getDouble("mu", 0), r.getDouble("step_norm", 0), r.getDouble("distance_to_truth", 0),
          r.getLong("passes", 0), r.getLong("wall_ms", 0)));
    }
    return t;
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
    Path dir = path(RESULTS);
    String token = UUID.randomUUID().toString().substring(0, 8);
    Path tmp = new Path(dir, ".tmp-" + token + ".parquet");
    SimpleGroupFactory groups = new SimpleGroupFactory(schema);
    try (ParquetWriter<Group> writer = ExampleParquetWriter.builder(HadoopOutputFile.fromPath(tmp, hadoop))
        .withType(schema).withConf(hadoop).withCompressionCodec(CompressionCodecName.SNAPPY).build()) {
      for (SweepRow r : fresh) {
        writer.write(group(groups, r, cells.get(r.cellId())));
      }
    }
    Path part = new Path(dir, String.format("part-%05d-%s.parquet", nextPart, token));
    if (!fs.rename(tmp, part)) {
      throw new IOException("cannot rename " + tmp + " to " + part);
    }
    nextPart++;
    for (SweepRow r : fresh) {
      rows.put(r.key(), r);
    }
  }

  private Group group(SimpleGroupFactory groups, SweepRow r, SweepCell cell) {
    Group g = groups.newGroup();
    Map<String, Object> values = new LinkedHashMap<>();
    values.put("cell_id", r.cellId());
    for (String k : spec.cellKeys()) {
      values.put(k, cell.values().get(k));
    }
    values.put("trial", r.trial());
    values.put("seed", r.seed());
    values.put("engine", r.engine());
    values.put("error", r.error());
    values.putAll(r.metrics());
    for (Map.Entry<String, Col> e : columns.entrySet()) {
      Object x = values.get(e.getKey());
      if (x == null) {
        continue;
      }
      switch (e.getValue()) {
        case STRING -> g.add(e.getKey(), SweepSpec.render(x));
        case INT -> g.add(e.getKey(), ((Number) x).intValue());
        case LONG -> g.add(e.getKey(), ((Number) x).longValue());
        case DOUBLE -> g.add(e.getKey(), ((Number) x).doubleValue());
        case BOOLEAN -> g.add(e.getKey(), (Boolean) x);
      }
    }
    if (spec.traces() && r.trace() != null) {
      for (Trace.Record rec : r.trace().records()) {
        g.addGroup(TRACE).append("iteration", rec.iteration()).append("loss", rec.loss())
            .append("gradient_norm", rec.gradientNorm()).append("mu", rec.mu()).append("step_norm", rec.stepNorm())
            .append("distance_to_truth", rec.distance()).append("passes", rec.passes()).append("wall_ms", rec.wallMs());
      }
    }
    return g;
  }

  // ------------------------------------------------------------------ views

  /**
   * Writes spec.conf, settings.conf, results.csv, cells.csv, sweep.json, environment.json and report.html (success
   * heat maps over the grid keys, quartiles, the table, the spec and the environment) in one commit.
   */
  void writeViews(Map<String, Object> status, Map<String, Object> environment) throws IOException {
    try (OutputDir dir = OutputDir.open(lock)) {
      dir.writeText(SPEC, "# the spec of this sweep (a rerun must give the same, or --extend it)\n"
          + spec.render() + "\n");
      Config settings = ConfigFactory.empty();
      for (Map.Entry<String, Object> e : spec.baseSettings().entrySet()) {
        settings = settings.withValue(com.typesafe.config.ConfigUtil.quoteString(e.getKey()),
            ConfigValueFactory.fromAnyRef(e.getValue()));
      }
      dir.writeText("settings.conf", "# the settings every cell starts from (reference.conf and fixed)\n"
          + settings.root().render(com.typesafe.config.ConfigRenderOptions.defaults().setOriginComments(false)
              .setComments(false).setJson(false)));
      String results = resultsCsv();
      dir.writeText("results.csv", results);
      dir.writeText("report.html", report(results, environment));
      dir.writeText("cells.csv", SweepTables.cellsCsv(spec, rows));
      if (spec.traces()) {
        dir.writeText("traces.csv", SweepTraces.csv(spec, ordered()));
      }
      dir.writeText("sweep.json", io.lowrank.report.Reports.summaryJson(status));
      dir.writeText("environment.json", io.lowrank.report.Reports.summaryJson(environment));
      dir.commit();
    }
  }

  /** The sweep's report.html over the results so far. */
  private String report(String resultsCsv, Map<String, Object> environment) {
    HtmlResultsTable table = HtmlResultsTable.fromCsv(resultsCsv);
    HtmlSweepReport.View view = spec.family().view();
    List<String> keys = spec.grid().keySet().stream().filter(table::has).filter(k -> !k.equals(view.group()))
        .toList();
    Object master = environment.get("spark_master");
    Map<String, byte[]> panels = spec.traces() ? SweepTraces.panels(spec, ordered(), view.group()) : Map.of();
    return HtmlSweepReport.render(new HtmlSweepReport.Input("sweep " + spec.name(), spec.render(), table, keys,
        HtmlEnvironment.current(master == null ? "?" : master.toString()), panels, view));
  }

  /** results.csv: the rows of every part, in the spec's cell order, then by trial. */
  String resultsCsv() {
    StringBuilder sb = new StringBuilder(String.join(",", columns.keySet())).append('\n');
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
