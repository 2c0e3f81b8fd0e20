package io.lowrank.experiment.sweep;

import io.lowrank.report.Charts;
import io.lowrank.report.ConvergencePanel;
import io.lowrank.solve.Trace;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The per-iteration traces of a sweep that keeps them ({@code traces = true}): the long traces.csv view and the
 * convergence panels of report.html.
 */
final class SweepTraces {
  private SweepTraces() {}

  /** Panels beyond this many are left out of report.html (traces.csv has them all). */
  static final int MAX_PANELS = 24;

  /** traces.csv: cell_id, the cell's keys, trial, then one trace record per row (the columns of trace.csv). */
  static String csv(SweepSpec spec, List<SweepRow> rows) {
    Map<String, SweepCell> cells = new LinkedHashMap<>();
    spec.cells().forEach(c -> cells.put(c.id(), c));
    StringBuilder sb = new StringBuilder("cell_id");
    spec.cellKeys().forEach(k -> sb.append(',').append(k));
    sb.append(",trial,").append(Trace.CSV_HEADER).append('\n');
    for (SweepRow r : rows) {
      if (r.trace() == null) {
        continue;
      }
      StringBuilder prefix = new StringBuilder(r.cellId());
      for (String k : spec.cellKeys()) {
        prefix.append(',').append(SweepTables.csv(cells.get(r.cellId()).values().get(k)));
      }
      prefix.append(',').append(r.trial()).append(',');
      for (Trace.Record rec : r.trace().records()) {
        sb.append(prefix).append(rec.csv()).append('\n');
      }
    }
    return sb.toString();
  }

  /**
   * One panel per combination of the grid keys other than {@code group} (e.g. per (κ, r) when the group is the
   * solver), a line per cell: at each iteration the median over the cell's trials of the distance to the truth (of
   * the loss when no trial knows a truth), a finished trial counting with its last value. PNGs by caption, at most
   * {@link #MAX_PANELS}.
   */
  static Map<String, byte[]> panels(SweepSpec spec, List<SweepRow> rows, String group) {
    Map<String, List<SweepRow>> byCell = new LinkedHashMap<>();
    for (SweepRow r : rows) {
      if (r.trace() != null && r.trace().size() > 0) {
        byCell.computeIfAbsent(r.cellId(), k -> new ArrayList<>()).add(r);
      }
    }
    boolean distance = rows.stream().filter(r -> r.trace() != null).flatMap(r -> r.trace().records().stream())
        .anyMatch(rec -> Double.isFinite(rec.distance()));
    List<String> keys = panelKeys(spec, group);
    Map<String, List<ConvergencePanel.Line>> panels = new LinkedHashMap<>();
    for (SweepCell c : spec.cells()) {
      List<SweepRow> trials = byCell.get(c.id());
      if (trials == null) {
        continue;
      }
      Map<String, Object> rest = new LinkedHashMap<>(c.values());
      rest.keySet().retainAll(keys);
      Object name = c.values().get(group);
      String caption = rest.isEmpty() ? "all cells" : SweepSpec.describe(rest);
      if (!panels.containsKey(caption) && panels.size() == MAX_PANELS) {
        continue;
      }
      String label = (name == null ? SweepSpec.describe(c.values()) : SweepSpec.render(name))
          + (trials.size() == 1 ? " (" + trials.get(0).metrics().get("status") + ")"
              : " (median of " + trials.size() + " trials)");
      panels.computeIfAbsent(caption, k -> new ArrayList<>()).add(median(label, trials, distance));
    }
    Map<String, byte[]> out = new LinkedHashMap<>();
    String y = distance ? "distance to truth" : "loss";
    for (Map.Entry<String, List<ConvergencePanel.Line>> e : panels.entrySet()) {
      out.put("convergence: " + e.getKey(), Charts.png(ConvergencePanel.chart(spec.name() + ": " + e.getKey(),
          y, e.getValue())));
    }
    return out;
  }

  /**
   * The keys that tell panels apart: the grid's (derived keys follow from them) but {@code group} and the keys whose
   * value the group's decides in every cell (e.g. GD's own iteration budget: GD still joins the other solvers).
   */
  private static List<String> panelKeys(SweepSpec spec, String group) {
    List<String> out = new ArrayList<>();
    for (String k : spec.grid().keySet()) {
      if (k.equals(group)) {
        continue;
      }
      Map<Object, Object> byGroup = new LinkedHashMap<>();
      boolean decided = spec.cells().get(0).values().containsKey(group);
      for (SweepCell c : spec.cells()) {
        Object was = byGroup.putIfAbsent(c.values().get(group), c.values().get(k));
        decided &= was == null || was.equals(c.values().get(k));
      }
      if (!decided) {
        out.add(k);
      }
    }
    return out;
  }

  /** The iteration-wise median over trials, a trial past its end counting with its last value. */
  static ConvergencePanel.Line median(String label, List<SweepRow> trials, boolean distance) {
    int last = 0;
    for (SweepRow r : trials) {
      last = Math.max(last, r.trace().last().iteration());
    }
    int[] it = new int[last + 1];
    double[] med = new double[last + 1];
    double[] at = new double[trials.size()];
    int[] pos = new int[trials.size()];
    for (int i = 0; i <= last; i++) {
      it[i] = i;
      for (int t = 0; t < trials.size(); t++) {
        List<Trace.Record> recs = trials.get(t).trace().records();
        while (pos[t] + 1 < recs.size() && recs.get(pos[t] + 1).iteration() <= i) {
          pos[t]++;
        }
        Trace.Record rec = recs.get(pos[t]);
        at[t] = distance ? rec.distance() : rec.loss();
      }
      double[] sorted = at.clone();
      Arrays.sort(sorted); // NaN sorts last: a trial without the value does not lower the median
      int n = (int) Arrays.stream(sorted).filter(v -> !Double.isNaN(v)).count();
      med[i] = n == 0 ? Double.NaN : n % 2 == 1 ? sorted[n / 2] : 0.5 * (sorted[n / 2 - 1] + sorted[n / 2]);
    }
    return new ConvergencePanel.Line(label, it, med);
  }
}
