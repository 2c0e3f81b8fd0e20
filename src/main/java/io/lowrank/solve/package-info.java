/**
 * Solvers: the driver-side loops, written like the papers' pseudocode, over the {@link io.lowrank.engine.Engine}
 * interface (never an RDD). Common pieces: {@link io.lowrank.solve.Status}, {@link io.lowrank.solve.Trace},
 * {@link io.lowrank.solve.Result}. One sub-package per problem family.
 */
package io.lowrank.solve;
