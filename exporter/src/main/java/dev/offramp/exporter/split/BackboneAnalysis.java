package dev.offramp.exporter.split;

import dev.offramp.exporter.graph.InputShapes;
import dev.offramp.exporter.graph.MacCounter;
import dev.offramp.exporter.graph.MacReport;
import dev.offramp.exporter.graph.Node;
import dev.offramp.exporter.graph.OnnxGraph;
import dev.offramp.exporter.graph.ShapeProbe;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Everything {@code inspect}, {@code split} and {@code build} need to know about a backbone at one
 * input shape: valid cuts, tensor shapes, MACs per node and at each candidate, and the automatic
 * cut choice.
 *
 * <p>Immutable and thread-safe. Building one runs the model once in ONNX Runtime (the shape probe).
 */
public final class BackboneAnalysis {
  /** How many cuts the MAC-spaced fallback of {@link #autoCuts()} makes. */
  public static final int EVENLY_SPACED_CUTS = 3;

  private final OnnxGraph graph;
  private final CutAnalysis cuts;
  private final Map<String, List<Long>> inputShapes;
  private final Map<String, List<Long>> shapes;
  private final MacReport macs;
  private final List<CutCandidate> candidates;
  private final List<String> autoCuts;

  private BackboneAnalysis(
      OnnxGraph graph, Optional<List<Long>> inputShape, InputShapes.ShapeFlag flag) {
    this.graph = graph;
    this.cuts = CutAnalysis.of(graph);
    this.inputShapes = Map.copyOf(InputShapes.resolve(graph, inputShape, flag));
    Set<String> probe = new LinkedHashSet<>(cuts.validCuts());
    probe.addAll(MacCounter.tensorsNeeded(graph));
    this.shapes = Map.copyOf(ShapeProbe.probe(graph, inputShapes, probe));
    this.macs = MacCounter.count(graph, shapes);
    List<CutCandidate> list = new ArrayList<>();
    for (String t : cuts.candidates()) {
      long cum = cumulativeMacs(t);
      Node p = graph.producer(t).orElseThrow();
      list.add(
          new CutCandidate(
              t,
              shapes.getOrDefault(t, List.of()),
              cum,
              macs.total() == 0 ? 0 : (double) cum / macs.total(),
              p.displayName(),
              p.opType()));
    }
    this.candidates = List.copyOf(list);
    this.autoCuts = List.copyOf(chooseAutoCuts());
  }

  /**
   * Analyses {@code graph}.
   *
   * @param inputShape the shape of the single input; empty to use the declared one (a symbolic
   *     batch becomes 1; other symbolic dimensions are an error asking for a shape)
   * @throws IllegalArgumentException when the input shape is missing or does not fit
   * @throws dev.offramp.exporter.graph.OnnxModelException when ONNX Runtime cannot run the model
   */
  public static BackboneAnalysis analyze(OnnxGraph graph, Optional<List<Long>> inputShape) {
    return new BackboneAnalysis(graph, inputShape, InputShapes.ShapeFlag.INPUT_SHAPE);
  }

  /** {@link #analyze(OnnxGraph, Optional)} for a command whose shape flag is {@code flag}. */
  public static BackboneAnalysis analyze(
      OnnxGraph graph, Optional<List<Long>> inputShape, InputShapes.ShapeFlag flag) {
    return new BackboneAnalysis(graph, inputShape, flag);
  }

  public OnnxGraph graph() {
    return graph;
  }

  /** The cut structure (shape-independent). */
  public CutAnalysis cuts() {
    return cuts;
  }

  /** The concrete input shapes analysed. */
  public Map<String, List<Long>> inputShapes() {
    return inputShapes;
  }

  /** Shapes of the inputs, outputs, valid cuts and MAC-relevant tensors. */
  public Map<String, List<Long>> shapes() {
    return shapes;
  }

  /** MACs per node. */
  public MacReport macs() {
    return macs;
  }

  /** Total MACs of the backbone at {@link #inputShapes()}. */
  public long totalMacs() {
    return macs.total();
  }

  /** The proposed cuts ({@link CutAnalysis#candidates()}) with shapes and cumulative MACs. */
  public List<CutCandidate> candidates() {
    return candidates;
  }

  /**
   * The cuts {@code --cuts auto} makes: the end of every residual stage but the last, or, when the
   * backbone has fewer than two stages, up to {@value #EVENLY_SPACED_CUTS} candidates closest to
   * evenly spaced MAC fractions. Empty only when there is no interior cut.
   */
  public List<String> autoCuts() {
    return autoCuts;
  }

  /** MACs of every node up to and including the producer of the valid cut {@code cut}. */
  public long cumulativeMacs(String cut) {
    return sum(cuts.nodesUpTo(cut));
  }

  /**
   * Parses a {@code --cuts} value: {@code auto}, or comma-separated tensor names.
   *
   * @return the valid cuts in topological order
   * @throws CutException when the model has no interior cut or a name is not a valid cut
   */
  public List<String> resolveCuts(String spec) {
    cuts.requireInteriorCut();
    if (spec.strip().equals("auto")) {
      return autoCuts;
    }
    List<String> names =
        Arrays.stream(spec.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
    return cuts.resolve(names);
  }

  long sum(BitSet nodes) {
    long total = 0;
    for (int i = nodes.nextSetBit(0); i >= 0; i = nodes.nextSetBit(i + 1)) {
      total += macs.node(i);
    }
    return total;
  }

  private List<String> chooseAutoCuts() {
    if (candidates.isEmpty()) {
      return List.of();
    }
    List<String> stageEnds = residualStageEnds();
    if (stageEnds.size() >= 2) {
      return stageEnds.subList(0, stageEnds.size() - 1);
    }
    List<String> chosen = new ArrayList<>();
    int k = Math.min(EVENLY_SPACED_CUTS, candidates.size());
    for (int i = 1; i <= k; i++) {
      double target = (double) i / (k + 1);
      CutCandidate best = null;
      for (CutCandidate c : candidates) {
        if (chosen.contains(c.tensor())) {
          continue;
        }
        if (best == null
            || Math.abs(c.cumulativeMacsFraction() - target)
                < Math.abs(best.cumulativeMacsFraction() - target)) {
          best = c;
        }
      }
      if (best != null) {
        chosen.add(best.tensor());
      }
    }
    return cuts.resolve(chosen);
  }

  /**
   * A candidate is a block output when the nodes between it and the previous candidate merge two
   * dynamic tensors (a residual Add, an SE Mul, a Concat). A residual stage is a run of consecutive
   * block outputs of equal per-sample shape; its end is the last of the run.
   */
  private List<String> residualStageEnds() {
    List<String> ends = new ArrayList<>();
    BitSet previous = new BitSet();
    List<Long> runShape = null;
    String runEnd = null;
    for (CutCandidate c : candidates) {
      BitSet segment = cuts.nodesUpTo(c.tensor());
      segment.andNot(previous);
      previous = cuts.nodesUpTo(c.tensor());
      boolean block = false;
      for (int i = segment.nextSetBit(0); i >= 0; i = segment.nextSetBit(i + 1)) {
        if (cuts.dynamicInputs(graph.nodes().get(i)).size() >= 2) {
          block = true;
          break;
        }
      }
      List<Long> shape = c.shape().isEmpty() ? List.of() : c.shape().subList(1, c.shape().size());
      if (block && shape.equals(runShape)) {
        runEnd = c.tensor();
        continue;
      }
      if (runEnd != null) {
        ends.add(runEnd);
      }
      runEnd = block ? c.tensor() : null;
      runShape = block ? shape : null;
    }
    if (runEnd != null) {
      ends.add(runEnd);
    }
    return ends;
  }
}
