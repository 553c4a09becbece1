package dev.offramp.exporter.graph;

/** A file or model that offramp cannot read as an ONNX backbone; the message says why. */
public class OnnxModelException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public OnnxModelException(String message) {
    super(message);
  }

  public OnnxModelException(String message, Throwable cause) {
    super(message, cause);
  }
}
