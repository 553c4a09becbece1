package dev.offramp.exporter.split;

import dev.offramp.exporter.graph.Node;
import dev.offramp.exporter.graph.OnnxGraph;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Which tensors of a graph are valid cuts. See the package documentation for the definition and why
 * it is a dominator condition.
 *
 * <p>Immutable and thread-safe after {@link #of}. Cost: O(T·E) for T dynamic tensors and E edges, a
 * few milliseconds for a ResNet.
 */
public final class CutAnalysis {
  /** Ops that neither mix in other state nor cost compute: a cut just before one is redundant. */
  private static final Set<String> PASS_THROUGH =
      Set.of(
          "Relu",
          "LeakyRelu",
          "PRelu",
          "Clip",
          "Sigmoid",
          "Tanh",
          "HardSigmoid",
          "HardSwish",
          "Elu",
          "Selu",
          "Gelu",
          "Mish",
          "Softplus",
          "Erf",
          "BatchNormalization",
          "Identity",
          "Dropout",
          "Flatten",
          "Reshape",
          "Squeeze",
          "Unsqueeze",
          "Transpose",
          "Cast",
          "Add",
          "Sub",
          "Mul",
          "Div",
          "Pow",
          "Sqrt");

  private final OnnxGraph graph;
  private final BitSet dynamicNodes;
  private final BitSet[] ancestors;
  private final List<String> validCuts;
  private final List<String> candidates;
  private final Map<String, Integer> position;

  private CutAnalysis(OnnxGraph graph) {
    this.graph = graph;
    List<Node> nodes = graph.nodes();
    int n = nodes.size();
    BitSet live = liveNodes(graph);
    this.dynamicNodes = new BitSet(n);
    this.ancestors = new BitSet[n];
    for (Node node : nodes) {
      int i = node.index();
      if (!live.get(i) || graph.isConstantNode(node)) {
        continue;
      }
      dynamicNodes.set(i);
      BitSet anc = new BitSet(n);
      anc.set(i);
      for (String in : dynamicInputs(node)) {
        graph.producer(in).ifPresent(p -> anc.or(ancestors[p.index()]));
      }
      ancestors[i] = anc;
    }
    List<String> valid = new ArrayList<>();
    Map<String, Integer> pos = new HashMap<>();
    for (int i = dynamicNodes.nextSetBit(0); i >= 0; i = dynamicNodes.nextSetBit(i + 1)) {
      for (String out : nodes.get(i).outputs()) {
        if (!out.isEmpty()
            && !graph.isGraphOutput(out)
            && !graph.consumers(out).isEmpty()
            && findViolation(out, i).isEmpty()) {
          pos.put(out, valid.size());
          valid.add(out);
        }
      }
    }
    this.validCuts = List.copyOf(valid);
    this.position = Map.copyOf(pos);
    this.candidates = List.copyOf(dropPassThrough(valid));
  }

  /** Analyses {@code graph}. */
  public static CutAnalysis of(OnnxGraph graph) {
    return new CutAnalysis(graph);
  }

  /** The analysed graph. */
  public OnnxGraph graph() {
    return graph;
  }

  /** Every valid interior cut, in topological order. */
  public List<String> validCuts() {
    return validCuts;
  }

  /**
   * The valid cuts worth proposing: {@link #validCuts()} without a cut whose next valid cut is
   * produced from it by a single pass-through op (keep the last of a chain of elementwise or
   * reshaping ops: the output of {@code Relu}, not of the {@code Conv} before it).
   */
  public List<String> candidates() {
    return candidates;
  }

  /** Whether {@code tensor} is a valid interior cut. */
  public boolean isValidCut(String tensor) {
    return position.containsKey(tensor);
  }

  /**
   * Refuses a backbone without any interior cut, with the message {@code build} and {@code split}
   * show.
   *
   * @throws NoInteriorCutException when {@link #validCuts()} is empty
   */
  public void requireInteriorCut() {
    if (validCuts.isEmpty()) {
      throw new NoInteriorCutException(
          graph.source()
              + " has no interior cut: no single tensor carries everything the later layers need"
              + " (a skip connection or parallel branch spans the whole graph from "
              + graph.inputNames()
              + " to "
              + graph.outputNames()
              + "), so it cannot be split into stages with early exits. Use a backbone with a"
              + " sequential trunk of blocks, e.g. a ResNet.");
    }
  }

  /**
   * Validates user-given cut names and returns them in topological order.
   *
   * @throws CutException naming the first problem: an empty list, a duplicate, an unknown tensor
   *     (with the nearest candidates by edit distance), or a tensor that is not a valid cut (with
   *     the node that needs a tensor from before it)
   */
  public List<String> resolve(List<String> requested) {
    requireInteriorCut();
    if (requested.isEmpty()) {
      throw new CutException("no cuts given; pass --cuts auto or tensor names from inspect.");
    }
    Set<String> seen = new LinkedHashSet<>();
    for (String cut : requested) {
      if (!seen.add(cut)) {
        throw new CutException("cut '" + cut + "' is given twice; each cut must be distinct.");
      }
      explainInvalid(cut)
          .ifPresent(
              msg -> {
                throw new CutException(msg);
              });
    }
    List<String> ordered = new ArrayList<>(seen);
    ordered.sort(Comparator.comparingInt(position::get));
    return List.copyOf(ordered);
  }

  /** Why {@code tensor} cannot be a cut, or empty when it can. */
  public Optional<String> explainInvalid(String tensor) {
    if (isValidCut(tensor)) {
      return Optional.empty();
    }
    if (!graph.hasTensor(tensor)) {
      return Optional.of(
          "unknown cut tensor '"
              + tensor
              + "' in "
              + graph.source()
              + "; nearest candidates: "
              + String.join(", ", EditDistance.nearest(tensor, validCuts, 3))
              + ". Run `offramp inspect` to list them.");
    }
    if (graph.isGraphInput(tensor) || graph.isGraphOutput(tensor)) {
      return Optional.of(
          "'"
              + tensor
              + "' is the model's "
              + (graph.isGraphInput(tensor) ? "input" : "output")
              + "; a cut must be an interior tensor between them.");
    }
    if (graph.isConstant(tensor)) {
      return Optional.of(
          "'"
              + tensor
              + "' is a constant (initializer or Constant output), not an activation;"
              + " a cut must be a tensor computed from the input.");
    }
    Optional<Node> producer = graph.producer(tensor);
    if (producer.isEmpty() || !dynamicNodes.get(producer.get().index())) {
      return Optional.of("'" + tensor + "' is not used by the model's outputs (dead code).");
    }
    return findViolation(tensor, producer.get().index())
        .map(CutViolation::explain)
        .or(() -> Optional.of("'" + tensor + "' is read by no node; it cannot be a cut."));
  }

  /** The violation that makes {@code tensor} invalid, when it is a dynamic non-cut tensor. */
  public Optional<CutViolation> violation(String tensor) {
    return graph
        .producer(tensor)
        .filter(p -> dynamicNodes.get(p.index()))
        .flatMap(p -> findViolation(tensor, p.index()));
  }

  /**
   * Indices of the dynamic nodes computed up to and including {@code cut} (its ancestors), a fresh
   * copy. Constant and dead nodes are never included.
   */
  public BitSet nodesUpTo(String cut) {
    Node p =
        graph
            .producer(cut)
            .filter(x -> dynamicNodes.get(x.index()))
            .orElseThrow(
                () -> new IllegalArgumentException("'" + cut + "' is not a dynamic tensor"));
    return (BitSet) ancestors[p.index()].clone();
  }

  /** Indices of every live, non-constant node (a fresh copy). */
  public BitSet dynamicNodes() {
    return (BitSet) dynamicNodes.clone();
  }

  /** The dynamic (non-constant, non-empty) inputs of {@code node}, duplicates removed. */
  public List<String> dynamicInputs(Node node) {
    Set<String> out = new LinkedHashSet<>();
    for (String in : node.inputs()) {
      if (!in.isEmpty() && !graph.isConstant(in)) {
        out.add(in);
      }
    }
    return List.copyOf(out);
  }

  private Optional<CutViolation> findViolation(String cut, int producerIndex) {
    BitSet before = ancestors[producerIndex];
    for (String out : graph.outputNames()) {
      if (out.equals(cut)) {
        continue;
      }
      boolean early =
          graph.isGraphInput(out)
              || graph.producer(out).map(p -> before.get(p.index())).orElse(false);
      if (early) {
        return Optional.of(new CutViolation(cut, "graph output", "", out));
      }
    }
    for (int i = dynamicNodes.nextSetBit(0); i >= 0; i = dynamicNodes.nextSetBit(i + 1)) {
      if (before.get(i)) {
        continue;
      }
      Node after = graph.nodes().get(i);
      for (String in : dynamicInputs(after)) {
        if (in.equals(cut)) {
          continue;
        }
        boolean early =
            graph.isGraphInput(in)
                || graph.producer(in).map(p -> before.get(p.index())).orElse(false);
        if (early) {
          return Optional.of(new CutViolation(cut, after.displayName(), after.opType(), in));
        }
      }
    }
    return Optional.empty();
  }

  private List<String> dropPassThrough(List<String> valid) {
    List<String> kept = new ArrayList<>();
    for (int k = 0; k < valid.size(); k++) {
      String cut = valid.get(k);
      if (k + 1 < valid.size()) {
        Node next = graph.producer(valid.get(k + 1)).orElseThrow();
        if (next.isDefaultDomain()
            && PASS_THROUGH.contains(next.opType())
            && dynamicInputs(next).equals(List.of(cut))) {
          continue;
        }
      }
      kept.add(cut);
    }
    return kept;
  }

  private static BitSet liveNodes(OnnxGraph graph) {
    BitSet live = new BitSet(graph.nodes().size());
    Deque<String> work = new ArrayDeque<>(graph.outputNames());
    Set<String> seen = new HashSet<>(work);
    while (!work.isEmpty()) {
      graph
          .producer(work.pop())
          .ifPresent(
              p -> {
                live.set(p.index());
                for (String in : p.inputs()) {
                  if (!in.isEmpty() && seen.add(in)) {
                    work.push(in);
                  }
                }
              });
    }
    return live;
  }
}
