/**
 * Measurements as dense column-major {@link io.lowrank.data.Block}s and their seeded generators (the same instance
 * whatever the partition count), with the truths they are drawn from and the gross {@link io.lowrank.data.Outliers}
 * they may carry. No Spark here: the readers and writers of
 * files are in {@link io.lowrank.io}.
 */
package io.lowrank.data;
