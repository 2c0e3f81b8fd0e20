package io.lowrank.run;

/**
 * The ground truth of a run, when the user has one: none, values in memory, or a file read once the data's
 * dimension is known (phase retrieval: x*, one value per line; sensing: X*, one row of r* values per line). With a
 * truth the trace records the distance to it and CONVERGED means the distance met the tolerance.
 */
public sealed interface Truth {
  /** No truth. */
  record None() implements Truth {}

  /** x* (phase retrieval) or X* column-major (sensing), in memory. */
  record Values(double[] values) implements Truth {}

  /** A truth file on any Hadoop FileSystem. */
  record File(String path) implements Truth {}

  static Truth none() {
    return new None();
  }

  /** {@code values}, or none when null. */
  static Truth of(double[] values) {
    return values == null ? new None() : new Values(values);
  }

  static Truth file(String path) {
    return new File(path);
  }
}
