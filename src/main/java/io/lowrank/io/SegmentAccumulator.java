package io.lowrank.io;

import java.util.HashMap;
import java.util.Map;
import org.apache.spark.util.AccumulatorV2;

/**
 * Collects {@link InputSegment}s from the job that builds and caches the blocks. Keyed by (file, offset), so
 * a re-executed or speculative task replaces its earlier report instead of adding to it: the result is exact
 * even though accumulators updated inside transformations may be applied more than once.
 */
final class SegmentAccumulator extends AccumulatorV2<InputSegment, Map<String, InputSegment>> {
  private static final long serialVersionUID = 1L;

  private final HashMap<String, InputSegment> segments = new HashMap<>();

  @Override
  public boolean isZero() {
    return segments.isEmpty();
  }

  @Override
  public SegmentAccumulator copy() {
    SegmentAccumulator c = new SegmentAccumulator();
    c.segments.putAll(segments);
    return c;
  }

  @Override
  public void reset() {
    segments.clear();
  }

  @Override
  public void add(InputSegment s) {
    segments.put(s.key(), s);
  }

  @Override
  public void merge(AccumulatorV2<InputSegment, Map<String, InputSegment>> other) {
    segments.putAll(other.value());
  }

  @Override
  public Map<String, InputSegment> value() {
    return segments;
  }
}
