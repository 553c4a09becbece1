package dev.offramp.exporter.verify;

/** A stage directory or bundle that cannot be checked against its backbone; says why. */
public class VerificationException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public VerificationException(String message) {
    super(message);
  }

  public VerificationException(String message, Throwable cause) {
    super(message, cause);
  }
}
