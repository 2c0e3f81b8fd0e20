package io.lowrank.model;

import java.io.Serializable;

/** A partial result of a pass: built per partition, merged up a tree, read on the driver. */
public interface Aggregate<A extends Aggregate<A>> extends Serializable {
  /** Adds {@code other} into this aggregate and returns this. */
  A merge(A other);

  /**
   * Called once a partition is folded, before the aggregate travels to the driver: turns state only Java
   * serialisation could carry (e.g. a sketch object) into plain fields, so any Spark serializer (Java or Kryo)
   * ships it. Returns this.
   */
  @SuppressWarnings("unchecked")
  default A seal() {
    return (A) this;
  }
}
