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
    if (inst.equals("pmc")) {
      n();
      epsilon();
      truthRank();
    }
    rank();
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

  /** pmc or toy. */
  public String instance() {
    return values().oneOf(key("instance"), "pmc", "toy");
  }

  /** n of the perturbed completion (2 for the toy). */
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

  /** The truth's rank r* (1 for the toy). */
  public int truthRank() {
    return instance().equals("toy") ? 1 : values().positiveInt(key("truth-rank"));
  }

  /** The rank r of X, 1 ≤ r ≤ n (0 in the config = r*). */
  public int rank() {
    int r = values().nonNegativeInt(key("r"));
    int rank = r == 0 ? truthRank() : r;
    if (rank > n()) {
      throw new IllegalArgumentException("escape.r must be in [1, n = " + n() + "], got " + rank);
    }
    return rank;
  }

  /** The start file, if any. */
  public Optional<String> x0() {
    return values().optionalPath(key("x0"));
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
