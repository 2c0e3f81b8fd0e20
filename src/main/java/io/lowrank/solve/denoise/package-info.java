/**
 * Rank-one matrix denoising, Y = θ u v^T + W: {@link io.lowrank.solve.denoise.DenoisingProblem} (the one pass as
 * Y y, Y^T x and x^T Y y) and {@link io.lowrank.solve.denoise.SphericalGradientDescent} (gradient descent on the
 * two spheres, one pass per step, with the overlap trajectory when the spikes are known).
 */
package io.lowrank.solve.denoise;
