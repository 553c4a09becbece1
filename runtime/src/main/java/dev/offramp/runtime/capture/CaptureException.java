package dev.offramp.runtime.capture;

/**
 * A source could not be opened or read. The message names the source and, where there is one, what
 * to check; the cause is the JavaCV or I/O exception.
 */
public class CaptureException extends RuntimeException {
  public CaptureException(String message) {
    super(message);
  }

  public CaptureException(String message, Throwable cause) {
    super(message, cause);
  }
}
