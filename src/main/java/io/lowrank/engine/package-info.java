/**
 * The pass: cached blocks of measurements, the small state broadcast to them, one kernel folded over every
 * block and the partial aggregates merged. {@link io.lowrank.engine.SparkEngine} runs it on Spark,
 * {@link io.lowrank.engine.LocalEngine} in one JVM; solvers depend only on {@link io.lowrank.engine.Engine}.
 * Spark appears only here, in {@code job}, and in the readers and writers of {@code data}.
 */
package io.lowrank.engine;
