package dev.offramp.exporter.data;

/**
 * A dataset that cannot be used: missing, empty, malformed, or not matching the backbone. A user
 * error (hence an {@link IllegalArgumentException}): the command line names the dataset.
 */
public final class DatasetException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  /** Creates the exception with a message saying what was expected, found, and the fix. */
  public DatasetException(String message) {
    super(message);
  }

  /** Creates the exception keeping the cause. */
  public DatasetException(String message, Throwable cause) {
    super(message, cause);
  }
}
