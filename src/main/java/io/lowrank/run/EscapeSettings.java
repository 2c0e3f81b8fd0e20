package io.lowrank.run;

import io.lowrank.solve.escape.DescentOptions;
import io.lowrank.solve.escape.EscapeOptions;
import io.lowrank.solve.escape.Method;
import java.util.Locale;
import java.util.Optional;

/**
 * Everything an escape run is set by: the keys of the {@code escape} section of {@code reference.conf} (the instance,
 * the rank, the start, the method, the SOD parameters l, ρ, η, T, the δ estimate, Lanczos, the line search, gradient
 * descent), the seed and the partition count. Immutable, checked when built.
 */
public final class EscapeSettings extends FamilySettings<EscapeSettings> {
  /** The config section of the family. */
  public static final String SECTION = "escape";

  private EscapeSettings(ConfigValues values) {
    super(SECTION, values);
    String inst = instance();
    if (input().isEmpty()) {
      if (!inst.equals("toy")) {
        n();
        truthRank();
      }
      if (inst.equals("pmc")) {
        epsilon();
      }
      if (inst.equals("gaussian")) {
        m();
        kappa();
      }
      rank();
    } else {
      values().nonNegativeInt(key("r"));
    }
    start();
    init();
    escapeAtStart();
    method();
    gated();
    maxEscapes();
    options();
    descent();
    success();
    blockRows();
    seed();
    partitions();
  }

  /** The defaults of {@code reference.conf}. */
  public static EscapeSettings defaults() {
    return of(ConfigValues.reference());
  }

  /** The settings a configuration holds (its {@code escape} section, {@code seed}, {@code partitions}). */
  public static EscapeSettings of(ConfigValues values) {
    return new EscapeSettings(values);
  }

  @Override
  protected EscapeSettings over(ConfigValues values) {
    return new EscapeSettings(values);
  }

  /** pmc, toy or gaussian (the generated instances; an input file takes their place). */
  public String instance() {
    return values().oneOf(key("instance"), "pmc", "toy", "gaussian");
  }

  /** The input file (an operator file or completion entries) instead of a generated instance, if any. */
  public Optional<String> input() {
    return values().optionalPath("input");
  }

  /** The input's format: auto, csv or parquet. */
  public String format() {
    return values().oneOf("format", "auto", "csv", "parquet");
  }

  /**
   * m, the measurements of the Gaussian instance (0 = ⌈1.2·n·r*⌉, where gradient descent from a small random start
   * stalls at spurious minima in a fraction of the draws; docs/escape.md §8).
   */
  public long m() {
    int m = values().nonNegativeInt(key("m"));
    return m > 0 ? m : (6L * n() * truthRank() + 4) / 5; // ⌈6 n r*/5⌉ in integers
  }

  /** κ = σ_1/σ_r* of the Gaussian instance's M* (eigenvalues evenly spaced from 1 to 1/κ). */
  public double kappa() {
    double k = values().finiteDouble(key("kappa"));
    if (!(k >= 1)) {
      throw new IllegalArgumentException("escape.kappa must be >= 1, got " + ConfigValues.fmt(k));
    }
    return k;
  }

  /** n of the generated instance (2 for the toy). */
  public int n() {
    if (instance().equals("toy")) {
      return 2;
    }
    int n = values().positiveInt(key("n"));
    if (n < 2) {
      throw new IllegalArgumentException("escape.n must be >= 2, got " + n);
    }
    return n;
  }

  /** ε in (0, 1]. */
  public double epsilon() {
    double e = values().finiteDouble(key("epsilon"));
    if (!(e > 0 && e <= 1)) {
      throw new IllegalArgumentException("escape.epsilon must be in (0, 1], got " + ConfigValues.fmt(e));
    }
    return e;
  }

  /** The generated truth's rank r* (1 for the toy), at most n. */
  public int truthRank() {
    if (instance().equals("toy")) {
      return 1;
    }
    int r = values().positiveInt(key("truth-rank"));
    // Perturbed completion deals its even indices to the r* columns of the truth.
    int most = instance().equals("pmc") ? (n() + 1) / 2 : n();
    if (r > most) {
      throw new IllegalArgumentException("escape.truth-rank must be in [1, " + most + "] (" + (instance().equals("pmc")
          ? "the even indices of n = " + n() : "n") + "), got " + r);
    }
    return r;
  }

  /** The rank r of X for the generated instance, 1 ≤ r ≤ n (0 in the config = r*). */
  public int rank() {
    return rank(n(), truthRank());
  }

  /**
   * The rank r of X for an instance of size n whose truth has rank {@code truthRank} (0 when there is no truth).
   *
   * @throws IllegalArgumentException when r is outside [1, n], or 0 (= r*) without a truth
   */
  public int rank(int n, int truthRank) {
    int r = values().nonNegativeInt(key("r"));
    if (r == 0 && truthRank == 0) {
      throw new IllegalArgumentException("escape.r = 0 means the truth's rank, but there is no truth: give --rank r "
          + "(or --truth FILE)");
    }
    int rank = r == 0 ? truthRank : r;
    if (rank > n) {
      throw new IllegalArgumentException("escape.r must be in [1, n = " + n + "], got " + rank);
    }
    return rank;
  }

  /** The start file, if any. */
  public Optional<String> x0() {
    return values().optionalPath(key("x0"));
  }

  /**
   * How the start is drawn when no x0 file is given: gaussian (init·N(0, 1) entries) or signed (the truth's factor with
   * a random sign per row, plus init·N(0, 1) entries: next to a spurious minimum of perturbed completion when
   * ε²·(number of even indices) &lt; 1, see docs/escape.md).
   */
  public String start() {
    return values().oneOf(key("start"), "gaussian", "signed");
  }

  /** Escape at the start itself (which must be a stall), before any descent. */
  public boolean escapeAtStart() {
    return values().bool(key("escape-at-start"));
  }

  /** Scale of the random start's Gaussian entries (and of a restart's). */
  public double init() {
    return values().positiveDouble(key("init"));
  }

  public Method method() {
    return Method.of(values().string(key("method")).trim());
  }

  public boolean gated() {
    return values().bool(key("gated"));
  }

  /** R. */
  public int maxEscapes() {
    return values().nonNegativeInt(key("max-escapes"));
  }

  /** The escape's options (T = 0 for auto). */
  public EscapeOptions options() {
    int l = values().positiveInt(key("l"));
    if (l % 2 == 0) {
      throw new IllegalArgumentException("escape.l must be odd (the lifted sign argument needs l odd), got " + l);
    }
    double delta = values().finiteDouble(key("delta"));
    return new EscapeOptions(l, values().positiveDouble(key("rho")), values().positiveDouble(key("eta")), steps(),
        values().positiveDouble(key("overtake")), (long) values().positiveDouble(key("max-steps")), gated(),
        values().nonNegativeInt(key("delta-rank")), values().positiveInt(key("delta-samples")),
        delta < 0 ? Double.NaN : delta, values().positiveInt(key("lanczos-steps")),
        values().positiveDouble(key("lanczos-tol")), values().positiveInt(key("grid")),
        values().positiveInt(key("line-steps")), values().finiteDouble(key("line-from")),
        values().finiteDouble(key("line-to")), values().positiveDouble(key("max-gradient")),
        values().nonNegativeDouble(key("min-curvature")));
  }

  /** T: 0 for auto, −1 for best, else a positive integer. */
  private long steps() {
    String s = values().string(key("steps")).trim().toLowerCase(Locale.ROOT);
    if (s.equals("auto")) {
      return 0;
    }
    if (s.equals("best")) {
      return -1;
    }
    double t;
    try {
      t = Double.parseDouble(s);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("escape.steps (T) must be auto, best or a number > 0, got '" + s + "'");
    }
    if (!(t > 0) || t != Math.rint(t) || t > 1e15) {
      throw new IllegalArgumentException("escape.steps (T) must be auto, best or an integer > 0, got " + s);
    }
    return (long) t;
  }

  /** Gradient descent between escapes. */
  public DescentOptions descent() {
    return new DescentOptions(values().positiveDouble(key("gd.step")), values().positiveInt(key("gd.steps")),
        values().nonNegativeDouble(key("gd.gradient-tol")), values().nonNegativeInt(key("gd.window")),
        values().nonNegativeDouble(key("gd.window-tol")), values().nonNegativeDouble(key("gd.loss-tol")),
        (long) values().positiveDouble(key("gd.total-steps")));
  }

  /** Success: ‖XX^T − M*‖_F below this. */
  public double success() {
    return values().positiveDouble(key("success"));
  }

  /** Entries per block (0 = 65536). */
  public int blockRows() {
    return values().nonNegativeInt(key("block-rows"));
  }
}
