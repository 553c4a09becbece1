package dev.offramp.runtime.mqtt;

import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Results that will never reach the broker, counted by reason: the ledger a consumer reconciles
 * missing {@code seq} numbers against. Exported as {@code
 * offramp_mqtt_buffer_dropped_total{reason}} and on {@code <prefix>/stats}. Thread-safe.
 */
public final class DropCounts {
  /** Why a result was dropped. The label value is the lower-case name. */
  public enum Reason {
    /** The store reached {@code buffer-max-mb}, or the disk was full: the oldest unsent went. */
    FULL,
    /** A stored record failed its checksum or could not be read: only that record went. */
    CORRUPT,
    /** The store file vanished while the daemon was stopped: what the last clean stop left. */
    LOST,
    /** The store refused the write and the broker was down: not storable, not sendable. */
    STORAGE,
    /** The in-memory hand-off from the pipeline was full: the publisher thread fell behind. */
    QUEUE;

    /** The Prometheus label and stats key. */
    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  private final Map<Reason, AtomicLong> counts = new EnumMap<>(Reason.class);

  /** All reasons at zero. */
  public DropCounts() {
    for (Reason r : Reason.values()) {
      counts.put(r, new AtomicLong());
    }
  }

  /** Adds {@code n} (>= 0) results dropped for {@code reason}; returns the new count. */
  public long add(Reason reason, long n) {
    if (n < 0) {
      throw new IllegalArgumentException("dropped count: expected >= 0; found " + n);
    }
    return counts.get(reason).addAndGet(n);
  }

  /** Results dropped for {@code reason} so far. */
  public long get(Reason reason) {
    return counts.get(reason).get();
  }

  /** Results dropped for any reason. */
  public long total() {
    long t = 0;
    for (AtomicLong c : counts.values()) {
      t += c.get();
    }
    return t;
  }

  /** Label to count, every reason present (zeros included), in declaration order. */
  public Map<String, Long> snapshot() {
    Map<String, Long> m = new LinkedHashMap<>();
    for (Reason r : Reason.values()) {
      m.put(r.label(), counts.get(r).get());
    }
    return Collections.unmodifiableMap(m);
  }
}
