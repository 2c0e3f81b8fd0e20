/**
 * Probe passes of the escape from spurious local minima, generic over any
 * {@link io.lowrank.model.factor.FactorOperator}: several matrices measured per row in one pass (δ_p from K random
 * rank-p matrices, the certificate's cross term), the lifted objective at a whole grid of simulated times (and the
 * line search's grid of steps) from per-row inner products, and A*A(P Q^T) applied to factors. Spark-free.
 */
package io.lowrank.model.escape;
