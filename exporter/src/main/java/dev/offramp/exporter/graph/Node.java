package dev.offramp.exporter.graph;

import ai.onnx.proto.OnnxMl.NodeProto;
import java.util.List;
import java.util.Objects;

/**
 * One node of an {@link OnnxGraph}: its position in topological order and its tensor names.
 * Optional inputs that the model leaves out are kept as empty strings, as in ONNX.
 *
 * @param index position in {@link OnnxGraph#nodes()} (topological order)
 * @param name the node's name; may be empty in the file, see {@link #displayName()}
 * @param opType the operator, e.g. {@code Conv}
 * @param domain the operator set domain; empty for the default ONNX domain
 * @param inputs input tensor names, in order
 * @param outputs output tensor names, in order
 * @param proto the node as stored in the model
 */
public record Node(
    int index,
    String name,
    String opType,
    String domain,
    List<String> inputs,
    List<String> outputs,
    NodeProto proto) {

  public Node {
    if (index < 0) {
      throw new IllegalArgumentException("node index must be >= 0, got " + index);
    }
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(opType, "opType");
    Objects.requireNonNull(domain, "domain");
    inputs = List.copyOf(inputs);
    outputs = List.copyOf(outputs);
    Objects.requireNonNull(proto, "proto");
  }

  /** The node's name, or {@code OpType#index} when the model leaves it unnamed. */
  public String displayName() {
    return name.isEmpty() ? opType + "#" + index : name;
  }

  /** Whether this node uses the default ONNX operator set (not a custom domain). */
  public boolean isDefaultDomain() {
    return domain.isEmpty() || domain.equals("ai.onnx");
  }
}
