/**
 * Low-rank matrix sensing: {@link io.lowrank.solve.sensing.SensingProblem} (the pass as math: loss, G = Σ r_i A_i,
 * ∇f = G X, the spectral matrix, the relative error), {@link io.lowrank.solve.sensing.SensingInitializer} (small
 * random and spectral starts) and {@link io.lowrank.solve.sensing.ScaledGradientDescent} (ScaledGD(λ), ScaledGD,
 * PrecGD and GD on the factor, one pass per iteration).
 */
package io.lowrank.solve.sensing;
