package dev.offramp.exporter.graph;

import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;

/**
 * Orders a graph's nodes so that every node comes after the producers of its inputs (Kahn's
 * algorithm; ties keep file order), refusing graphs with a cycle or an input nobody produces.
 * Stateless.
 */
final class TopologicalOrder {
  private TopologicalOrder() {}

  static List<Node> of(
      GraphProto g, Set<String> inits, List<ValueInfoProto> inputs, String source) {
    int n = g.getNodeCount();
    Set<String> available = new HashSet<>(inits);
    inputs.forEach(v -> available.add(v.getName()));
    Map<String, Integer> producerIndex = new HashMap<>();
    for (int i = 0; i < n; i++) {
      for (String out : g.getNode(i).getOutputList()) {
        if (!out.isEmpty() && producerIndex.put(out, i) != null) {
          throw new OnnxModelException(
              source + ": tensor '" + out + "' is produced by two nodes; the graph is malformed.");
        }
      }
    }
    int[] pending = new int[n];
    List<List<Integer>> dependents = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      dependents.add(new ArrayList<>());
    }
    for (int i = 0; i < n; i++) {
      NodeProto node = g.getNode(i);
      for (String in : new LinkedHashSet<>(node.getInputList())) {
        if (in.isEmpty() || available.contains(in)) {
          continue;
        }
        Integer p = producerIndex.get(in);
        if (p == null) {
          throw new OnnxModelException(
              source
                  + ": node '"
                  + node.getName()
                  + "' ("
                  + node.getOpType()
                  + ") reads tensor '"
                  + in
                  + "', which no node, input or initializer defines; the file is truncated or"
                  + " malformed.");
        }
        pending[i]++;
        dependents.get(p).add(i);
      }
    }
    PriorityQueue<Integer> ready = new PriorityQueue<>();
    for (int i = 0; i < n; i++) {
      if (pending[i] == 0) {
        ready.add(i);
      }
    }
    List<Node> order = new ArrayList<>(n);
    while (!ready.isEmpty()) {
      int i = ready.poll();
      NodeProto p = g.getNode(i);
      order.add(
          new Node(
              order.size(),
              p.getName(),
              p.getOpType(),
              p.getDomain(),
              p.getInputList(),
              p.getOutputList(),
              p));
      for (int d : dependents.get(i)) {
        if (--pending[d] == 0) {
          ready.add(d);
        }
      }
    }
    if (order.size() != n) {
      throw new OnnxModelException(
          source + ": the graph has a cycle; ONNX graphs must be acyclic.");
    }
    return List.copyOf(order);
  }
}
