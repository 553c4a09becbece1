package dev.offramp.cascade.exec;

/** ONNX Runtime failed on a stage; the message names the stage, the file and the tensor. */
public final class ExecutionException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public ExecutionException(String message, Throwable cause) {
    super(message, cause);
  }

  public ExecutionException(String message) {
    super(message);
  }
}
