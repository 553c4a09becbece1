package dev.offramp.runtime.pipeline;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Result counters per camera: each camera's {@code seq} runs 1, 2, 3… within a session, whatever
 * the other cameras do, so a consumer of one camera's topic sees gaps only where results were lost.
 * Thread-safe: the pipeline thread counts, transports read.
 */
final class CameraCounters {
  private final Map<String, long[]> seq = new LinkedHashMap<>();
  private long total;

  CameraCounters(List<String> cameras) {
    for (String c : cameras) {
      seq.put(c, new long[1]);
    }
  }

  /** The next {@code seq} of {@code camera}. */
  synchronized long next(String camera) {
    long[] n = seq.get(camera);
    if (n == null) {
      throw new IllegalArgumentException(
          "camera '" + camera + "': expected one of " + seq.keySet() + "; found none such");
    }
    total++;
    return ++n[0];
  }

  synchronized long total() {
    return total;
  }

  /** Results so far per camera, in configuration order. */
  synchronized Map<String, Long> byCamera() {
    Map<String, Long> out = new LinkedHashMap<>();
    seq.forEach((c, n) -> out.put(c, n[0]));
    return out;
  }
}
