package io.lowrank.job;

/**
 * Flags whose spelling changed so that one concept has one name in every command (--solver, --n/--d, --max-iter,
 * --trials N): the old spelling is still parsed, hidden from --help, and refused naming the new one.
 */
final class Renamed {
  private Renamed() {}

  /** Refuses {@code oldFlag} when it was given (its value is not null or true). */
  static void refuse(Object value, String oldFlag, String newFlag) {
    if (value != null && !Boolean.FALSE.equals(value)) {
      throw new IllegalArgumentException(oldFlag + " is now " + newFlag);
    }
  }
}
