/**
 * Phase retrieval / rank-one recovery: {@link io.lowrank.solve.phase.PhaseRetrievalProblem} (the passes as math),
 * {@link io.lowrank.solve.phase.SpectralInitializer}, {@link io.lowrank.solve.phase.SmoothingNewton} (BWGD is its
 * unsmoothed case) and the μ schedules of {@link io.lowrank.solve.phase.SmoothingSchedule}.
 */
package io.lowrank.solve.phase;
