package dev.offramp.runtime.bundle;

/**
 * A bundle update that was refused; the message says what was expected, what was found and what to
 * do. The running bundle is untouched.
 */
public final class BundleUpdateException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public BundleUpdateException(String message) {
    super(message);
  }

  public BundleUpdateException(String message, Throwable cause) {
    super(message, cause);
  }
}
