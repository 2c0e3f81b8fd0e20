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
 * per (cell, trial) and these columns, by name:
 * <ul>
 *   <li>each grid key of {@link Input#gridKeys} (its value in the row's cell);
 *   <li>{@value #SUCCESS}: true/false (or 1/0, yes/no), whether the trial succeeded; without it no heat maps;
 *   <li>{@value #ITERATIONS} and {@value #SECONDS} (numbers; empty cells are left out of the quartiles);
 *   <li>{@value #SOLVER} (optional): one heat map set and one statistics group per solver.
 * </ul>
 * Other columns (seed, status, distance …) are shown in the results table only. Usage:
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
   * What a sweep report shows.
   *
   * @param title the page's title
   * @param spec the sweep's spec as text (HOCON), shown as it is; may be null
   * @param results one row per (cell, trial)
   * @param gridKeys the grid's keys, columns of {@code results}, in the spec's order
   * @param environment where the sweep ran
   * @param panels convergence (or other) PNGs by caption, in order; may be empty
   */
  public record Input(String title, String spec, HtmlResultsTable results, List<String> gridKeys,
      HtmlEnvironment environment, Map<String, byte[]> panels) {
    public Input {
      for (String k : gridKeys) {
        if (!results.has(k)) {
          throw new IllegalArgumentException("grid key '" + k + "' is not a column of the results table "
              + results.columns());
        }
      }
      gridKeys = List.copyOf(gridKeys);
      panels = panels == null ? Map.of() : new LinkedHashMap<>(panels);
    }
  }

  private HtmlSweepReport() {}

  /** The page. */
  public static String render(Input in) {
    HtmlResultsTable t = in.results();
    HtmlPage page = new HtmlPage(in.title());
    List<String> solvers = t.has(SOLVER) ? distinct(t, SOLVER) : List.of("");
    page.paragraph(t.rows().size() + " trials in " + cells(t, in.gridKeys()).size() + " cells; grid keys: "
        + (in.gridKeys().isEmpty() ? "(none)" : String.join(", ", in.gridKeys()))
        + (t.has(SOLVER) ? "; solvers: " + String.join(", ", solvers) : ""));

    page.heading(2, "Success rate");
    if (!t.has(SUCCESS)) {
      page.paragraph("The results have no '" + SUCCESS + "' column: no success rates.");
    } else if (in.gridKeys().isEmpty()) {
      page.paragraph("No grid keys: nothing to map.");
    } else {
      for (String solver : solvers) {
        for (String[] pair : pairs(in.gridKeys())) {
          page.heading(3, (solver.isEmpty() ? "" : solver + ": ") + "success rate over " + pair[0]
              + (pair[1] == null ? "" : " × " + pair[1]));
          heatMap(page, t, solver, pair[0], pair[1]);
        }
      }
    }

    for (Map.Entry<String, byte[]> p : in.panels().entrySet()) {
      page.heading(2, p.getKey()).image(p.getKey(), p.getValue());
    }

    page.heading(2, "Iterations and seconds per cell (median [first quartile, third quartile])");
    statistics(page, t, in.gridKeys());

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

  /** The success rate per (x, y) over every trial of {@code solver} there (other grid keys pooled). */
  private static void heatMap(HtmlPage page, HtmlResultsTable t, String solver, String xKey, String yKey) {
    List<String> xs = distinct(t, xKey);
    List<String> ys = yKey == null ? List.of("all") : distinct(t, yKey);
    Double[][] rate = new Double[ys.size()][xs.size()];
    int[][] trials = new int[ys.size()][xs.size()];
    int[][] successes = new int[ys.size()][xs.size()];
    int xi = t.indexOf(xKey);
    int yi = yKey == null ? -1 : t.indexOf(yKey);
    for (List<String> row : rows(t, solver)) {
      int c = xs.indexOf(row.get(xi));
      int r = yi < 0 ? 0 : ys.indexOf(row.get(yi));
      trials[r][c]++;
      successes[r][c] += success(row.get(t.indexOf(SUCCESS))) ? 1 : 0;
    }
    for (int r = 0; r < ys.size(); r++) {
      for (int c = 0; c < xs.size(); c++) {
        rate[r][c] = trials[r][c] == 0 ? null : (double) successes[r][c] / trials[r][c];
      }
    }
    page.heatMap(xKey, xs, yKey == null ? "" : yKey, ys, rate, trials);
  }

  private static void statistics(HtmlPage page, HtmlResultsTable t, List<String> gridKeys) {
    List<String> header = new ArrayList<>();
    if (t.has(SOLVER)) {
      header.add(SOLVER);
    }
    header.addAll(gridKeys);
    header.addAll(List.of("trials", "success rate", "iterations", "seconds"));
    List<List<?>> rows = new ArrayList<>();
    List<String> keys = new ArrayList<>(gridKeys);
    if (t.has(SOLVER)) {
      keys.add(0, SOLVER);
    }
    for (Map.Entry<List<String>, List<List<String>>> cell : cells(t, keys).entrySet()) {
      List<Object> row = new ArrayList<>(cell.getKey());
      List<List<String>> trials = cell.getValue();
      row.add(trials.size());
      if (t.has(SUCCESS)) {
        long ok = trials.stream().filter(r -> success(r.get(t.indexOf(SUCCESS)))).count();
        row.add((double) ok / trials.size());
      } else {
        row.add(null);
      }
      row.add(t.has(ITERATIONS) ? quartiles(numbers(trials, t, ITERATIONS)) : null);
      row.add(t.has(SECONDS) ? quartiles(numbers(trials, t, SECONDS)) : null);
      rows.add(row);
    }
    page.table(header, rows);
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

  private static List<List<String>> rows(HtmlResultsTable t, String solver) {
    if (solver.isEmpty()) {
      return t.rows();
    }
    int s = t.indexOf(SOLVER);
    return t.rows().stream().filter(r -> r.get(s).equals(solver)).toList();
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
