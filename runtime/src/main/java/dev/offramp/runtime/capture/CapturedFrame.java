package dev.offramp.runtime.capture;

/**
 * A reusable frame buffer the consumer owns and {@link LatestFrameSlot#take} fills: pixels in the
 * capture's {@link FrameFormat}, plus when the frame was captured. Not thread-safe; one per
 * consumer thread, reused for every frame so the hot path allocates nothing.
 */
public final class CapturedFrame {
  final byte[] pixels;
  long captureEpochMs;
  long captureNanos;
  long frameIndex;
  long droppedBefore;

  public CapturedFrame(FrameFormat format) {
    this.pixels = new byte[format.bytes()];
  }

  /** Interleaved HWC pixels; owned by this frame, overwritten by the next take. */
  public byte[] pixels() {
    return pixels;
  }

  /**
   * Capture time, epoch milliseconds: when a live source's frame was read, or when a file's frame
   * was taken for classification (see {@link LatestFrameSlot}).
   */
  public long captureEpochMs() {
    return captureEpochMs;
  }

  /** {@link #captureEpochMs()} on the {@link System#nanoTime()} clock, for latencies. */
  public long captureNanos() {
    return captureNanos;
  }

  /**
   * Position of the frame in its source, counting from 0 (restarting at 0 when a file loops); for a
   * live source, frames captured since start.
   */
  public long frameIndex() {
    return frameIndex;
  }

  /** Frames overwritten in the slot, never classified, since the previous take. */
  public long droppedBefore() {
    return droppedBefore;
  }
}
