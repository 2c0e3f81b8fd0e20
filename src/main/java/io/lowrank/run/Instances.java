package io.lowrank.run;

import io.lowrank.data.Block;
import io.lowrank.data.GaussianPhaseRetrieval;

/** The seeded instances the configuration describes, shared by the commands that generate, solve and time them. */
public final class Instances {
  private Instances() {}

  /** The phase-retrieval instance of the {@code generate.*} keys and the seed. */
  public static GaussianPhaseRetrieval phaseRetrieval(ConfigValues cfg) {
    int blockRows = cfg.nonNegativeInt("generate.block-rows");
    int d = cfg.positiveInt("generate.d");
    return new GaussianPhaseRetrieval(cfg.positiveInt("generate.n"), d, cfg.longValue("seed"),
        cfg.nonNegativeDouble("generate.noise"), blockRows > 0 ? blockRows : Block.defaultRows(d));
  }
}
