package io.lowrank.report;

import io.lowrank.linalg.Linalg;
import io.lowrank.run.DenoisingSettings;
import io.lowrank.solve.Trace;
import io.lowrank.solve.denoise.SphericalGradientDescent;
import io.lowrank.theory.RankOneDenoisingTheory;
import java.awt.Color;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;

/**
 * The files of rank-one denoising: overlaps.csv and overlaps.png (simulation against theory), and the plots of the
 * two sweeps (sweep-theta.png, sweep-ratio.png). Simulated values are open circles, the theory lines drawn over them,
 * with u, v and μ in three colours of {@link Palette}.
 */
public final class DenoisingReports {
  /** Header of overlaps.csv. */
  public static final String OVERLAPS_HEADER = "t,sim_u,sim_v,sim_mu,theory_u,theory_v,theory_mu";

  private DenoisingReports() {}

  /** overlaps.csv: one row per step; sim columns empty without a run (or without spikes), theory without a theory. */
  public static String overlapsCsv(SphericalGradientDescent.Run run, RankOneDenoisingTheory th,
      DenoisingSettings s) {
    StringBuilder sb = new StringBuilder(OVERLAPS_HEADER).append('\n');
    int rows = run != null ? run.size() : s.solver().options().steps() + 1;
    for (int k = 0; k < rows; k++) {
      double t = run != null ? run.t()[k] : k * s.solver().options().eta();
      sb.append(Trace.cell(t));
      if (run != null) {
        sb.append(',').append(Trace.cell(run.overlapU()[k])).append(',').append(Trace.cell(run.overlapV()[k]))
            .append(',').append(Trace.cell(run.mu()[k]));
      } else {
        sb.append(",,,");
      }
      if (th != null) {
        RankOneDenoisingTheory.Point q = th.predict(t, s.mu0(), s.mv0());
        sb.append(',').append(Trace.cell(q.overlapU())).append(',').append(Trace.cell(q.overlapV())).append(',')
            .append(Trace.cell(q.mu()));
      } else {
        sb.append(",,,");
      }
      sb.append('\n');
    }
    return sb.toString();
  }

  /** overlaps.png: see {@link #overlapsChart}. */
  public static byte[] overlapsPng(SphericalGradientDescent.Run run, RankOneDenoisingTheory th,
      DenoisingSettings s) {
    return Charts.png(overlapsChart(run, th, s));
  }

  /**
   * The simulated overlaps ⟨x,u⟩, ⟨y,v⟩ and μ against time (open circles, at most {@link #MAX_MARKERS} per
   * quantity) with the theory's trajectories drawn over them as lines, u, v and μ in three distinct colours.
   *
   * @param run the simulation, or null (theory only)
   * @param th the theory, or null (no spikes to compare with)
   */
  public static XYChart overlapsChart(SphericalGradientDescent.Run run, RankOneDenoisingTheory th,
      DenoisingSettings s) {
    double eta = s.solver().options().eta();
    int rows = run != null ? run.size() : s.solver().options().steps() + 1;
    double[] t = new double[rows];
    double[][] sim = new double[3][rows];
    double[][] thy = new double[3][rows];
    for (int k = 0; k < rows; k++) {
      t[k] = run != null ? run.t()[k] : k * eta;
      if (run != null) {
        sim[0][k] = run.overlapU()[k];
        sim[1][k] = run.overlapV()[k];
        sim[2][k] = run.mu()[k];
      }
      if (th != null) {
        RankOneDenoisingTheory.Point q = th.predict(t[k], s.mu0(), s.mv0());
        thy[0][k] = q.overlapU();
        thy[1][k] = q.overlapV();
        thy[2][k] = q.mu();
      }
    }
    String size = run != null
        ? String.format(Locale.ROOT, "N × M = %d × %d, c = %s", run.x().length, run.y().length,
            num(th != null ? th.c() : (double) run.x().length / run.y().length))
        : th != null ? "c = " + num(th.c()) : "no run, no theory";
    String title = Charts.text(String.format(Locale.ROOT,
        "rank-one denoising: θ = %s, %s, (m_u0, m_v0) = (%s, %s), η = %s", num(s.theta()), size, num(s.mu0()),
        num(s.mv0()), num(eta)), String.format(Locale.ROOT,
        "rank-one denoising: theta = %s, %s, (m_u0, m_v0) = (%s, %s), eta = %s", num(s.theta()),
        size.replace("×", "x"), num(s.mu0()), num(s.mv0()), num(eta)));
    XYChart chart = Charts.chart(title, Charts.text("time t = kη", "time t = k eta"),
        Charts.text("overlaps ⟨x,u⟩, ⟨y,v⟩ and μ = xᵀYy", "overlaps <x,u>, <y,v> and mu = x^T Y y"));
    Ticks.linearX(chart, 0, Math.max(t[rows - 1], eta));
    double lo = 0;
    double hi = 1;
    for (int j = 0; j < 3; j++) {
      for (int k = 0; k < rows; k++) {
        for (double v : new double[] {run != null ? sim[j][k] : 0, th != null ? thy[j][k] : 0}) {
          if (Double.isFinite(v)) {
            lo = Math.min(lo, v);
            hi = Math.max(hi, v);
          }
        }
      }
    }
    Ticks.linearY(chart, lo, hi);
    List<String> names = QUANTITIES;
    // Simulation first, theory after: XChart paints series in order, so the lines lie on top of the circles.
    int stride = Math.max(1, (rows + MAX_MARKERS - 1) / MAX_MARKERS);
    for (int j = 0; j < 3 && run != null; j++) {
      if (Linalg.isFinite(sim[j])) {
        String note = stride > 1 ? " (every " + stride + ordinal(stride) + " step)" : "";
        Charts.markers(chart, "simulated " + names.get(j) + note, every(t, stride), every(sim[j], stride),
            COLORS.get(j));
      }
    }
    for (int j = 0; j < 3 && th != null; j++) {
      Charts.line(chart, "theory " + names.get(j), t, thy[j], COLORS.get(j));
    }
    if (chart.getSeriesMap().isEmpty()) {
      chart.setTitle(title + " (nothing to plot)");
      chart.addSeries("(nothing to plot)", new double[] {0}, new double[] {Double.NaN});
    }
    return chart;
  }

  /** Points of a theory curve drawn over a sweep's range. */
  static final int THEORY_POINTS = 121;

  /** At most this many simulated markers per quantity (a long run is thinned, every k-th step). */
  public static final int MAX_MARKERS = 100;

  // u, v, μ: one colour and one name each, in every denoising plot.
  private static final List<Color> COLORS = List.of(Palette.BLUE, Palette.VERMILLION, Palette.BLUISH_GREEN);
  private static final List<String> QUANTITIES = List.of(Charts.text("⟨x,u⟩", "<x,u>"), Charts.text("⟨y,v⟩", "<y,v>"),
      Charts.text("μ", "mu"));

  /** sweep-theta.png: see {@link #thetaSweepChart}. */
  public static byte[] thetaSweepPng(String csv, DenoisingSettings s) {
    return Charts.png(thetaSweepChart(csv, s));
  }

  /**
   * The θ sweep (sweep-theta.csv of {@link io.lowrank.experiment.DenoisingSweeps}): the simulated final
   * overlaps against θ as circles, the theory at the final time and the t → ∞ limit as lines, and the BBP threshold
   * θ_c = c^{1/4} as a dashed vertical line. The theory is drawn on a fine grid of θ when every run has the same
   * horizon (no early stop); with an early stop each run ends at its own time, and the theory is the CSV's, at each
   * run's final time.
   */
  public static XYChart thetaSweepChart(String csv, DenoisingSettings s) {
    Table table = Table.parse(csv);
    double[] theta = table.column("theta");
    double c = (double) s.n() / s.m();
    double tEnd = s.solver().options().steps() * s.solver().options().eta();
    String title = Charts.text(String.format(Locale.ROOT,
        "final overlaps vs θ: N × M = %d × %d (c = %s), t = %s, (m_u0, m_v0) = (%s, %s)", s.n(), s.m(), num(c),
        num(tEnd), num(s.mu0()), num(s.mv0())), String.format(Locale.ROOT,
        "final overlaps vs theta: N x M = %d x %d (c = %s), t = %s, (m_u0, m_v0) = (%s, %s)", s.n(), s.m(), num(c),
        num(tEnd), num(s.mu0()), num(s.mv0())));
    XYChart chart = Charts.chart(title, Charts.text("signal strength θ", "signal strength theta"),
        "final overlap");
    double thetaC = Math.pow(c, 0.25);
    double from = min(theta);
    double to = max(theta);
    // The threshold is on the axis even when the sweep stays on one side of it.
    double xMin = Math.min(Math.min(from, thetaC), to - 1e-9);
    double xMax = Math.max(to, thetaC);
    Ticks.linearX(chart, xMin, xMax);
    String[] simCols = {"sim_u", "sim_v"};
    String[] names = {QUANTITIES.get(0), QUANTITIES.get(1)};
    double[][] thy = new double[2][];
    double[][] lim = new double[2][];
    double[] grid;
    boolean dense = s.solver().options().tol() == 0 && to > from;
    if (dense) {
      grid = linspace(from, to, THEORY_POINTS);
      for (int j = 0; j < 2; j++) {
        thy[j] = new double[grid.length];
        lim[j] = new double[grid.length];
      }
      for (int i = 0; i < grid.length; i++) {
        RankOneDenoisingTheory th = RankOneDenoisingTheory.of(c, grid[i]);
        RankOneDenoisingTheory.Point q = th.predict(tEnd, s.mu0(), s.mv0());
        double[] l = th.limit(s.mu0(), s.mv0());
        thy[0][i] = q.overlapU();
        thy[1][i] = q.overlapV();
        lim[0][i] = l[0];
        lim[1][i] = l[1];
      }
    } else {
      grid = theta;
      thy = new double[][] {table.column("theory_u"), table.column("theory_v")};
      lim = new double[][] {table.column("limit_u"), table.column("limit_v")};
    }
    double[] range = range(0, 1, table.column("sim_u"), table.column("sim_v"), thy[0], thy[1], lim[0], lim[1]);
    Ticks.linearY(chart, range[0], range[1]);
    for (int j = 0; j < 2; j++) {
      Charts.markers(chart, "simulated " + names[j], theta, table.column(simCols[j]), COLORS.get(j));
    }
    for (int j = 0; j < 2; j++) {
      Charts.line(chart, "theory " + names[j] + (dense ? " at t = " + num(tEnd) : " at each run's final t"), grid,
          thy[j], COLORS.get(j));
    }
    for (int j = 0; j < 2; j++) {
      String limit = Charts.text("limit (t\u00a0→\u00a0∞) ", "limit (t -> infinity) ");
      XYSeries l = Charts.line(chart, limit + names[j], grid, lim[j], COLORS.get(j));
      l.setLineStyle(Palette.dashed());
    }
    Charts.verticalLine(chart, Charts.text(String.format(Locale.ROOT, "θ_c = c^(1/4) = %s (BBP threshold)",
        num(thetaC)), String.format(Locale.ROOT, "theta_c = c^(1/4) = %s (BBP threshold)", num(thetaC))),
        Charts.text("θ_c = " + num(thetaC), "theta_c = " + num(thetaC)), thetaC, range[0], range[1], xMin, xMax);
    return chart;
  }

  /** sweep-ratio.png: see {@link #ratioSweepChart}. */
  public static byte[] ratioSweepPng(String csv, DenoisingSettings s) {
    return Charts.png(ratioSweepChart(csv, s));
  }

  /**
   * The ratio sweep (sweep-ratio.csv of {@link io.lowrank.experiment.DenoisingSweeps}): the simulated final
   * ⟨x,u⟩ and its sign against m_u0/m_v0 as markers, the theory's final ⟨x,u⟩ as a line (on a fine grid when every
   * run has the same horizon), the sign of the theory's limit as a step that jumps at the critical ratio
   * −√((θ²+c)/(θ²+1)), which is marked by a dashed vertical line.
   */
  public static XYChart ratioSweepChart(String csv, DenoisingSettings s) {
    Table table = Table.parse(csv);
    double[] ratio = table.column("ratio");
    double c = (double) s.n() / s.m();
    double tEnd = s.solver().options().steps() * s.solver().options().eta();
    RankOneDenoisingTheory th = RankOneDenoisingTheory.of(c, s.theta());
    double critical = th.criticalRatio();
    String title = Charts.text(String.format(Locale.ROOT,
        "final ⟨x,u⟩ vs m_u0/m_v0: θ = %s, N × M = %d × %d (c = %s), m_v0 = %s, t = %s", num(s.theta()), s.n(),
        s.m(), num(c), num(s.mv0()), num(tEnd)), String.format(Locale.ROOT,
        "final <x,u> vs m_u0/m_v0: theta = %s, N x M = %d x %d (c = %s), m_v0 = %s, t = %s", num(s.theta()),
        s.n(), s.m(), num(c), num(s.mv0()), num(tEnd)));
    XYChart chart = Charts.chart(title, "ratio of the initial overlaps m_u0 / m_v0",
        Charts.text("final ⟨x,u⟩ and its sign", "final <x,u> and its sign"));
    double from = min(ratio);
    double to = max(ratio);
    double xMin = Math.min(Math.min(from, critical), to - 1e-9);
    double xMax = Math.max(to, critical);
    Ticks.linearX(chart, xMin, xMax);
    Ticks.linearY(chart, -1, 1);
    double[] grid;
    double[] thy;
    boolean dense = s.solver().options().tol() == 0 && to > from;
    if (dense) {
      grid = linspace(from, to, THEORY_POINTS);
      thy = new double[grid.length];
      for (int i = 0; i < grid.length; i++) {
        thy[i] = th.predict(tEnd, grid[i] * s.mv0(), s.mv0()).overlapU();
      }
    } else {
      grid = ratio;
      thy = table.column("theory_u");
    }
    String u = QUANTITIES.get(0);
    Charts.markers(chart, "simulated " + u, ratio, table.column("sim_u"), Palette.BLUE);
    XYSeries sign = Charts.markers(chart, "simulated sign of " + u, ratio, table.column("sim_sign"),
        Palette.VERMILLION);
    sign.setMarker(Palette.HOLLOW_SQUARE);
    Charts.line(chart, "theory " + u + (dense ? " at t = " + num(tEnd) : " at each run's final t"), grid, thy,
        Palette.BLUE);
    // The limit's sign is constant on each side of the critical ratio: a step drawn from the theory itself, so that
    // the jump sits at the critical ratio and not between two sweep points.
    double left = Math.signum(th.limit(clampOverlap(from * s.mv0()), s.mv0())[0]);
    double right = Math.signum(th.limit(clampOverlap(to * s.mv0()), s.mv0())[0]);
    // A jump, not a vertical segment: the NaN ends the line at the critical ratio.
    double[] sx = critical > from && critical < to ? new double[] {from, critical, critical, critical, to}
        : new double[] {from, to};
    double[] sy = sx.length == 5 ? new double[] {left, left, Double.NaN, right, right} : new double[] {right, right};
    Charts.line(chart, Charts.text("theory: sign of the limit (t\u00a0→\u00a0∞)",
        "theory: sign of the limit (t -> infinity)"), sx, sy, Palette.VERMILLION);
    Charts.verticalLine(chart, String.format(Locale.ROOT, "critical ratio %s = " + Charts.text(
        "−√((θ²+c)/(θ²+1))", "-sqrt((theta^2+c)/(theta^2+1))"), num(critical)), "critical " + num(critical),
        critical, -1, 1, xMin, xMax);
    return chart;
  }

  private static double clampOverlap(double m) {
    return Math.max(-1, Math.min(1, m));
  }

  private static String num(double v) {
    return new BigDecimal(v).round(new MathContext(3)).stripTrailingZeros().toPlainString();
  }

  private static String ordinal(int k) {
    int mod100 = k % 100;
    int mod10 = k % 10;
    return mod100 >= 11 && mod100 <= 13 ? "th" : mod10 == 1 ? "st" : mod10 == 2 ? "nd" : mod10 == 3 ? "rd" : "th";
  }

  private static double[] every(double[] v, int stride) {
    double[] out = new double[(v.length + stride - 1) / stride];
    for (int i = 0; i < out.length; i++) {
      out[i] = v[i * stride];
    }
    return out;
  }

  private static double[] linspace(double from, double to, int points) {
    double[] out = new double[points];
    for (int i = 0; i < points; i++) {
      out[i] = from + (to - from) * i / (points - 1);
    }
    return out;
  }

  private static double min(double[] v) {
    return Arrays.stream(v).filter(Double::isFinite).min().orElse(0);
  }

  private static double max(double[] v) {
    return Arrays.stream(v).filter(Double::isFinite).max().orElse(1);
  }

  /** [lo, hi] covering {@code lo0}, {@code hi0} and every finite value. */
  private static double[] range(double lo0, double hi0, double[]... columns) {
    double lo = lo0;
    double hi = hi0;
    for (double[] col : columns) {
      for (double v : col) {
        if (Double.isFinite(v)) {
          lo = Math.min(lo, v);
          hi = Math.max(hi, v);
        }
      }
    }
    return new double[] {lo, hi};
  }

  /** A sweep CSV: a header of column names, then numbers (empty cells are NaN). */
  private record Table(List<String> header, double[][] values) {
    static Table parse(String csv) {
      String[] lines = csv.strip().split("\n");
      List<String> header = List.of(lines[0].strip().split(","));
      int rows = lines.length - 1;
      double[][] values = new double[header.size()][rows];
      for (int r = 0; r < rows; r++) {
        String[] cells = lines[r + 1].strip().split(",", -1);
        for (int j = 0; j < header.size(); j++) {
          values[j][r] = j >= cells.length || cells[j].isEmpty() ? Double.NaN : Double.parseDouble(cells[j]);
        }
      }
      return new Table(header, values);
    }

    double[] column(String name) {
      int j = header.indexOf(name);
      if (j < 0) {
        throw new IllegalArgumentException("the sweep CSV has no column " + name + " (header: "
            + String.join(",", header) + ")");
      }
      return values[j];
    }
  }
}
