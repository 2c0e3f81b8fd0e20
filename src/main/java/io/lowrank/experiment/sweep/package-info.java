/**
 * The sweep engine ({@code lowrank sweep SPEC}): a HOCON spec names a family, fixed settings, a grid over the
 * family's config keys (lists, ranges, derived keys), trials per cell and metrics; {@link
 * io.lowrank.experiment.sweep.Sweep} runs the cells on the run layer (small cells as Spark tasks with the in-process
 * engine, large ones on the distributed engine) and appends one row per (cell, trial) to Parquet parts that survive
 * the loss of the driver. A family joins by one {@link io.lowrank.experiment.sweep.SweepFamily} class registered in
 * {@link io.lowrank.experiment.sweep.SweepFamilies}. See docs/sweeps.md.
 */
package io.lowrank.experiment.sweep;
