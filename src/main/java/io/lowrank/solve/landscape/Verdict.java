package io.lowrank.solve.landscape;

/**
 * What the probes say about the padded truth W* = [W_r*, 0]:
 * <ul>
 *   <li>{@link #STRICT_SADDLE}: stationary (dist(0, ∂f(W*)) ≤ tol_s · scale) and a direction of negative curvature
 *       found (min h / scale ≤ −tol_h): a Clarke critical point that is not a local minimum;</li>
 *   <li>{@link #LOCAL_MINIMUM}: stationary and no negative curvature found along any [0, Z] (the test is not a proof of
 *       local minimality, it rules out the saddle the over-parameterization creates);</li>
 *   <li>{@link #NOT_CRITICAL}: dist(0, ∂f(W*)) above tol_s · scale (the smooth losses' usual case under outliers).</li>
 * </ul>
 * The thresholds are relative (see {@link LandscapeProbe.Options}), so the verdict does not depend on the scale of
 * the data.
 */
public enum Verdict {
  STRICT_SADDLE("strict-saddle"),
  LOCAL_MINIMUM("local-minimum"),
  NOT_CRITICAL("not-critical");

  private final String id;

  Verdict(String id) {
    this.id = id;
  }

  /** The name in reports: strict-saddle, local-minimum, not-critical. */
  public String id() {
    return id;
  }

  /** The verdict of a stationarity decision and a curvature one. */
  public static Verdict of(boolean stationary, boolean negativeCurvature) {
    if (!stationary) {
      return NOT_CRITICAL;
    }
    return negativeCurvature ? STRICT_SADDLE : LOCAL_MINIMUM;
  }
}
