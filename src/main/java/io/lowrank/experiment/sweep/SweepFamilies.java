package io.lowrank.experiment.sweep;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The families a spec may name: the extension point. A new family is one {@link SweepFamily} class and one line here.
 */
public final class SweepFamilies {
  private static final Map<String, SweepFamily> FAMILIES =
      index(List.of(new PhaseRetrievalFamily(), new SensingFamily(), new RobustFamily(), new LandscapeFamily(),
          new DenoiseFamily(), new EscapeFamily()));

  private static Map<String, SweepFamily> index(List<SweepFamily> families) {
    Map<String, SweepFamily> m = new LinkedHashMap<>();
    for (SweepFamily f : families) {
      m.put(f.name(), f);
    }
    return java.util.Collections.unmodifiableMap(m);
  }

  private SweepFamilies() {}

  /** The names, in order. */
  public static List<String> names() {
    return List.copyOf(FAMILIES.keySet());
  }

  /** The family {@code name}; an unknown one is an IllegalArgumentException with a suggestion. */
  public static SweepFamily of(String name) {
    SweepFamily f = FAMILIES.get(name);
    if (f == null) {
      throw new IllegalArgumentException("family: unknown family '" + name + "'"
          + SweepSpec.suggestion(name, names()) + " (known: " + String.join(", ", names()) + ")");
    }
    return f;
  }
}
