package io.lowrank.experiment.sweep;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The tables a sweep writes besides results.csv: cells.csv, one line per cell. */
final class SweepTables {
  private SweepTables() {}

  /** A CSV field: empty for null or NaN, numbers in full precision, text quoted when it holds a comma or quote. */
  static String csv(Object v) {
    if (v == null || (v instanceof Double d && d.isNaN())) {
      return "";
    }
    if (v instanceof Double || v instanceof Float) {
      return SweepSpec.render(v);
    }
    String s = v.toString();
    return s.contains(",") || s.contains("\"") || s.contains("\n")
        ? "\"" + s.replace("\"", "\"\"").replace("\n", " ") + "\"" : s;
  }

  /**
   * cells.csv: per cell its keys, the trials done, failures (FAILED trials), successes (when the family has a
   * success metric and the spec collects it; the count of the family's mapped boolean, e.g. strict_saddle_count, for
   * a family without), and the quartiles (q1, median, q3) of every numeric metric over the
   * trials where it is defined.
   */
  static String cellsCsv(SweepSpec spec, Map<String, SweepRow> rows) {
    List<String> numeric = new ArrayList<>();
    for (String m : spec.metrics()) {
      SweepFamily.Type t = spec.family().metrics().get(m);
      if (t == SweepFamily.Type.INT || t == SweepFamily.Type.DOUBLE) {
        numeric.add(m);
      }
    }
    String rate = spec.family().view().rate(); // success, or the family's own (the landscape's strict_saddle)
    boolean success = spec.metrics().contains(rate);
    List<String> header = new ArrayList<>(List.of("cell_id"));
    header.addAll(spec.cellKeys());
    header.add("trials");
    header.add("failures");
    if (success) {
      header.add(rate.equals("success") ? "successes" : rate + "_count");
    }
    for (String m : numeric) {
      header.add("q1_" + m);
      header.add("median_" + m);
      header.add("q3_" + m);
    }
    StringBuilder sb = new StringBuilder(String.join(",", header)).append('\n');
    for (SweepCell c : spec.cells()) {
      List<SweepRow> done = new ArrayList<>();
      for (int t = 0; t < spec.trials(); t++) {
        SweepRow r = rows.get(c.id() + "#" + t);
        if (r != null) {
          done.add(r);
        }
      }
      List<String> f = new ArrayList<>(List.of(c.id()));
      for (String k : spec.cellKeys()) {
        f.add(csv(c.values().get(k)));
      }
      f.add(Integer.toString(done.size()));
      f.add(Long.toString(done.stream().filter(r -> r.error() != null).count()));
      if (success) {
        f.add(Long.toString(done.stream().filter(r -> Boolean.TRUE.equals(r.metrics().get(rate))).count()));
      }
      for (String m : numeric) {
        double[] v = done.stream().map(r -> r.metrics().get(m)).filter(x -> x instanceof Number)
            .mapToDouble(x -> ((Number) x).doubleValue()).filter(Double::isFinite).sorted().toArray();
        f.add(csv(quantile(v, 0.25)));
        f.add(csv(quantile(v, 0.5)));
        f.add(csv(quantile(v, 0.75)));
      }
      sb.append(String.join(",", f)).append('\n');
    }
    return sb.toString();
  }

  /** The q-quantile of sorted values, linear between order statistics (R's type 7); null when there are none. */
  static Double quantile(double[] sorted, double q) {
    if (sorted.length == 0) {
      return null;
    }
    double h = (sorted.length - 1) * q;
    int lo = (int) Math.floor(h);
    int hi = Math.min(lo + 1, sorted.length - 1);
    return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
  }
}
