/**
 * Dense linear algebra on raw column-major {@code double[]}: a thin facade over dev.ludovic.netlib
 * BLAS and LAPACK (matrix-vector products, Gram updates, Cholesky, symmetric eigen-decomposition).
 * Depends on netlib only.
 */
package io.lowrank.linalg;
