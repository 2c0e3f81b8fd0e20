package io.lowrank.solve.escape;

import java.util.Locale;

/** What is done at a stall. */
public enum Method {
  /** Nothing: gradient descent alone (the baseline with the same step budget). */
  NONE,
  /** The simulated lifted descent and its collapse (gated or not by {@link EscapeOptions#gated()}). */
  SOD,
  /** Steps along the SOD directions u q^T and c, normalised, on a log grid of step sizes; accepted on a loss drop. */
  LINE_SEARCH,
  /** A random direction with the norm of the SOD jump. */
  RANDOM,
  /** A new small random start. */
  RESTART;

  /** The name in configs: none, sod, line-search, random, restart. */
  public String id() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /** The method a config name gives. */
  public static Method of(String id) {
    for (Method m : values()) {
      if (m.id().equals(id)) {
        return m;
      }
    }
    throw new IllegalArgumentException("unknown escape method '" + id
        + "' (expected one of: none, sod, line-search, random, restart)");
  }
}
