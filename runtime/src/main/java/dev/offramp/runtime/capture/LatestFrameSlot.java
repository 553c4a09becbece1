package dev.offramp.runtime.capture;

import java.util.Objects;
import java.util.Optional;

/**
 * A one-frame mailbox between the capture thread and the pipeline thread. Capture {@link #publish
 * publishes} the newest frame; a frame not taken before the next one arrives is overwritten and
 * counted as dropped. For finite sources (files) capture may instead wait until the frame is taken,
 * so every frame is classified. Thread-safe; copies pixels in and out of one internal buffer, so
 * neither side ever allocates.
 *
 * <p>Capture time: a frame published without waiting (a live source) keeps the time the capture
 * thread read it; time it then spends in the slot is real latency, since the scene has moved on. A
 * frame published by a waiting (finite) source is stamped when it is taken: a file is decoded ahead
 * and then waits for its turn (a {@code max-fps} pace, the frame before it), and that wait is the
 * source's pace, not the frame's latency; a file frame is "captured" when it is read for use.
 */
public final class LatestFrameSlot {
  private final FrameFormat format;
  private final byte[] pixels;
  private long captureEpochMs;
  private long captureNanos;
  private long frameIndex;
  private boolean full;
  private boolean stampOnTake;
  private boolean ended;
  private Optional<String> endError = Optional.empty();
  private long droppedSinceTake;
  private long droppedTotal;
  private final SkippedFrames skipped = new SkippedFrames();
  private volatile Runnable doorbell = () -> {};

  public LatestFrameSlot(FrameFormat format) {
    this.format = format;
    this.pixels = new byte[format.bytes()];
  }

  public FrameFormat format() {
    return format;
  }

  /**
   * Rings {@code doorbell} whenever a frame arrives or the slot ends, so one consumer can wait on
   * several slots ({@link FrameFeeds}). It runs under this slot's lock: it must not take it again.
   */
  public void setDoorbell(Runnable doorbell) {
    this.doorbell = Objects.requireNonNull(doorbell, "doorbell");
  }

  /**
   * Puts a frame in the slot, overwriting (and counting) an untaken one unless {@code waitForTake},
   * in which case it first waits until the previous frame is taken or the slot ends.
   *
   * @param frame pixels in the slot's format
   * @param epochMs capture time, epoch milliseconds; ignored when {@code waitForTake} (see the
   *     class comment: such a frame is stamped when taken)
   * @param nanos capture time on the {@link System#nanoTime()} clock; ignored likewise
   * @param index the frame's position in its source
   * @param waitForTake a finite source: wait for the previous frame to be taken, stamp at take
   * @return false when the slot has ended (nothing was published)
   */
  public synchronized boolean publish(
      byte[] frame, long epochMs, long nanos, long index, boolean waitForTake)
      throws InterruptedException {
    if (frame.length != pixels.length) {
      throw new IllegalArgumentException(
          "frame has " + frame.length + " bytes, expected " + pixels.length + " for " + format);
    }
    while (waitForTake && full && !ended) {
      wait();
    }
    if (ended) {
      return false;
    }
    if (full) {
      droppedSinceTake++;
      droppedTotal++;
    }
    System.arraycopy(frame, 0, pixels, 0, pixels.length);
    captureEpochMs = epochMs;
    captureNanos = nanos;
    frameIndex = index;
    stampOnTake = waitForTake;
    full = true;
    notifyAll();
    doorbell.run();
    return true;
  }

  /**
   * Takes the newest frame into {@code dst}, waiting up to {@code timeoutMs} for one.
   *
   * @return true when a frame was taken; false on time-out or when the slot has ended and is empty
   */
  public synchronized boolean take(CapturedFrame dst, long timeoutMs) throws InterruptedException {
    long deadline = System.nanoTime() + timeoutMs * 1_000_000L;
    while (!full && !ended) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return false;
      }
      wait(Math.max(1, left / 1_000_000L));
    }
    if (!full) {
      return false;
    }
    if (stampOnTake) {
      dst.captureEpochMs = System.currentTimeMillis();
      dst.captureNanos = System.nanoTime();
    } else {
      dst.captureEpochMs = captureEpochMs;
      dst.captureNanos = captureNanos;
    }
    System.arraycopy(pixels, 0, dst.pixels, 0, pixels.length);
    dst.frameIndex = frameIndex;
    dst.droppedBefore = droppedSinceTake;
    droppedSinceTake = 0;
    full = false;
    notifyAll();
    return true;
  }

  /** Forgets frames dropped so far (e.g. while the pipeline was paused). */
  public synchronized void resetDropped() {
    droppedSinceTake = 0;
  }

  /** Marks the end of the stream: no more frames; a waiting take or publish returns. */
  public synchronized void end(Optional<String> error) {
    if (!ended) {
      ended = true;
      endError = error;
      notifyAll();
      doorbell.run();
    }
  }

  /** Whether a frame waits to be taken. */
  public synchronized boolean holdsFrame() {
    return full;
  }

  /** Whether the stream has ended and the last frame was taken. */
  public synchronized boolean drained() {
    return ended && !full;
  }

  /** Why the stream ended, when it ended on an error. */
  public synchronized Optional<String> endError() {
    return endError;
  }

  /** Frames the source yielded that capture skipped (undecodable, too large), by reason. */
  public SkippedFrames skipped() {
    return skipped;
  }

  /** Frames overwritten since start. */
  public synchronized long droppedTotal() {
    return droppedTotal;
  }
}
