package io.lowrank.run;

import io.lowrank.data.SpikedMatrix;
import io.lowrank.solve.denoise.SphericalGradientDescent;

/**
 * Everything a rank-one denoising run is set by: the keys of the {@code denoise} section of {@code reference.conf}
 * (the generated matrix's N, M and θ, the initial overlaps, η, the steps, the early stop, the raw noise σ of an input
 * matrix, the block size), the seed and the partition count. Immutable, checked when built.
 */
public final class DenoisingSettings extends FamilySettings<DenoisingSettings> {
  /** The config section of the family. */
  public static final String SECTION = "denoise";

  private DenoisingSettings(ConfigValues values) {
    super(SECTION, values);
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

  @Override
  protected DenoisingSettings over(ConfigValues values) {
    return new DenoisingSettings(values);
  }

  /** Rows N of the generated matrix. */
  public int n() {
    return values().positiveInt(key("N"));
  }

  /** Columns M of the generated matrix. */
  public int m() {
    return values().positiveInt(key("M"));
  }

  /** Signal strength θ. */
  public double theta() {
    return values().positiveDouble(key("theta"));
  }

  /** Initial overlap ⟨x_0, u⟩. */
  public double mu0() {
    return overlap(key("mu0"));
  }

  /** Initial overlap ⟨y_0, v⟩. */
  public double mv0() {
    return overlap(key("mv0"));
  }

  /** Gradient descent on the spheres with step η, the steps and the early stop. */
  public SphericalGradientDescent solver() {
    return new SphericalGradientDescent(new SphericalGradientDescent.Options(values().positiveDouble(key("eta")),
        values().nonNegativeInt(key("steps")), values().nonNegativeDouble(key("tol"))));
  }

  /** Entrywise noise σ of a raw input matrix (0 = already N(0, 1/M)). */
  public double sigma() {
    return values().nonNegativeDouble(key("sigma"));
  }

  /** Rows per block (0 = about 4 MB). */
  public int blockRows() {
    return values().nonNegativeInt(key("block-rows"));
  }

  /** The spiked matrix these settings generate, at signal strength {@code theta}. */
  public SpikedMatrix instance(double theta) {
    return new SpikedMatrix(n(), m(), theta, seed(), blockRows());
  }

  private double overlap(String key) {
    double v = values().finiteDouble(key);
    if (Math.abs(v) > 1) {
      throw new IllegalArgumentException(key + " (an initial overlap) must be in [-1, 1], got " + v);
    }
    return v;
  }
}
