package dev.offramp.runtime.capture;

/**
 * A source that opens but can only yield frames capture must skip (e.g. every frame over {@code
 * source.max-pixels}). Capture reports it as {@code error} and retries with backoff, like a lost
 * source, since the source may be reconfigured while the daemon runs.
 */
final class BadSourceException extends CaptureException {
  BadSourceException(String message, Throwable cause) {
    super(message, cause);
  }
}
