/**
 * Measurement models as per-block math: the kernels one pass folds over the blocks (loss, gradient pieces,
 * Hessian-vector products, Gram matrices, residual sketches) and the aggregates they produce. Pure Java on
 * {@link io.lowrank.data.Block} and {@code linalg}; no Spark.
 */
package io.lowrank.model;
