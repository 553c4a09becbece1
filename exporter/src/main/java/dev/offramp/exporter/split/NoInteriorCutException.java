package dev.offramp.exporter.split;

/** The backbone has no tensor that carries all state from its first layers to its last. */
public class NoInteriorCutException extends CutException {
  private static final long serialVersionUID = 1L;

  public NoInteriorCutException(String message) {
    super(message);
  }
}
