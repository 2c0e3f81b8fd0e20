/**
 * Closed-form predictions from random-matrix theory, pure Java (no Spark): the Marchenko–Pastur law
 * ({@link io.lowrank.theory.MarchenkoPastur}), Gauss–Legendre quadrature, and the trajectory and large-time limits
 * of gradient descent for rank-one matrix denoising ({@link io.lowrank.theory.RankOneDenoisingTheory}).
 */
package io.lowrank.theory;
