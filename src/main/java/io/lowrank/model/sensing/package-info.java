/**
 * Matrix sensing as per-block math: the {@link io.lowrank.model.sensing.SensingOperator} interface (stored packed
 * Gaussian, generated-on-the-fly Gaussian, rank-one) and the one pass every sensing solver iterates on,
 * {@link io.lowrank.model.sensing.SensingKernel}: at X it aggregates Σ r_i² and G = Σ r_i A_i, with
 * r_i = ⟨A_i, XX^T⟩ − y_i.
 */
package io.lowrank.model.sensing;
