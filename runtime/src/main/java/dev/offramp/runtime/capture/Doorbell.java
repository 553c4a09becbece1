package dev.offramp.runtime.capture;

/**
 * What several frame slots ring when a frame arrives or a stream ends, so their one consumer
 * ({@link FrameFeeds}) can sleep until any of them has news. Thread-safe.
 */
final class Doorbell {
  private long rings;

  /** Rings: wakes a waiting consumer. */
  synchronized void ring() {
    rings++;
    notifyAll();
  }

  /** The rings so far, to wait on with {@link #awaitAfter}. */
  synchronized long rings() {
    return rings;
  }

  /**
   * Waits until it rings after {@code seen} rings, or until {@code deadlineNanos} ({@link
   * System#nanoTime()}), whichever comes first.
   */
  synchronized void awaitAfter(long seen, long deadlineNanos) throws InterruptedException {
    while (rings == seen) {
      long left = deadlineNanos - System.nanoTime();
      if (left <= 0) {
        return;
      }
      wait(Math.max(1, left / 1_000_000L));
    }
  }
}
