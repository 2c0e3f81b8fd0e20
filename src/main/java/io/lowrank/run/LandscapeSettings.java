package io.lowrank.run;

import io.lowrank.data.Block;
import io.lowrank.data.Outliers;
import io.lowrank.data.PackedSymmetric;
import io.lowrank.io.OperatorFile;
import io.lowrank.model.Loss;
import io.lowrank.solve.landscape.LandscapeProbe;
import io.lowrank.solve.landscape.SaddleProbe;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;

/**
 * Everything a landscape probe is set by: the keys of the {@code landscape} section of {@code reference.conf} (the
 * generated instance's operator, d, r*, κ, m and outliers, or an operator file's shape; the search rank k, the loss,
 * the saddle test's starts and budget, the thresholds, the γ grid and the phase diagram's grid), the input (top-level
 * key), the seed and the partition count. Immutable, checked when built.
 */
public final class LandscapeSettings extends FamilySettings<LandscapeSettings> {
  /** The config section of the family. */
  public static final String SECTION = "landscape";

  private LandscapeSettings(ConfigValues values) {
    super(SECTION, values);
    operator();
    if (rstar() > d()) {
      throw new IllegalArgumentException("landscape.rstar must be <= landscape.d = " + d() + ", got " + rstar());
    }
    if (!(kappa() >= 1) || Double.isInfinite(kappa())) {
      throw new IllegalArgumentException("landscape.kappa must be finite and >= 1, got " + kappa());
    }
    m();
    shape();
    if (fromFile() && diagram()) {
      throw new IllegalArgumentException("landscape.diagram generates its instances: --diagram and --input do not go "
          + "together");
    }
    if (!diagram() && !fromFile()) {
      requireRank(k()); // a diagram's ranks are its k-grid's; a file's d and r* are its own and its truth's
    }
    outlierModel();
    loss();
    options();
    blockRows();
    if (diagram()) {
      for (long m : mGrid()) {
        if (m < 1) {
          throw new IllegalArgumentException("landscape.diagram.m-grid values must be >= 1, got " + m);
        }
      }
      for (int k : kGrid()) {
        requireRank(k);
      }
      outliersGrid();
      diagramSeeds();
    }
    seed();
    partitions();
  }

  /** The defaults of {@code reference.conf}. */
  public static LandscapeSettings defaults() {
    return of(ConfigValues.reference());
  }

  /** The settings a configuration holds (its {@code landscape} section, {@code seed}, {@code partitions}). */
  public static LandscapeSettings of(ConfigValues values) {
    return new LandscapeSettings(values);
  }

  @Override
  protected LandscapeSettings over(ConfigValues values) {
    return new LandscapeSettings(values);
  }

  /** gaussian (stored) or generated (on the fly). */
  public String operator() {
    return values().oneOf(key("operator"), "gaussian", "generated");
  }

  public int d() {
    return values().positiveInt(key("d"));
  }

  public int rstar() {
    return values().positiveInt(key("rstar"));
  }

  public double kappa() {
    return values().finiteDouble(key("kappa"));
  }

  /** Measurements m. */
  public long m() {
    long m = values().longValue(key("m"));
    if (m < 1) {
      throw new IllegalArgumentException("landscape.m (the number of measurements, --n) must be >= 1, got " + m);
    }
    return m;
  }

  /** The search rank k. */
  public int k() {
    return values().positiveInt(key("k"));
  }

  /** Checks a search rank against r* and d: the padded truth needs r* ≤ k ≤ d. */
  void requireRank(int k) {
    requireRank(k, rstar(), "landscape.rstar = " + rstar(), d(), "landscape.d = " + d());
  }

  /**
   * Checks a search rank against a true rank and a dimension, named in the message ({@code rankName} e.g.
   * "landscape.rstar = 2", {@code dName} "landscape.d = 20").
   */
  static void requireRank(int k, int rstar, String rankName, int d, String dName) {
    if (k < rstar) {
      throw new IllegalArgumentException("landscape.k (the search rank) = " + k + " is below " + rankName
          + ": the padded truth [W_r*, 0] needs k >= r*");
    }
    if (k > d) {
      throw new IllegalArgumentException("landscape.k (the search rank) = " + k + " exceeds " + dName);
    }
  }

  /**
   * Whether the probes run on a user's operator file (the top-level key input, --input) rather than on the generated
   * instance of d, rstar, kappa, m and the outliers.
   */
  public boolean fromFile() {
    return values().optionalPath("input").isPresent();
  }

  /**
   * The shape of an operator file's A_i as set (landscape.shape, --shape d1xd2; square for the symmetric model), or
   * null for auto (d×d with D = d² read from the header).
   */
  public OperatorFile.Shape shape() {
    String text = values().string(key("shape")).trim();
    return text.equals("auto") ? null : OperatorFile.Shape.parse(text, key("shape") + " (--shape)");
  }

  /** The outlier model: landscape.outliers (p), outlier-kind, outlier-scale. */
  public Outliers outlierModel() {
    return outliers(values().finiteDouble(key("outliers")));
  }

  private Outliers outliers(double p) {
    Outliers.requireFraction(key("outliers"), p);
    Outliers.Kind kind = Outliers.Kind.of(values().oneOf(key("outlier-kind"), "gaussian", "uniform", "positive"));
    double scale = Outliers.requireScale(key("outlier-scale"), values().finiteDouble(key("outlier-scale")));
    return new Outliers(p, kind, scale);
  }

  /** The loss (Huber's δ in the units of y, which are the residuals' for the Gaussian operators). */
  public Loss loss() {
    String id = values().oneOf(key("loss"), "l1", "l2", "lq", "huber");
    double q = values().finiteDouble(key("q"));
    double delta = values().finiteDouble(key("huber-delta"));
    try {
      return Loss.of(id, q, delta);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("landscape." + (id.equals("lq") ? "q" : "huber-delta") + ": "
          + e.getMessage());
    }
  }

  /** The probes' options. */
  public LandscapeProbe.Options options() {
    String gammaMax = values().string(key("gamma-max")).trim();
    double gm;
    if (gammaMax.equals("auto")) {
      gm = Double.NaN;
    } else {
      try {
        gm = Double.parseDouble(gammaMax);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("landscape.gamma-max must be a number > 0 or auto, got '" + gammaMax + "'");
      }
    }
    var saddle = new SaddleProbe.Options(values().positiveInt(key("starts")), values().positiveInt(key("max-passes")),
        values().positiveInt(key("stage-iterations")), seed());
    return new LandscapeProbe.Options(values().positiveDouble(key("corruption-tol")),
        values().positiveDouble(key("stationarity-tol")), values().nonNegativeDouble(key("curvature-tol")), saddle,
        values().positiveInt(key("qp-max-iter")), values().longValue(key("max-driver-values")),
        values().positiveInt(key("gamma-points")), gm);
  }

  /** Rows per block for the packed rows of dimension d (0 = about 4 MB). */
  public int blockRows(int d) {
    int rows = blockRows();
    return rows > 0 ? rows : Block.rowsFor(PackedSymmetric.length(d), 4L << 20);
  }

  private int blockRows() {
    return values().nonNegativeInt(key("block-rows"));
  }

  /** Whether the phase diagram is asked for. */
  public boolean diagram() {
    return values().bool(key("diagram.enabled"));
  }

  /** Instances per cell of the diagram (seeds seed, seed + 1, ...). */
  public int diagramSeeds() {
    return values().positiveInt(key("diagram.seeds"));
  }

  public List<Long> mGrid() {
    return list("diagram.m-grid", (c, k) -> c.getLongList(k));
  }

  public List<Integer> kGrid() {
    return list("diagram.k-grid", (c, k) -> c.getIntList(k));
  }

  /** The outlier fractions of the diagram (landscape.outliers alone when the grid is empty). */
  public List<Outliers> outliersGrid() {
    List<Double> ps = list("diagram.outliers-grid", (c, k) -> c.getDoubleList(k));
    List<Outliers> out = new ArrayList<>();
    if (ps.isEmpty()) {
      out.add(outlierModel());
    }
    for (double p : ps) {
      out.add(outliers(p));
    }
    return out;
  }

  private <T> List<T> list(String name, BiFunction<com.typesafe.config.Config, String, List<T>> get) {
    try {
      List<T> v = get.apply(values().config(), key(name));
      if (v.isEmpty() && !name.equals("diagram.outliers-grid")) {
        throw new IllegalArgumentException(key(name) + " must not be empty");
      }
      return v;
    } catch (com.typesafe.config.ConfigException e) {
      throw new IllegalArgumentException(key(name) + " must be a list of numbers: " + e.getMessage());
    }
  }
}
