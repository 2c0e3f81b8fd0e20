package io.lowrank.data;

import java.util.SplittableRandom;

/** Derived seeds: one independent random stream per (seed, stream) pair, e.g. per block. */
public final class Seeds {
  private Seeds() {}

  /** A generator for stream {@code stream} of {@code seed}; the same pair always gives the same numbers. */
  public static SplittableRandom stream(long seed, long stream) {
    return new SplittableRandom(mix64(seed * 0x9E3779B97F4A7C15L + mix64(stream + 0x632BE59BD9B4E019L)));
  }

  /**
   * A seed derived from {@code seed} and the tuple {@code parts} (e.g. d, n, trial): different tuples give unrelated
   * seeds (they collide only as 64-bit hashes do), unlike a linear mix such as seed·31 + trial.
   */
  public static long derive(long seed, long... parts) {
    long h = mix64(seed);
    for (long part : parts) {
      h = mix64(h * 0x9E3779B97F4A7C15L + mix64(part + 0x632BE59BD9B4E019L));
    }
    return h;
  }

  /** A uniformly random unit vector of R^d drawn from {@code rng}. */
  public static double[] unitVector(int d, SplittableRandom rng) {
    double[] x = new double[d];
    double norm2 = 0;
    for (int j = 0; j < d; j++) {
      x[j] = rng.nextGaussian();
      norm2 += x[j] * x[j];
    }
    double norm = Math.sqrt(norm2);
    for (int j = 0; j < d; j++) {
      x[j] /= norm;
    }
    return x;
  }

  /** SplitMix64's finaliser: a bijective scrambling of 64 bits. */
  public static long mix64(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
