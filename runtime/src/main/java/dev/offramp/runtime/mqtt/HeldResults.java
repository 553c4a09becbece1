package dev.offramp.runtime.mqtt;

import dev.offramp.runtime.mqtt.DropCounts.Reason;
import dev.offramp.runtime.pipeline.ResultEvent;
import java.lang.System.Logger.Level;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;

/**
 * Results kept in memory while the store refuses writes, and the storage problem itself: at most
 * {@code mqtt.queue-capacity} are held (the oldest beyond are dropped, reason storage), sent live
 * while the broker is up, and stored again once a retry (every second) succeeds. The deque is the
 * publisher thread's; the problem is readable from any thread.
 */
final class HeldResults {
  private static final System.Logger LOG = System.getLogger(HeldResults.class.getName());
  private static final long RETRY_NANOS = 1_000_000_000L;

  private final ArrayDeque<ResultEvent> held = new ArrayDeque<>();
  private final int capacity;
  private final DropCounts drops;
  private volatile String problem;
  private volatile long nextRetry;
  private volatile boolean writeFailed; // in this failing spell

  HeldResults(int capacity, DropCounts drops) {
    this.capacity = capacity;
    this.drops = drops;
  }

  /** The results held, oldest first; the publisher thread's. */
  Deque<ResultEvent> deque() {
    return held;
  }

  /** A write failed: storage counts as working again only once a write succeeds. */
  void writeFailed(String why) {
    writeFailed = true;
    failed(why);
  }

  /**
   * A read or delete failed: an idle retry may probe with a read ({@link #recoversByReading()}).
   */
  void failed(String why) {
    if (problem == null) {
      LOG.log(
          Level.ERROR,
          "MQTT store failing ({0}); results are kept in memory (up to mqtt.queue-capacity) and"
              + " sent live while the broker is up; retrying every second",
          why);
    }
    problem = why;
    nextRetry = System.nanoTime() + RETRY_NANOS;
  }

  /** The store took writes again. */
  void recovered(Object file) {
    held.clear();
    writeFailed = false;
    LOG.log(Level.INFO, "MQTT store {0} works again", file);
    problem = null;
  }

  /**
   * Whether a successful read shows the store works again: no write failed in this spell (a full
   * disk still reads).
   */
  boolean recoversByReading() {
    return problem != null && !writeFailed;
  }

  /** Why the store refuses writes now, or empty when it works. */
  Optional<String> problem() {
    return Optional.ofNullable(problem);
  }

  /** Whether storage fails and the next retry is not due yet. */
  boolean waiting() {
    return problem != null && System.nanoTime() - nextRetry < 0;
  }

  /** Holds {@code events}, dropping the oldest beyond the capacity (reason storage). */
  void hold(List<ResultEvent> events) {
    held.addAll(events);
    long over = held.size() - (long) capacity;
    for (long i = 0; i < over; i++) {
      held.pollFirst();
    }
    if (over > 0) {
      drops.add(Reason.STORAGE, over);
    }
  }
}
