package dev.offramp.runtime.capture;

import java.util.Objects;

/**
 * One frame of a source could not be used; the source itself is fine and the next {@link
 * FrameSource#next()} reads the next frame. Capture counts it in {@link SkippedFrames} and goes on.
 */
final class FrameSkippedException extends CaptureException {
  private final SkippedFrames.Reason reason;

  FrameSkippedException(SkippedFrames.Reason reason, String message) {
    super(message);
    this.reason = Objects.requireNonNull(reason, "reason");
  }

  FrameSkippedException(SkippedFrames.Reason reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = Objects.requireNonNull(reason, "reason");
  }

  SkippedFrames.Reason reason() {
    return reason;
  }
}
