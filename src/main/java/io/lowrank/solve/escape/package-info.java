/**
 * Escaping spurious local minima of h(X) = ½‖A(X X^T) − b‖² by the simulated oracle direction (SOD; Shen, Yang, He,
 * Gao and Ma, arXiv 2602.05887): at a point where gradient descent stalls, the most negative eigenpair of
 * G = A*A(X̂X̂^T − M*) (Lanczos, one pass per product), the smallest singular triplet of X̂, the escape feasibility
 * score, the lifted truncated projected gradient descent in closed form, and the collapse back to a matrix point;
 * the line-search variant and the random baselines. Spark-free: every pass goes through an
 * {@link io.lowrank.engine.Engine}.
 */
package io.lowrank.solve.escape;
