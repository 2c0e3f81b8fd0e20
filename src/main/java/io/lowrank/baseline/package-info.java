/**
 * External methods wrapped as solvers for side-by-side comparison: Spark MLlib's L-BFGS on the intensity loss.
 * They sit above {@code solve} (they use its interfaces) and may use Spark directly.
 */
package io.lowrank.baseline;
