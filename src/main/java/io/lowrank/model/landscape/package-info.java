/**
 * The per-block math of the landscape probes at a padded truth W* = [W_r*, 0]: which measurements are corrupted (from
 * the residuals at the truth), the clean measurements' subgradient rows and the corrupted ones' fixed subgradient (for
 * dist(0, ∂f(W*))), and the curvature h(Z) of the ℓ1 loss along [0, Z] with its gradient, each one pass. Generic over
 * {@link io.lowrank.model.factor.FactorOperator}; Spark-free.
 */
package io.lowrank.model.landscape;
