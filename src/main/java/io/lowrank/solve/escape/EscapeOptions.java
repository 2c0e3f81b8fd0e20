package io.lowrank.solve.escape;

import java.io.Serializable;

/**
 * How an escape is made (the keys of the {@code escape} section).
 *
 * @param power l, the lifting order (odd)
 * @param rho ρ, the first lifted step along b
 * @param eta η, the lifted step size
 * @param steps T, simulated lifted steps; 0 = auto, chosen per escape by {@link LiftedDynamics#stepsFor} so that
 *     the γ-term (or β-term) overtakes the a-term by the factor {@code overtake}: |γ̃(T)|·‖c‖_F^l = overtake·‖X̂‖_F^l;
 *     −1 = best, the argmin of the lifted objective over a grid around the automatic T (same pass)
 * @param overtake θ &gt; 0 of the automatic T
 * @param maxSteps cap on the automatic T
 * @param gated collapse only when the lifted objective dropped (F(T) &lt; F(0)); false = always collapse
 * @param deltaRank p of δ_p (0 = 2r)
 * @param deltaSamples K random rank-p matrices of the δ_p estimate (one pass)
 * @param delta a known δ in [0, 1) instead of the estimate; NaN = estimate it
 * @param lanczosSteps at most this many products G v (passes) for λ_n
 * @param lanczosTol relative Ritz residual at which Lanczos stops
 * @param grid points of the lifted objective's t grid (besides t = 0, the ρb step and T)
 * @param lineSteps steps per direction and sign of the line-search variant
 * @param lineFrom log10 of its smallest step relative to ‖X̂‖_F
 * @param lineTo log10 of its largest step relative to ‖X̂‖_F
 * @param maxGradient an escape starts only where ‖∇h‖_F ≤ this (a stall)
 * @param minCurvature an escape moves only when λ_n &lt; −minCurvature; otherwise G ⪰ 0 up to it, the stall is no
 *     spurious minimum (descent toward the global minimum is unfinished), and descent continues
 */
public record EscapeOptions(int power, double rho, double eta, long steps, double overtake, long maxSteps,
    boolean gated, int deltaRank, int deltaSamples, double delta, int lanczosSteps, double lanczosTol, int grid,
    int lineSteps, double lineFrom, double lineTo, double maxGradient, double minCurvature) implements Serializable {
  public EscapeOptions {
    if (power < 1 || power % 2 == 0) {
      throw new IllegalArgumentException("escape.l must be an odd integer >= 1 (the lifted sign argument needs l odd), "
          + "got " + power);
    }
    positive("escape.rho", rho);
    positive("escape.eta", eta);
    positive("escape.overtake", overtake);
    positive("escape.max-gradient", maxGradient);
    if (!(minCurvature >= 0) || !Double.isFinite(minCurvature)) {
      throw new IllegalArgumentException("escape.min-curvature must be finite and >= 0, got " + minCurvature);
    }
    if (steps < -1) {
      throw new IllegalArgumentException("escape.steps (T) must be > 0, auto or best, got " + steps);
    }
    if (maxSteps < 1) {
      throw new IllegalArgumentException("escape.max-steps must be >= 1, got " + maxSteps);
    }
    if (deltaRank < 0 || deltaSamples < 1 || lanczosSteps < 1 || grid < 1 || lineSteps < 1) {
      throw new IllegalArgumentException("escape.delta-rank must be >= 0 and delta-samples, lanczos-steps, grid and "
          + "line-steps >= 1");
    }
    if (!Double.isNaN(delta) && !(delta >= 0 && delta < 1)) {
      throw new IllegalArgumentException("escape.delta must be in [0, 1) (or negative to estimate it), got " + delta);
    }
    positive("escape.lanczos-tol", lanczosTol);
    if (!(lineFrom < lineTo)) {
      throw new IllegalArgumentException("escape.line-from must be below escape.line-to, got " + lineFrom + " and "
          + lineTo);
    }
  }

  /** The paper's settings: l = 11, ρ = 0.3, η = 0.01, T = 59 000, gated, δ_2 from 5 000 samples. */
  public static EscapeOptions paper() {
    return new EscapeOptions(11, 0.3, 0.01, 59_000, 1, 1_000_000_000_000L, true, 0, 5000, Double.NaN, 100, 1e-10, 24,
        13, -3, 0.5, 1e-2, 1e-3);
  }

  /** The defaults of reference.conf: the paper's l, ρ, η and δ_2 estimate, T = best around θ = 1, ungated. */
  public static EscapeOptions defaults() {
    return paper().withSteps(-1).withGated(false);
  }

  /** The same options with T = {@code t} (0 auto, −1 best). */
  public EscapeOptions withSteps(long t) {
    return new EscapeOptions(power, rho, eta, t, overtake, maxSteps, gated, deltaRank, deltaSamples, delta,
        lanczosSteps, lanczosTol, grid, lineSteps, lineFrom, lineTo, maxGradient, minCurvature);
  }

  /** The same options with the gate on or off. */
  public EscapeOptions withGated(boolean g) {
    return new EscapeOptions(power, rho, eta, steps, overtake, maxSteps, g, deltaRank, deltaSamples, delta,
        lanczosSteps, lanczosTol, grid, lineSteps, lineFrom, lineTo, maxGradient, minCurvature);
  }

  /** The same options with K random matrices for the δ_p estimate. */
  public EscapeOptions withDeltaSamples(int k) {
    return new EscapeOptions(power, rho, eta, steps, overtake, maxSteps, gated, deltaRank, k, delta,
        lanczosSteps, lanczosTol, grid, lineSteps, lineFrom, lineTo, maxGradient, minCurvature);
  }

  /** The same options with a known δ (NaN: estimate it). */
  public EscapeOptions withDelta(double d) {
    return new EscapeOptions(power, rho, eta, steps, overtake, maxSteps, gated, deltaRank, deltaSamples, d,
        lanczosSteps, lanczosTol, grid, lineSteps, lineFrom, lineTo, maxGradient, minCurvature);
  }

  private static void positive(String key, double v) {
    if (!(v > 0) || !Double.isFinite(v)) {
      throw new IllegalArgumentException(key + " must be finite and > 0, got " + v);
    }
  }
}
