package io.lowrank.report;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * report.html of a sweep: success-rate heat maps over every pair of grid keys (one set per solver), the median
 * iterations and seconds with their quartiles per cell, convergence panels the caller brings (e.g. one
 * {@link Reports#convergencePng} per solver), the spec, the environment and the whole results table.
 *
 * <p>The results table ({@link HtmlResultsTable}, e.g. {@code HtmlResultsTable.fromCsv(results.csv)}) has one row
 * per (cell, trial) and these columns, by name (those of {@link View#DEFAULT}; a {@link View} names others):
 * <ul>
 *   <li>each grid key of {@link Input#gridKeys} (its value in the row's cell);
 *   <li>{@value #SUCCESS}: true/false (or 1/0, yes/no), whether the trial succeeded; without it no heat maps;
 *   <li>{@value #ITERATIONS} and {@value #SECONDS} (numbers; empty cells are left out of the quartiles);
 *   <li>{@value #SOLVER} (optional): one heat map set and one statistics group per solver.
 * </ul>
 * Other columns (seed, status, distance …) are shown in the results table only. A family whose outcome is no success
 * says what to map with a {@link View}: e.g. the landscape probes map the rate of strict saddles (min h &lt; 0 at a
 * stationary W*), each cell labelled with its most frequent verdict and the median normalised min h. Usage:
 * <pre>
 *   String html = HtmlSweepReport.render(new HtmlSweepReport.Input("phase transition, d = 100",
 *       specText, HtmlResultsTable.fromCsv(resultsCsv), List.of("ratio", "solver-tol"),
 *       HtmlEnvironment.current(spark.sparkContext().master()), Map.of("bwgd", bwgdConvergencePng)));
 * </pre>
 */
public final class HtmlSweepReport {
  /** Column of a trial's success. */
  public static final String SUCCESS = "success";
  /** Column of a trial's iterations. */
  public static final String ITERATIONS = "iterations";
  /** Column of a trial's wall seconds. */
  public static final String SECONDS = "seconds";
  /** Column of the solver (optional). */
  public static final String SOLVER = "solver";

  /** Heat maps drawn at most per solver (the first pairs of grid keys in their order). */
  static final int MAX_PAIRS = 6;
  /** Rows of the results table shown (all are in results.csv). */
  static final int MAX_RESULT_ROWS = 2000;

  /**
   * Which columns the report maps and tabulates.
   *
   * @param group one heat-map set and statistics group per value of this column when the table has it (e.g. solver,
   *     method)
   * @param rate the boolean column whose rate (trials where it is true / trials) colours the heat maps
   * @param rateName what that rate is, in headings ("success rate")
   * @param label null, or a column whose most frequent value in a map cell is printed in it with its count (e.g. a
   *     verdict: "strict-saddle 3/3")
   * @param median null, or a numeric column whose median in a map cell is printed in it (e.g. min h)
   * @param statistics numeric columns shown per cell as median [first quartile, third quartile]
   */
  public record View(String group, String rate, String rateName, String label, String median,
      List<String> statistics) {
    /** Success rates per solver, iterations and seconds: the view of the solver families. */
    public static final View DEFAULT = new View(SOLVER, SUCCESS, "success rate", null, null,
        List.of(ITERATIONS, SECONDS));

    public View {
      statistics = List.copyOf(statistics);
    }
  }

  /**
   * What a sweep report shows.
   *
   * @param title the page's title
   * @param spec the sweep's spec as text (HOCON), shown as it is; may be null
   * @param results one row per (cell, trial)
   * @param gridKeys the grid's keys, columns of {@code results}, in the spec's order
   * @param environment where the sweep ran
   * @param panels convergence (or other) PNGs by caption, in order; may be empty
   * @param view the columns mapped and tabulated
   */
  public record Input(String title, String spec, HtmlResultsTable results, List<String> gridKeys,
      HtmlEnvironment environment, Map<String, byte[]> panels, View view) {
    public Input {
      for (String k : gridKeys) {
        if (!results.has(k)) {
          throw new IllegalArgumentException("grid key '" + k + "' is not a column of the results table "
              + results.columns());
        }
      }
      gridKeys = List.copyOf(gridKeys);
      panels = panels == null ? Map.of() : new LinkedHashMap<>(panels);
      view = view == null ? View.DEFAULT : view;
    }

    /** A report of the {@link View#DEFAULT} columns. */
    public Input(String title, String spec, HtmlResultsTable results, List<String> gridKeys,
        HtmlEnvironment environment, Map<String, byte[]> panels) {
      this(title, spec, results, gridKeys, environment, panels, View.DEFAULT);
    }
  }

  private HtmlSweepReport() {}

  /** The page. */
  public static String render(Input in) {
    HtmlResultsTable t = in.results();
    View v = in.view();
    HtmlPage page = new HtmlPage(in.title());
    boolean grouped = t.has(v.group());
    List<String> groups = grouped ? distinct(t, v.group()) : List.of("");
    page.paragraph(t.rows().size() + " trials in " + cells(t, in.gridKeys()).size() + " cells; grid keys: "
        + (in.gridKeys().isEmpty() ? "(none)" : String.join(", ", in.gridKeys()))
        + (grouped ? "; " + v.group() + ": " + String.join(", ", groups) : ""));

    page.heading(2, capitalised(v.rateName()));
    if (!t.has(v.rate())) {
      page.paragraph("The results have no '" + v.rate() + "' column: no " + v.rateName() + "s.");
    } else if (in.gridKeys().isEmpty()) {
      page.paragraph("No grid keys: nothing to map.");
    } else {
      if (v.label() != null && t.has(v.label())) {
        page.paragraph("Each cell: the " + v.rateName() + ", the most frequent " + v.label() + " (trials with it / "
            + "trials)" + (v.median() != null && t.has(v.median()) ? " and the median " + v.median() : "") + ".");
      }
      for (String group : groups) {
        for (String[] pair : pairs(in.gridKeys())) {
          page.heading(3, (group.isEmpty() ? "" : group + ": ") + v.rateName() + " over " + pair[0]
              + (pair[1] == null ? "" : " × " + pair[1]));
          heatMap(page, t, v, group, pair[0], pair[1]);
        }
      }
    }

    for (Map.Entry<String, byte[]> p : in.panels().entrySet()) {
      page.heading(2, p.getKey()).image(p.getKey(), p.getValue());
    }

    page.heading(2, capitalised(enumeration(v.statistics()).replace('_', ' '))
        + " per cell (median [first quartile, third quartile])");
    statistics(page, t, v, in.gridKeys());

    if (in.spec() != null) {
      page.heading(2, "Spec").pre(in.spec());
    }
    page.heading(2, "Environment").keyValues(in.environment().fields());
    page.heading(2, "Results (" + t.rows().size() + " rows" + (t.rows().size() > MAX_RESULT_ROWS
        ? ", the first " + MAX_RESULT_ROWS + " shown" : "") + ")");
    page.table(t.columns(), t.rows().subList(0, Math.min(MAX_RESULT_ROWS, t.rows().size())));
    return page.render();
  }

  /** Pairs (x, y) of grid keys in order; a single key is paired with null (a one-row map). */
  static List<String[]> pairs(List<String> keys) {
    List<String[]> pairs = new ArrayList<>();
    if (keys.size() == 1) {
      pairs.add(new String[] {keys.get(0), null});
    }
    for (int i = 0; i < keys.size() && pairs.size() < MAX_PAIRS; i++) {
      for (int j = i + 1; j < keys.size() && pairs.size() < MAX_PAIRS; j++) {
        pairs.add(new String[] {keys.get(i), keys.get(j)});
      }
    }
    return pairs;
  }

  /**
   * The rate of the view's column per (x, y) over every trial of {@code group} there (other grid keys pooled), each
   * cell labelled as the view says.
   */
  private static void heatMap(HtmlPage page, HtmlResultsTable t, View v, String group, String xKey, String yKey) {
    List<String> xs = distinct(t, xKey);
    List<String> ys = yKey == null ? List.of("all") : distinct(t, yKey);
    Double[][] rate = new Double[ys.size()][xs.size()];
    int[][] trials = new int[ys.size()][xs.size()];
    int[][] successes = new int[ys.size()][xs.size()];
    List<List<List<List<String>>>> at = new ArrayList<>();
    for (int r = 0; r < ys.size(); r++) {
      List<List<List<String>>> line = new ArrayList<>();
      for (int c = 0; c < xs.size(); c++) {
        line.add(new ArrayList<>());
      }
      at.add(line);
    }
    int xi = t.indexOf(xKey);
    int yi = yKey == null ? -1 : t.indexOf(yKey);
    for (List<String> row : rows(t, v.group(), group)) {
      int c = xs.indexOf(row.get(xi));
      int r = yi < 0 ? 0 : ys.indexOf(row.get(yi));
      trials[r][c]++;
      successes[r][c] += success(row.get(t.indexOf(v.rate()))) ? 1 : 0;
      at.get(r).get(c).add(row);
    }
    boolean labelled = v.label() != null && t.has(v.label());
    String[][] notes = labelled ? new String[ys.size()][xs.size()] : null;
    for (int r = 0; r < ys.size(); r++) {
      for (int c = 0; c < xs.size(); c++) {
        rate[r][c] = trials[r][c] == 0 ? null : (double) successes[r][c] / trials[r][c];
        if (labelled && trials[r][c] > 0) {
          notes[r][c] = note(t, v, at.get(r).get(c));
        }
      }
    }
    page.heatMap(xKey, xs, yKey == null ? "" : yKey, ys, rate, trials, notes);
  }

  /** "strict-saddle 3/3, −0.12": the most frequent label (ties to the first met) and the median, of a map cell. */
  static String note(HtmlResultsTable t, View v, List<List<String>> trials) {
    Map<String, Integer> counts = new LinkedHashMap<>();
    for (List<String> r : trials) {
      counts.merge(r.get(t.indexOf(v.label())), 1, Integer::sum);
    }
    Map.Entry<String, Integer> top = null;
    for (Map.Entry<String, Integer> e : counts.entrySet()) {
      top = top == null || e.getValue() > top.getValue() ? e : top;
    }
    String note = top.getKey() + " " + top.getValue() + "/" + trials.size();
    if (v.median() != null && t.has(v.median())) {
      double[] m = numbers(trials, t, v.median());
      if (m.length > 0) {
        Arrays.sort(m);
        note += ", " + HtmlPage.number(quantile(m, 0.5));
      }
    }
    return note;
  }

  private static void statistics(HtmlPage page, HtmlResultsTable t, View v, List<String> gridKeys) {
    boolean grouped = t.has(v.group());
    List<String> keys = new ArrayList<>(gridKeys);
    if (grouped) {
      keys.add(0, v.group());
    }
    List<String> header = new ArrayList<>(keys);
    header.addAll(List.of("trials", v.rateName()));
    header.addAll(v.statistics());
    List<List<?>> rows = new ArrayList<>();
    for (Map.Entry<List<String>, List<List<String>>> cell : cells(t, keys).entrySet()) {
      List<Object> row = new ArrayList<>(cell.getKey());
      List<List<String>> trials = cell.getValue();
      row.add(trials.size());
      if (t.has(v.rate())) {
        long ok = trials.stream().filter(r -> success(r.get(t.indexOf(v.rate())))).count();
        row.add((double) ok / trials.size());
      } else {
        row.add(null);
      }
      for (String column : v.statistics()) {
        row.add(t.has(column) ? quartiles(numbers(trials, t, column)) : null);
      }
      rows.add(row);
    }
    page.table(header, rows);
  }

  /** "a, b and c". */
  private static String enumeration(List<String> words) {
    int n = words.size();
    return n <= 1 ? String.join("", words)
        : String.join(", ", words.subList(0, n - 1)) + " and " + words.get(n - 1);
  }

  private static String capitalised(String s) {
    return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
  }

  /** "median [q1, q3]" of the values (linear interpolation between order statistics), or "" when none. */
  static String quartiles(double[] v) {
    if (v.length == 0) {
      return "";
    }
    double[] s = v.clone();
    Arrays.sort(s);
    return HtmlPage.number(quantile(s, 0.5)) + " [" + HtmlPage.number(quantile(s, 0.25)) + ", "
        + HtmlPage.number(quantile(s, 0.75)) + "]";
  }

  /** The q-quantile of sorted values: s[h] + (h − ⌊h⌋)(s[⌊h⌋+1] − s[⌊h⌋]) at h = (n − 1) q. */
  static double quantile(double[] sorted, double q) {
    double h = (sorted.length - 1) * q;
    int lo = (int) Math.floor(h);
    int hi = Math.min(lo + 1, sorted.length - 1);
    return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
  }

  private static double[] numbers(List<List<String>> rows, HtmlResultsTable t, String name) {
    int column = t.indexOf(name);
    List<Double> out = new ArrayList<>();
    for (List<String> r : rows) {
      String cell = r.get(column).strip();
      if (!cell.isEmpty()) {
        try {
          double x = Double.parseDouble(cell);
          if (Double.isFinite(x)) {
            out.add(x);
          }
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException("results column '" + name + "' holds '" + cell + "', not a number", e);
        }
      }
    }
    return out.stream().mapToDouble(Double::doubleValue).toArray();
  }

  /** Whether a success cell says yes: true, 1, yes (any case). */
  static boolean success(String cell) {
    String c = cell.strip().toLowerCase(Locale.ROOT);
    return c.equals("true") || c.equals("1") || c.equals("yes") || c.equals("1.0");
  }

  /** The trials per cell (the values of {@code keys}), in order of the cells' first appearance, sorted by value. */
  private static Map<List<String>, List<List<String>>> cells(HtmlResultsTable t, List<String> keys) {
    Map<List<String>, List<List<String>>> cells = new LinkedHashMap<>();
    for (List<String> row : t.rows()) {
      List<String> cell = new ArrayList<>();
      for (String k : keys) {
        cell.add(row.get(t.indexOf(k)));
      }
      cells.computeIfAbsent(cell, c -> new ArrayList<>()).add(row);
    }
    // Each key's values in their order (numeric, or of appearance), the cells sorted by them key after key.
    List<List<String>> values = new ArrayList<>();
    for (String k : keys) {
      values.add(distinct(t, k));
    }
    List<List<String>> order = new ArrayList<>(cells.keySet());
    order.sort((a, b) -> {
      for (int i = 0; i < a.size(); i++) {
        int c = Integer.compare(values.get(i).indexOf(a.get(i)), values.get(i).indexOf(b.get(i)));
        if (c != 0) {
          return c;
        }
      }
      return 0;
    });
    Map<List<String>, List<List<String>>> sorted = new LinkedHashMap<>();
    for (List<String> k : order) {
      sorted.put(k, cells.get(k));
    }
    return sorted;
  }

  /** The rows whose {@code column} holds {@code value} (all rows for the value ""). */
  private static List<List<String>> rows(HtmlResultsTable t, String column, String value) {
    if (value.isEmpty()) {
      return t.rows();
    }
    int s = t.indexOf(column);
    return t.rows().stream().filter(r -> r.get(s).equals(value)).toList();
  }

  /** The distinct values of a column: numerically sorted when all are numbers, else in order of appearance. */
  static List<String> distinct(HtmlResultsTable t, String column) {
    int i = t.indexOf(column);
    Set<String> values = new LinkedHashSet<>();
    for (List<String> r : t.rows()) {
      values.add(r.get(i));
    }
    List<String> list = new ArrayList<>(values);
    if (list.stream().allMatch(HtmlSweepReport::isNumber)) {
      list.sort(Comparator.comparingDouble(Double::parseDouble));
    }
    return list;
  }

  private static boolean isNumber(String s) {
    try {
      Double.parseDouble(s);
      return true;
    } catch (NumberFormatException e) {
      return false;
    }
  }
}
