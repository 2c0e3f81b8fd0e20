/**
 * Solvers: the driver-side loops, written like the papers' pseudocode, over the {@link io.lowrank.engine.Engine}
 * interface (never an RDD). One sub-package per problem family, each with its problem (the passes as math) and one
 * solver interface: {@link io.lowrank.solve.phase.PhaseRetrievalSolver} ({@code solve(problem, x_0)}),
 * {@link io.lowrank.solve.sensing.SensingSolver} ({@code solve(problem, X_0, r)}); denoising has one solver,
 * {@link io.lowrank.solve.denoise.SphericalGradientDescent}, which also returns the overlap trajectory.
 *
 * <p>Common pieces:
 * <ul>
 *   <li>{@link io.lowrank.solve.IterationLoop}: the skeleton every loop uses. It labels each iteration's passes
 *       {@code "<solver> iter <t>"} for the Spark UI, times it, counts its passes, appends its
 *       {@link io.lowrank.solve.Trace} row, asks the stopping rule, and builds the {@link io.lowrank.solve.Result};
 *       the solver writes only the step and the evaluation.</li>
 *   <li>{@link io.lowrank.solve.Stopping}: budget plus stopping test, one small validated value per family
 *       ({@link io.lowrank.solve.StoppingRule} for phase retrieval, {@code RelativeErrorOrStep} for sensing,
 *       {@code GradientOrHorizon} for denoising), with one shared divergence test.</li>
 *   <li>{@link io.lowrank.solve.Status}, {@link io.lowrank.solve.Trace}, {@link io.lowrank.solve.Result}.</li>
 * </ul>
 * A new solver is one class implementing its family's interface on {@code IterationLoop}, plus its name where the
 * solvers are chosen by name.
 */
package io.lowrank.solve;
