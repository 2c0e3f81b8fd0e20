package io.lowrank.run;

/**
 * What the settings of every family share: the configuration they read (their section of {@code reference.conf},
 * the top-level {@code seed} and {@code partitions}) and validated copies with one key changed.
 *
 * @param <S> the family's settings type
 */
public abstract class FamilySettings<S extends FamilySettings<S>> {
  private final String section;
  private final ConfigValues values;

  /** Reads {@code section} of {@code values}; the subclass checks every key in its constructor. */
  protected FamilySettings(String section, ConfigValues values) {
    this.section = section;
    this.values = values;
  }

  /** The same family's settings over {@code values} (checked again). */
  protected abstract S over(ConfigValues values);

  /**
   * A copy with one key of the family's section set, e.g. {@code with("smoothing.c", 0.5)}; the top-level
   * {@code seed} and {@code partitions} are set the same way.
   */
  public S with(String key, Object value) {
    String full = key.equals("seed") || key.equals("partitions") ? key : section + "." + key;
    return over(values.with(full, value));
  }

  /** Seed of every random draw. */
  public S withSeed(long seed) {
    return with("seed", seed);
  }

  /** Partitions of the measurements on Spark (0 = as read or generated). */
  public S withPartitions(int partitions) {
    return with("partitions", partitions);
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

  /** The full name of a key of the section (for the typed getters of {@link ConfigValues}). */
  protected String key(String key) {
    return section + "." + key;
  }
}
