package io.lowrank.run;

import io.lowrank.data.SpikedMatrix;
import io.lowrank.solve.denoise.SphericalGradientDescent;

/**
 * Everything a rank-one denoising run is set by: the keys of the {@code denoise} section of {@code reference.conf}
 * (the generated matrix's N, M and θ, the initial overlaps, η, the steps, the early stop, the raw noise σ of an input
 * matrix, the block size), the seed and the partition count. Immutable, checked when built.
 */
public final class DenoisingSettings {
  /** The config section of the family. */
  public static final String SECTION = "denoise";

  private static final String S = SECTION + ".";
  private final ConfigValues values;

  private DenoisingSettings(ConfigValues values) {
    this.values = values;
    if (n() < 2) {
      throw new IllegalArgumentException("denoise.N must be >= 2, got " + n());
    }
    if (m() < 2) {
      throw new IllegalArgumentException("denoise.M must be >= 2, got " + m());
    }
    theta();
    mu0();
    mv0();
    solver();
    sigma();
    blockRows();
    seed();
    partitions();
  }

  /** The defaults of {@code reference.conf}. */
  public static DenoisingSettings defaults() {
    return of(ConfigValues.reference());
  }

  /** The settings a configuration holds (its {@code denoise} section, {@code seed}, {@code partitions}). */
  public static DenoisingSettings of(ConfigValues values) {
    return new DenoisingSettings(values);
  }

  /** A copy with one key of the section set, e.g. {@code with("theta", 2.0)}; also {@code seed}, {@code partitions}. */
  public DenoisingSettings with(String key, Object value) {
    String full = key.equals("seed") || key.equals("partitions") ? key : S + key;
    return new DenoisingSettings(values.with(full, value));
  }

  /** Rows N of the generated matrix. */
  public int n() {
    return values.positiveInt(S + "N");
  }

  /** Columns M of the generated matrix. */
  public int m() {
    return values.positiveInt(S + "M");
  }

  /** Signal strength θ. */
  public double theta() {
    return values.positiveDouble(S + "theta");
  }

  /** Initial overlap ⟨x_0, u⟩. */
  public double mu0() {
    return overlap(S + "mu0");
  }

  /** Initial overlap ⟨y_0, v⟩. */
  public double mv0() {
    return overlap(S + "mv0");
  }

  /** Gradient descent on the spheres with step η, the steps and the early stop. */
  public SphericalGradientDescent solver() {
    return new SphericalGradientDescent(new SphericalGradientDescent.Options(values.positiveDouble(S + "eta"),
        values.nonNegativeInt(S + "steps"), values.nonNegativeDouble(S + "tol")));
  }

  /** Entrywise noise σ of a raw input matrix (0 = already N(0, 1/M)). */
  public double sigma() {
    return values.nonNegativeDouble(S + "sigma");
  }

  /** Rows per block (0 = about 4 MB). */
  public int blockRows() {
    return values.nonNegativeInt(S + "block-rows");
  }

  public long seed() {
    return values.longValue("seed");
  }

  public int partitions() {
    return values.nonNegativeInt("partitions");
  }

  /** The configuration these settings read. */
  public ConfigValues values() {
    return values;
  }

  /** The spiked matrix these settings generate, at signal strength {@code theta}. */
  public SpikedMatrix instance(double theta) {
    return new SpikedMatrix(n(), m(), theta, seed(), blockRows());
  }

  private double overlap(String key) {
    double v = values.finiteDouble(key);
    if (Math.abs(v) > 1) {
      throw new IllegalArgumentException(key + " (an initial overlap) must be in [-1, 1], got " + v);
    }
    return v;
  }
}
