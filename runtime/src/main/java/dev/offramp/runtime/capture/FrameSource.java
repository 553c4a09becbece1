package dev.offramp.runtime.capture;

/**
 * One opened source, read on the capture thread only. Owns its native handles; {@link #close()} is
 * idempotent.
 */
interface FrameSource extends AutoCloseable {
  /**
   * Reads the next image.
   *
   * @return false at the end of the stream
   * @throws CaptureException when the source fails (lost camera, network error)
   */
  boolean next();

  /**
   * The image read by the last successful {@link #next()}: gray, BGR or BGRA, owned by the source
   * and valid until its next {@link #next()}.
   */
  Picture image();

  @Override
  void close();
}
