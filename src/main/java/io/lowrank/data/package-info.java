/**
 * Measurements as dense column-major {@link io.lowrank.data.Block}s: seeded generators (the same instance
 * whatever the partition count), {@link io.lowrank.data.MeasurementReader} for Parquet and CSV (rows packed
 * into blocks inside {@code mapPartitions}, validated in the one job that caches them, with errors that name
 * the file, row and column), {@link io.lowrank.data.MeasurementWriter}, the {@link io.lowrank.data.Format}
 * of a path, and the {@link io.lowrank.data.TruthFile} holding x*.
 */
package io.lowrank.data;
