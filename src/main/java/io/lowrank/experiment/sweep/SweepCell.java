package io.lowrank.experiment.sweep;

import com.typesafe.config.Config;
import io.lowrank.run.ConfigValues;
import java.util.Map;

/**
 * One cell of a sweep.
 *
 * @param id the stable id (a hash of the family and the cell's values)
 * @param values the cell's grid and derived values, by sweep key
 * @param config the family's full configuration in this cell (reference.conf, fixed, grid, derived)
 */
public record SweepCell(String id, Map<String, Object> values, Config config) {
  /** The configuration as the run layer reads it. */
  public ConfigValues settings() {
    return new ConfigValues(config);
  }

  /** "ratio=3 solver=bwgd". */
  public String describe() {
    return SweepSpec.describe(values);
  }
}
