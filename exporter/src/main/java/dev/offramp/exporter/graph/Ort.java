package dev.offramp.exporter.graph;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.offramp.cascade.exec.OrtRuntime;

/**
 * The process-wide ONNX Runtime environment and session creation with errors that name the graph.
 *
 * <p>The environment lives for the process and is never closed; each session returned belongs to
 * the caller, who closes it.
 */
public final class Ort {
  private Ort() {}

  /** The one ONNX Runtime environment of this process. */
  public static OrtEnvironment env() {
    return OrtRuntime.environment();
  }

  /**
   * Loads a serialized model into a new CPU session.
   *
   * @param what names the model in the error message (a file or "stage 2 of …")
   * @throws OnnxModelException when ONNX Runtime refuses the model
   */
  public static OrtSession session(byte[] model, String what) {
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
      options.setIntraOpNumThreads(Math.min(4, Runtime.getRuntime().availableProcessors()));
      return env().createSession(model, options);
    } catch (OrtException e) {
      throw new OnnxModelException("ONNX Runtime cannot load " + what + ": " + e.getMessage(), e);
    }
  }
}
