/**
 * Phase retrieval / rank-one recovery: {@link io.lowrank.solve.phase.PhaseRetrievalProblem} (the passes as math),
 * {@link io.lowrank.solve.phase.SpectralInitializer}, and the {@link io.lowrank.solve.phase.PhaseRetrievalSolver}s
 * {@link io.lowrank.solve.phase.SmoothingNewton} (BWGD is its unsmoothed case; the μ schedules of
 * {@link io.lowrank.solve.phase.SmoothingSchedule}), {@link io.lowrank.solve.phase.AmplitudeFlow} and
 * {@link io.lowrank.solve.phase.WirtingerFlow}, all stopped by {@link io.lowrank.solve.StoppingRule}.
 */
package io.lowrank.solve.phase;
