package dev.offramp.exporter.graph;

import java.util.List;

/**
 * Multiply-accumulate counts of a graph at one input shape.
 *
 * @param perNode MACs of each node, indexed like {@link OnnxGraph#nodes()}
 * @param total the sum of {@code perNode}
 * @param uncountedOps op types (sorted, distinct) that cost compute but that the counter does not
 *     model; they were counted as 0, so {@code total} is a lower bound when this is not empty
 */
public record MacReport(List<Long> perNode, long total, List<String> uncountedOps) {
  public MacReport {
    perNode = List.copyOf(perNode);
    uncountedOps = List.copyOf(uncountedOps);
    long sum = 0;
    for (long m : perNode) {
      if (m < 0) {
        throw new IllegalArgumentException("node MACs must be >= 0, found " + m);
      }
      sum += m;
    }
    if (sum != total) {
      throw new IllegalArgumentException("total " + total + " != sum of node MACs " + sum);
    }
  }

  /** MACs of the node at {@code index}. */
  public long node(int index) {
    return perNode.get(index);
  }
}
