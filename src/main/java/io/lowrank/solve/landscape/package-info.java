/**
 * Landscape probes at the padded truth W* = [W_r*, 0] of low-rank recovery under gross outliers (Ma &amp; Fattahi,
 * arXiv 2302.10963): the saddle test min over ‖Z‖_F = 1 of the ℓ1 loss's curvature h(Z) along [0, Z], dist(0, ∂f(W*))
 * from a bounded least-squares problem (‖∇f(W*)‖ for smooth losses), and the verdict strict saddle / local minimum /
 * not critical. The math is here and Spark-free; each evaluation of h is one pass of
 * {@link io.lowrank.model.landscape.PaddedCurvatureKernel} through an {@link io.lowrank.engine.Engine}.
 */
package io.lowrank.solve.landscape;
