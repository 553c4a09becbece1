package dev.offramp.runtime.metrics;

/**
 * Events per second over the last (up to) 64 events; 0 when none came in the last 2 s. Thread-safe.
 */
final class RateWindow {
  private final long[] arrivals = new long[64];
  private int count;
  private int head;

  /** Records one event at {@code nanos} ({@link System#nanoTime()}). */
  synchronized void mark(long nanos) {
    head = (head + 1) % arrivals.length;
    arrivals[head] = nanos;
    count = Math.min(count + 1, arrivals.length);
  }

  /** The recent rate, events per second, as of {@code now}. */
  synchronized double perSecond(long now) {
    if (count < 2) {
      return 0;
    }
    long newest = arrivals[head];
    if (now - newest > 2_000_000_000L) {
      return 0;
    }
    int oldest = (head - count + 1 + arrivals.length) % arrivals.length;
    long span = newest - arrivals[oldest];
    return span <= 0 ? 0 : (count - 1) / (span / 1e9);
  }
}
