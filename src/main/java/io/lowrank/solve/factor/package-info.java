/**
 * Problems over factored operators ({@link io.lowrank.model.factor.FactorOperator}): f(W1, W2) = (1/m) Σ ρ(⟨A_i,
 * W1 W2^T⟩ − y_i) or f(W) with W W^T, evaluated in one pass per point, with the truth's relative error computed
 * from factors so that d1×d2 is never formed. The solvers of completion, asymmetric sensing and the escape from
 * spurious minima are built on {@link io.lowrank.solve.factor.FactorProblem}.
 */
package io.lowrank.solve.factor;
