/**
 * Files in and out, on any Hadoop FileSystem: {@link io.lowrank.io.MeasurementReader} and
 * {@link io.lowrank.io.MatrixReader} turn Parquet and CSV into cached {@link io.lowrank.data.Block}s (validated in
 * the one job that caches them, errors naming the file, row and column), {@link io.lowrank.io.MeasurementWriter},
 * truth files, the {@link io.lowrank.io.Format} of a path, and {@link io.lowrank.io.OutputDir}, which commits a
 * run's outputs atomically.
 */
package io.lowrank.io;
