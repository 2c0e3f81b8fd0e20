package io.lowrank.model;

import java.io.Serializable;

/** A partial result of a pass: built per partition, merged up a tree, read on the driver. */
public interface Aggregate<A extends Aggregate<A>> extends Serializable {
  /** Adds {@code other} into this aggregate and returns this. */
  A merge(A other);
}
