/**
 * Measurements as dense column-major {@link io.lowrank.data.Block}s: seeded generators (the same instance
 * whatever the partition count), readers for Parquet and CSV (validated once, at load, with errors that name
 * the file, row and column), writers, and the truth file.
 */
package io.lowrank.data;
