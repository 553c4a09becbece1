package dev.offramp.runtime.capture;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Frames a source yielded that could not be used, counted by reason (Prometheus {@code
 * offramp_frames_skipped_total{reason}}, {@code /api/status} {@code frames_skipped}). Thread-safe:
 * the capture thread counts, anyone reads.
 */
public final class SkippedFrames {
  /** Why a frame was skipped; the metric label is the lower-case name. */
  public enum Reason {
    /** Not an image at all, an empty or truncated file, or a frame FFmpeg cannot decode. */
    UNDECODABLE,
    /** The header declares more pixels than {@code source.max-pixels}; never decoded. */
    TOO_LARGE,
    /** The file could not be read (permissions, removed while listed, I/O error). */
    UNREADABLE;

    /** The label value, e.g. {@code too_large}. */
    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  private final AtomicLongArray counts = new AtomicLongArray(Reason.values().length);

  /** Counts one skipped frame; returns the new count for the reason. */
  long add(Reason reason) {
    return counts.incrementAndGet(reason.ordinal());
  }

  /** Frames skipped for {@code reason} since start. */
  public long count(Reason reason) {
    return counts.get(reason.ordinal());
  }

  /** Frames skipped for any reason since start. */
  public long total() {
    long n = 0;
    for (int i = 0; i < counts.length(); i++) {
      n += counts.get(i);
    }
    return n;
  }

  /** Every reason's count, by label, in declaration order. */
  public Map<String, Long> snapshot() {
    Map<String, Long> out = new LinkedHashMap<>();
    for (Reason r : Reason.values()) {
      out.put(r.label(), count(r));
    }
    return out;
  }
}
