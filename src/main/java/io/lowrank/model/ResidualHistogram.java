package io.lowrank.model;

import java.io.Serializable;
import java.util.Arrays;

/**
 * A mergeable quantile sketch of non-negative numbers (the residuals |r_i| of a pass) that is deterministic: it
 * counts values per bucket of their double's exponent and top {@value #MANTISSA_BITS} mantissa bits, so buckets are
 * 2^-7 wide in relative terms. A quantile is then exact in rank and within half a bucket (0.4%) in value, and since
 * the counts are integers the same data give the same bits whatever the partitioning, the merge order or the run:
 * unlike a randomized sketch (KLL compacts with an unseeded generator), two runs of a quantile schedule agree.
 *
 * <p>While a partition is folded the counts are a dense array indexed by the bucket (no branch in the hot loop);
 * {@link #seal()} keeps only the occupied range, which is what travels between JVMs.
 */
public final class ResidualHistogram implements Serializable {
  private static final long serialVersionUID = 1L;
  /** Mantissa bits that pick the bucket within an octave. */
  public static final int MANTISSA_BITS = 7;
  private static final int SHIFT = 52 - MANTISSA_BITS;
  /** Buckets of all finite non-negative doubles (the sign bit is 0). */
  private static final int BUCKETS = 1 << (11 + MANTISSA_BITS);

  /** Counts per bucket while folding (allocated on the first add); null once sealed. */
  private transient int[] dense;
  /** Sealed: the counts of buckets first, first + 1, ... */
  private int first;
  private long[] counts = new long[0];
  private long total;

  /** Counts {@code v} (≥ 0 and finite; anything else is left out). */
  public void add(double v) {
    if (v >= 0 && v <= Double.MAX_VALUE) {
      if (dense == null) {
        dense = new int[BUCKETS];
      }
      dense[(int) (Double.doubleToRawLongBits(v) >>> SHIFT)]++;
    }
  }

  /** Keeps only the occupied buckets (idempotent). */
  public ResidualHistogram seal() {
    if (dense != null) {
      int lo = 0;
      while (lo < BUCKETS && dense[lo] == 0) {
        lo++;
      }
      int hi = BUCKETS - 1;
      while (hi >= lo && dense[hi] == 0) {
        hi--;
      }
      long[] sealed = new long[Math.max(0, hi - lo + 1)];
      for (int k = 0; k < sealed.length; k++) {
        sealed[k] = dense[lo + k];
        total += sealed[k];
      }
      merge(lo, sealed);
      dense = null;
    }
    return this;
  }

  /** Adds the counts of {@code other} to these. */
  public ResidualHistogram merge(ResidualHistogram other) {
    seal();
    other.seal();
    long before = total;
    merge(other.first, other.counts);
    total = before + other.total;
    return this;
  }

  private void merge(int otherFirst, long[] other) {
    if (other.length == 0) {
      return;
    }
    if (counts.length == 0) {
      first = otherFirst;
      counts = other.clone();
      return;
    }
    int lo = Math.min(first, otherFirst);
    int hi = Math.max(first + counts.length, otherFirst + other.length);
    long[] merged = new long[hi - lo];
    System.arraycopy(counts, 0, merged, first - lo, counts.length);
    for (int k = 0; k < other.length; k++) {
      merged[otherFirst - lo + k] += other[k];
    }
    first = lo;
    counts = merged;
  }

  /** How many values were counted. */
  public long count() {
    seal();
    return total;
  }

  /**
   * The q-quantile: the midpoint of the bucket that holds the ⌈q·n⌉-th smallest value (the smallest for q = 0); 0
   * for the bucket of zero.
   *
   * @throws IllegalStateException when nothing was counted
   */
  public double quantile(double q) {
    seal();
    if (total == 0) {
      throw new IllegalStateException("no values in the histogram");
    }
    long rank = Math.max(1, (long) Math.ceil(q * total));
    long seen = 0;
    int k = 0;
    while (k < counts.length - 1 && seen + counts[k] < rank) {
      seen += counts[k++];
    }
    long bucket = first + k;
    double lower = Double.longBitsToDouble(bucket << SHIFT);
    double upper = Double.longBitsToDouble((bucket + 1) << SHIFT);
    // Bucket 0 holds exact zeros (and the smallest subnormals): say 0.
    return bucket == 0 ? 0.0 : upper > Double.MAX_VALUE ? lower : 0.5 * (lower + upper);
  }

  @Override
  public String toString() {
    seal();
    return "ResidualHistogram(n = " + total + ", buckets " + first + ".." + (first + counts.length - 1) + ", "
        + Arrays.stream(counts).filter(c -> c > 0).count() + " occupied)";
  }
}
