package dev.offramp.exporter.split;

import ai.onnx.proto.OnnxMl.ModelProto;
import java.util.List;
import java.util.Objects;

/**
 * One stage of a split backbone.
 *
 * @param index 0 for the first stage
 * @param model the stage as a complete ONNX model (opset, IR version and provenance set)
 * @param inputs the tensors it is fed: the backbone's inputs for stage 0, else the previous cut
 * @param outputs what it returns: its cut, or for the last stage the backbone's outputs
 * @param macs MACs of its nodes at the analysed input shape
 */
public record StageGraph(
    int index, ModelProto model, List<String> inputs, List<String> outputs, long macs) {
  public StageGraph {
    if (index < 0) {
      throw new IllegalArgumentException("stage index must be >= 0, got " + index);
    }
    Objects.requireNonNull(model, "model");
    inputs = List.copyOf(inputs);
    outputs = List.copyOf(outputs);
    if (inputs.isEmpty() || outputs.isEmpty()) {
      throw new IllegalArgumentException("stage " + index + " needs inputs and outputs");
    }
    if (macs < 0) {
      throw new IllegalArgumentException("stage MACs must be >= 0, got " + macs);
    }
  }

  /** The single input of a stage after the first (the previous cut), or stage 0's first input. */
  public String input() {
    return inputs.get(0);
  }

  /** The first output: the stage's cut, or the backbone's first output for the last stage. */
  public String output() {
    return outputs.get(0);
  }

  /** The conventional file name, {@code stage-<index>.onnx}. */
  public String fileName() {
    return "stage-" + index + ".onnx";
  }
}
