package dev.offramp.exporter.calibrate;

/** Calibration impossible with the samples given (e.g. too few to reach min-support anywhere). */
public final class CalibrationException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  /** Creates the exception with a message saying what was expected, found, and the fix. */
  public CalibrationException(String message) {
    super(message);
  }
}
