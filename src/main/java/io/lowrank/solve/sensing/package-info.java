/**
 * Low-rank matrix sensing: {@link io.lowrank.solve.sensing.SensingProblem} (the pass as math: loss, G = Σ ψ(r_i) A_i,
 * ∇f = G X, the spectral matrix, the relative error), {@link io.lowrank.solve.sensing.SensingInitializer} (small
 * random and spectral starts), {@link io.lowrank.solve.sensing.TrimmedSpectralStart} (the spectral start without the
 * largest |y_i|, put to scale along its ray) and the {@link io.lowrank.solve.sensing.SensingSolver}s
 * {@link io.lowrank.solve.sensing.ScaledGradientDescent} (ScaledGD(λ) — λ fixed or adapted by
 * {@link io.lowrank.solve.sensing.AdaptiveDamping} — ScaledGD, PrecGD and GD on the factor),
 * {@link io.lowrank.solve.sensing.RankRBwgd} (rank-r BWGD on rank-one measurements),
 * {@link io.lowrank.solve.sensing.SubGradientMethod} (SubGM on a robust loss, ℓ1 above all, with gross outliers in y)
 * and {@link io.lowrank.solve.sensing.ScaledSubGradientMethod} (its scaled, κ-free variant; the two share the loop),
 * one pass per iteration. The problem's {@link io.lowrank.model.Loss} is fixed at set-up; the ScaledGD family and
 * BWGD minimise ℓ2.
 */
package io.lowrank.solve.sensing;
