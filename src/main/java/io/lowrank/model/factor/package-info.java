/**
 * Factored sensing operators A: R^{d1×d2} → R^m that never form a d1×d2 matrix on the driver: a pass measures
 * ⟨A_i, P Q^T⟩ per row and returns the adjoint already applied to factors, Σ φ_i A_i V (and Σ φ_i A_i^T U). Sparse
 * weighted entries (matrix completion, perturbed completion) and dense operators (Gaussian, a user's files) share
 * one interface, one loss pass and every solver and probe built on them. Spark-free.
 */
package io.lowrank.model.factor;
