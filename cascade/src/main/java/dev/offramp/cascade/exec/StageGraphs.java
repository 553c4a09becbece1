package dev.offramp.cascade.exec;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import dev.offramp.cascade.bundle.BundleException;
import dev.offramp.cascade.bundle.StageSpec;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.Map;

/**
 * Checks, made once when a {@link CascadeExecutor} opens, that a stage graph has the tensors its
 * manifest entry names, of the right type and size; plus the direct buffers the executor pins
 * outputs into. Stateless; holds no native object (the sessions and results passed in stay the
 * caller's).
 */
final class StageGraphs {
  private StageGraphs() {}

  /** A direct float buffer in native order, as ONNX Runtime writes pinned outputs into. */
  static FloatBuffer direct(int floats) {
    return ByteBuffer.allocateDirect(floats * Float.BYTES)
        .order(ByteOrder.nativeOrder())
        .asFloatBuffer();
  }

  /** Number of elements of a tensor of that shape. */
  static long elements(long[] shape) {
    return Arrays.stream(shape).reduce(1, (a, b) -> a * b);
  }

  /**
   * The stage's one input is the manifest's {@code input}, its outputs include {@code probs} and
   * {@code features}; for stage 0, {@code inputShape} (the manifest's) fits the declared shape.
   */
  static void checkGraph(int k, StageSpec stage, OrtSession session, long[] inputShape)
      throws OrtException {
    Map<String, NodeInfo> inputs = session.getInputInfo();
    if (inputs.size() != 1 || !inputs.containsKey(stage.input())) {
      throw new BundleException(
          "stages["
              + k
              + "].input: the manifest names '"
              + stage.input()
              + "' but "
              + stage.file()
              + " has inputs "
              + inputs.keySet());
    }
    if (k == 0 && inputs.get(stage.input()).getInfo() instanceof TensorInfo info) {
      long[] declared = info.getShape();
      boolean compatible = declared.length == inputShape.length;
      for (int i = 0; compatible && i < declared.length; i++) {
        compatible = declared[i] < 0 || declared[i] == inputShape[i];
      }
      if (!compatible) {
        throw new BundleException(
            "input.shape: "
                + Arrays.toString(inputShape)
                + " does not fit stage 0's input '"
                + stage.input()
                + "' declared as "
                + Arrays.toString(declared));
      }
    }
    var outputs = session.getOutputNames();
    if (!outputs.contains(stage.probs())) {
      throw new BundleException(
          "stages["
              + k
              + "].probs: '"
              + stage.probs()
              + "' is not an output of "
              + stage.file()
              + "; it has "
              + outputs);
    }
    if (stage.features().isPresent() && !outputs.contains(stage.features().get())) {
      throw new BundleException(
          "stages["
              + k
              + "].features: '"
              + stage.features().get()
              + "' is not an output of "
              + stage.file()
              + "; it has "
              + outputs);
    }
  }

  /** The {@code probs} output of a warm-up run is float32 with one value per class. */
  static void checkProbs(OrtSession.Result warm, int k, StageSpec stage, int classes, String what)
      throws OrtException {
    long[] probShape = tensorShape(warm, stage.probs(), what);
    if (warm.get(stage.probs()).orElseThrow() instanceof OnnxTensor t
        && t.getInfo().type != OnnxJavaType.FLOAT) {
      throw new BundleException(
          "stages["
              + k
              + "].probs: tensor '"
              + stage.probs()
              + "' is "
              + t.getInfo().type
              + ", expected FLOAT (float32 probabilities); export the exit head with a float32"
              + " softmax output");
    }
    if (elements(probShape) != classes) {
      throw new BundleException(
          "stages["
              + k
              + "].probs: tensor '"
              + stage.probs()
              + "' has shape "
              + Arrays.toString(probShape)
              + ", expected "
              + classes
              + " probabilities (one per class in manifest.classes)");
    }
  }

  /** The shape of a named output of a run. */
  static long[] tensorShape(OrtSession.Result result, String name, String what)
      throws OrtException {
    OnnxValue v =
        result
            .get(name)
            .orElseThrow(() -> new ExecutionException(what + ": no output named '" + name + "'"));
    if (!(v instanceof OnnxTensor t)) {
      throw new ExecutionException(what + ": output '" + name + "' is not a tensor");
    }
    return t.getInfo().getShape();
  }
}
