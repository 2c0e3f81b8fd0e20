package io.lowrank.io;

import java.io.Serializable;

/**
 * What one task saw of one contiguous piece of one input file (a file split, identified by the file and its
 * byte offset): how many data rows, and the first bad row among them. The driver orders the pieces of each
 * file by offset to turn local row indices into row numbers within the file.
 */
final class InputSegment implements Serializable {
  private static final long serialVersionUID = 1L;

  final String file;
  final long start;
  long rows;
  /** 0-based index of the first bad row within this segment, or -1. */
  long badRow = -1;
  String reason;

  InputSegment(String file, long start) {
    this.file = file;
    this.start = start;
  }

  /** Key under which re-executed tasks overwrite rather than double-count their segments. */
  String key() {
    return file + '\u0000' + start;
  }
}
