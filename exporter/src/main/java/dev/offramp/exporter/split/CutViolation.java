package dev.offramp.exporter.split;

import java.util.Objects;

/**
 * Why a tensor is not a valid cut: a node after the cut reads a dynamic tensor computed before it
 * (or a graph output is computed before it).
 *
 * @param cut the tensor proposed as a cut
 * @param node the node after the cut that needs the other tensor (or "graph output")
 * @param opType the op of {@code node}; empty for a graph output
 * @param tensor the tensor from before the cut that bypasses it
 */
public record CutViolation(String cut, String node, String opType, String tensor) {
  public CutViolation {
    Objects.requireNonNull(cut, "cut");
    Objects.requireNonNull(node, "node");
    Objects.requireNonNull(opType, "opType");
    Objects.requireNonNull(tensor, "tensor");
  }

  /** A one-sentence explanation for users. */
  public String explain() {
    if (opType.isEmpty()) {
      return "'"
          + cut
          + "' is not a valid cut: graph output '"
          + tensor
          + "' is computed before it, so a later stage could not return it.";
    }
    return "'"
        + cut
        + "' is not a valid cut: node '"
        + node
        + "' ("
        + opType
        + ") after it also needs tensor '"
        + tensor
        + "', which is computed before the cut (a skip connection bypasses '"
        + cut
        + "'). Cut after the block that merges the skip instead.";
  }
}
