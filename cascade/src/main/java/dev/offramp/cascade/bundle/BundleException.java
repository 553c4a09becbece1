package dev.offramp.cascade.bundle;

/**
 * A bundle or manifest that cannot be used. The message names the file and field, what was
 * expected, what was found, and the fix when there is one.
 */
public final class BundleException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public BundleException(String message) {
    super(message);
  }

  public BundleException(String message, Throwable cause) {
    super(message, cause);
  }
}
