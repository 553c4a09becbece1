package dev.offramp.exporter.split;

import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.StringStringEntryProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import dev.offramp.exporter.graph.InputShapes;
import dev.offramp.exporter.graph.Node;
import dev.offramp.exporter.graph.OnnxGraph;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Cuts a backbone into stage graphs that, chained, compute what the backbone computes. See the
 * package documentation for the contract of the stages.
 *
 * <p>Stateless and thread-safe.
 */
public final class GraphSplitter {
  /** Metadata key of the offramp version that wrote a stage. */
  public static final String META_TOOL_VERSION = "offramp.tool_version";

  /** Metadata key of the SHA-256 of the backbone file a stage was cut from. */
  public static final String META_SOURCE_SHA256 = "offramp.source_sha256";

  /** Metadata key of the comma-separated cuts of the split a stage belongs to. */
  public static final String META_CUTS = "offramp.cuts";

  /** Metadata key of the stage's index, e.g. {@code 1/4}. */
  public static final String META_STAGE = "offramp.stage";

  private GraphSplitter() {}

  /**
   * Splits the backbone at {@code cuts} (validated and put in topological order first), giving
   * {@code cuts.size() + 1} stages.
   *
   * @throws CutException when a cut is unknown or invalid, or the model has no interior cut
   */
  public static List<StageGraph> split(BackboneAnalysis analysis, List<String> cuts) {
    CutAnalysis ca = analysis.cuts();
    List<String> ordered = ca.resolve(cuts);
    OnnxGraph graph = analysis.graph();
    BitSet dynamic = ca.dynamicNodes();
    List<StageGraph> stages = new ArrayList<>();
    BitSet done = new BitSet();
    for (int k = 0; k <= ordered.size(); k++) {
      boolean last = k == ordered.size();
      BitSet upTo = last ? dynamic : ca.nodesUpTo(ordered.get(k));
      BitSet own = (BitSet) upTo.clone();
      own.andNot(done);
      done.or(upTo);
      List<ValueInfoProto> inputs =
          k == 0 ? graph.inputs() : List.of(cutInfo(analysis, ordered.get(k - 1)));
      List<ValueInfoProto> outputs =
          last ? graph.outputs() : List.of(cutInfo(analysis, ordered.get(k)));
      ModelProto model = stageModel(graph, k, ordered, own, inputs, outputs);
      stages.add(
          new StageGraph(
              k,
              model,
              inputs.stream().map(ValueInfoProto::getName).toList(),
              outputs.stream().map(ValueInfoProto::getName).toList(),
              analysis.sum(own)));
    }
    return List.copyOf(stages);
  }

  private static ModelProto stageModel(
      OnnxGraph graph,
      int k,
      List<String> cuts,
      BitSet own,
      List<ValueInfoProto> inputs,
      List<ValueInfoProto> outputs) {
    BitSet selected = withConstantProducers(graph, own);
    GraphProto source = graph.model().getGraph();
    GraphProto.Builder g =
        GraphProto.newBuilder()
            .setName(source.getName() + "_stage_" + k)
            .setDocString("stage " + k + " of " + (cuts.size() + 1) + " cut by offramp");
    Set<String> used = new LinkedHashSet<>();
    Set<String> produced = new LinkedHashSet<>();
    for (int i = selected.nextSetBit(0); i >= 0; i = selected.nextSetBit(i + 1)) {
      Node n = graph.nodes().get(i);
      g.addNode(n.proto());
      n.inputs().stream().filter(s -> !s.isEmpty()).forEach(used::add);
      produced.addAll(n.outputs());
    }
    g.addAllInput(inputs);
    if (graph.irVersion() < 4) {
      // Before IR 4 every initializer must also be listed as a graph input.
      for (ValueInfoProto in : source.getInputList()) {
        if (graph.initializers().containsKey(in.getName()) && used.contains(in.getName())) {
          g.addInput(in);
        }
      }
    }
    g.addAllOutput(outputs);
    for (TensorProto init : graph.initializers().values()) {
      if (used.contains(init.getName())) {
        g.addInitializer(init);
      }
    }
    Set<String> io = new LinkedHashSet<>();
    inputs.forEach(v -> io.add(v.getName()));
    outputs.forEach(v -> io.add(v.getName()));
    for (ValueInfoProto v : source.getValueInfoList()) {
      if (produced.contains(v.getName()) && !io.contains(v.getName())) {
        g.addValueInfo(v);
      }
    }
    ModelProto.Builder m = graph.model().toBuilder().setGraph(g).clearMetadataProps();
    for (StringStringEntryProto e : graph.model().getMetadataPropsList()) {
      if (!e.getKey().startsWith("offramp.")) {
        m.addMetadataProps(e);
      }
    }
    m.addMetadataProps(meta(META_TOOL_VERSION, ToolVersion.get()));
    m.addMetadataProps(meta(META_SOURCE_SHA256, graph.sha256()));
    m.addMetadataProps(meta(META_CUTS, String.join(",", cuts)));
    m.addMetadataProps(meta(META_STAGE, k + "/" + (cuts.size() + 1)));
    return m.build();
  }

  /** {@code own} plus every constant-computing node its nodes read from, transitively. */
  private static BitSet withConstantProducers(OnnxGraph graph, BitSet own) {
    BitSet selected = (BitSet) own.clone();
    Deque<Node> work = new ArrayDeque<>();
    for (int i = own.nextSetBit(0); i >= 0; i = own.nextSetBit(i + 1)) {
      work.push(graph.nodes().get(i));
    }
    while (!work.isEmpty()) {
      for (String in : work.pop().inputs()) {
        if (in.isEmpty() || !graph.isConstant(in)) {
          continue;
        }
        graph
            .producer(in)
            .filter(p -> !selected.get(p.index()))
            .ifPresent(
                p -> {
                  selected.set(p.index());
                  work.push(p);
                });
      }
    }
    return selected;
  }

  /**
   * The declared type of a cut tensor: the backbone's own value_info when it has one, else the
   * element type with the probed shape, where the batch dimension takes the input's symbolic name
   * and spatial dimensions stay unknown if the input's are symbolic.
   */
  private static ValueInfoProto cutInfo(BackboneAnalysis analysis, String cut) {
    OnnxGraph graph = analysis.graph();
    Optional<ValueInfoProto> declared = graph.valueInfo(cut);
    if (declared.isPresent()
        && declared.get().getType().hasTensorType()
        && declared.get().getType().getTensorType().hasShape()
        && declared.get().getType().getTensorType().getElemType() != 0) {
      return declared.get();
    }
    List<Object> inputDims = InputShapes.declaredDims(graph.inputs().get(0));
    boolean dynamicSpatial = inputDims.stream().skip(1).anyMatch(d -> !(d instanceof Long));
    TypeProto.Tensor.Builder t =
        TypeProto.Tensor.newBuilder()
            .setElemType(graph.elementType(cut).orElse(TensorProto.DataType.FLOAT_VALUE));
    List<Long> probed = analysis.shapes().get(cut);
    if (probed != null) {
      TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
      for (int i = 0; i < probed.size(); i++) {
        TensorShapeProto.Dimension.Builder d = TensorShapeProto.Dimension.newBuilder();
        if (i == 0 && !inputDims.isEmpty() && inputDims.get(0) instanceof String param) {
          d.setDimParam(param);
        } else if (!(dynamicSpatial && i >= 2)) {
          d.setDimValue(probed.get(i));
        }
        shape.addDim(d);
      }
      t.setShape(shape);
    }
    return ValueInfoProto.newBuilder()
        .setName(cut)
        .setType(TypeProto.newBuilder().setTensorType(t))
        .build();
  }

  private static StringStringEntryProto meta(String key, String value) {
    return StringStringEntryProto.newBuilder().setKey(key).setValue(value).build();
  }
}
