/**
 * Low-rank matrix sensing: {@link io.lowrank.solve.sensing.SensingProblem} (the pass as math: loss, G = Σ r_i A_i,
 * ∇f = G X, the spectral matrix, the relative error), {@link io.lowrank.solve.sensing.SensingInitializer} (small
 * random and spectral starts) and the {@link io.lowrank.solve.sensing.SensingSolver}s
 * {@link io.lowrank.solve.sensing.ScaledGradientDescent} (ScaledGD(λ), ScaledGD, PrecGD and GD on the factor) and
 * {@link io.lowrank.solve.sensing.RankRBwgd} (rank-r BWGD on rank-one measurements), one pass per iteration.
 */
package io.lowrank.solve.sensing;
