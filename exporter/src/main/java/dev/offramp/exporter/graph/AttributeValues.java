package dev.offramp.exporter.graph;

import ai.onnx.proto.OnnxMl.AttributeProto;

/** Reads node attributes with defaults. */
public final class AttributeValues {
  private AttributeValues() {}

  /** The integer attribute {@code name} of {@code node}, or {@code fallback} when absent. */
  public static long integer(Node node, String name, long fallback) {
    for (AttributeProto a : node.proto().getAttributeList()) {
      if (a.getName().equals(name)) {
        return a.getI();
      }
    }
    return fallback;
  }
}
