package dev.offramp.exporter.split;

/** A requested cut that cannot be made; the message names the tensor and what to do instead. */
public class CutException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public CutException(String message) {
    super(message);
  }
}
