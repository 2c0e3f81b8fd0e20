package io.lowrank.linalg;

import dev.ludovic.netlib.lapack.LAPACK;
import org.netlib.util.intW;

/**
 * netlib's LAPACK, warmed up once. The pure-Java fallback (F2jLAPACK, used when the machine has no native LAPACK)
 * keeps Fortran SAVE variables (the machine constants of dlamch, dlartg's safe bounds) in static fields that the
 * first call fills in; two threads making their first call at the same time (Spark tasks running trials side by
 * side) can read them half set, and dsyev then iterated for many CPU-minutes. Calling every routine we use once, in
 * this class's initializer, which the JVM runs exactly once before any other thread can use the class, fills them
 * first.
 */
final class Lapack {
  static final LAPACK INSTANCE = warmedUp(LAPACK.getInstance());

  private Lapack() {}

  private static LAPACK warmedUp(LAPACK lapack) {
    intW info = new intW(0);
    for (String c : new String[] {"E", "S", "B", "P", "N", "R", "M", "U", "L", "O"}) {
      lapack.dlamch(c);
    }
    double[] a = {4, 1, 0, 1, 3, 1, 0, 1, 2};
    double[] w = new double[3];
    double[] work = new double[64];
    lapack.dsyev("V", "U", 3, a.clone(), 3, w, work, work.length, info);
    double[] s = new double[3];
    double[] u = new double[9];
    double[] vt = new double[9];
    lapack.dgesvd("A", "A", 3, 3, a.clone(), 3, s, u, 3, vt, 3, work, work.length, info);
    double[] f = a.clone();
    lapack.dpotrf("U", 3, f, 3, info);
    lapack.dpotrs("U", 3, 1, f, 3, new double[] {1, 2, 3}, 3, info);
    lapack.dgeqrf(3, 3, a.clone(), 3, new double[3], work, work.length, info);
    return lapack;
  }
}
