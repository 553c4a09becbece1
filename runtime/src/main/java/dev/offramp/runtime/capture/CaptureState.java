package dev.offramp.runtime.capture;

import java.util.Objects;
import java.util.Optional;

/**
 * Capture state as published (retained) on {@code <prefix>/<camera>/status}.
 *
 * @param state online, offline, reconnecting, or error (the source opens but yields only frames
 *     that are skipped; it is retried with backoff)
 * @param sinceEpochMs when this state began
 * @param error the last error, when there is one
 */
public record CaptureState(State state, long sinceEpochMs, Optional<String> error) {
  /** Source states; the JSON form is the lower-case name. */
  public enum State {
    ONLINE,
    OFFLINE,
    RECONNECTING,
    ERROR
  }

  public CaptureState {
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(error, "error");
  }
}
