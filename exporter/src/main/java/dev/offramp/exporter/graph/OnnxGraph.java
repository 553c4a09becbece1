package dev.offramp.exporter.graph;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import com.google.protobuf.InvalidProtocolBufferException;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A read-only, typed view of an ONNX model: nodes in topological order, producers and consumers of
 * every tensor, initializers, {@code Constant} nodes and the operator set.
 *
 * <p>Immutable and thread-safe once built. It holds the {@link ModelProto} it was built from (which
 * is itself immutable) and hands it out unchanged; editing means building a new proto.
 *
 * <p><b>Constants.</b> A tensor is <em>constant</em> when it is an initializer, the output of a
 * {@code Constant} node, or the output of a deterministic node whose inputs are all constant
 * (constant folding the exporter did not do). Constant tensors never constrain a cut: whichever
 * stage needs one gets its own copy. Every other tensor is <em>dynamic</em>: it depends on a graph
 * input.
 */
public final class OnnxGraph {
  private static final System.Logger LOG = System.getLogger(OnnxGraph.class.getName());

  /** The default-domain opsets this tool is tested against (what PyTorch exporters emit). */
  public static final int MIN_TESTED_OPSET = 9;

  /** See {@link #MIN_TESTED_OPSET}. */
  public static final int MAX_TESTED_OPSET = 21;

  private static final Set<String> NON_DETERMINISTIC =
      Set.of(
          "RandomNormal", "RandomUniform", "RandomNormalLike", "RandomUniformLike", "Multinomial");

  private final ModelProto model;
  private final String source;
  private final String sha256;
  private final List<Node> nodes;
  private final Map<String, Node> producers;
  private final Map<String, List<Node>> consumers;
  private final Map<String, TensorProto> initializers;
  private final Map<String, ValueInfoProto> valueInfos;
  private final List<ValueInfoProto> inputs;
  private final List<ValueInfoProto> outputs;
  private final Set<String> constants;
  private final long opset;

  private OnnxGraph(ModelProto model, String source, String sha256) {
    this.model = model;
    this.source = source;
    this.sha256 = sha256;
    if (!model.hasGraph() || model.getGraph().getNodeCount() == 0) {
      throw new OnnxModelException(
          source
              + " is not an ONNX model (or is truncated): expected a ModelProto with a graph of"
              + " nodes, found "
              + (model.hasGraph() ? "a graph without nodes" : "no graph")
              + ". Export the backbone with torch.onnx.export and pass the .onnx file.");
    }
    this.opset = defaultOpset(model, source);
    GraphProto g = model.getGraph();

    Map<String, TensorProto> inits = new LinkedHashMap<>();
    for (TensorProto t : g.getInitializerList()) {
      inits.put(t.getName(), t);
    }
    this.initializers = Collections.unmodifiableMap(inits);

    Map<String, ValueInfoProto> infos = new HashMap<>();
    g.getValueInfoList().forEach(v -> infos.put(v.getName(), v));
    g.getOutputList().forEach(v -> infos.put(v.getName(), v));
    g.getInputList().forEach(v -> infos.put(v.getName(), v));
    this.valueInfos = Collections.unmodifiableMap(infos);

    this.inputs = g.getInputList().stream().filter(v -> !inits.containsKey(v.getName())).toList();
    this.outputs = List.copyOf(g.getOutputList());
    if (inputs.isEmpty()) {
      throw new OnnxModelException(
          source + " has no graph input besides its initializers; a backbone takes an image.");
    }

    this.nodes = TopologicalOrder.of(g, inits.keySet(), inputs, source);
    Map<String, Node> prod = new HashMap<>();
    Map<String, List<Node>> cons = new HashMap<>();
    for (Node n : nodes) {
      for (String out : n.outputs()) {
        if (!out.isEmpty()) {
          prod.put(out, n);
        }
      }
      for (String in : n.inputs()) {
        if (!in.isEmpty()) {
          cons.computeIfAbsent(in, k -> new ArrayList<>()).add(n);
        }
      }
    }
    cons.replaceAll((k, v) -> List.copyOf(v));
    this.producers = Collections.unmodifiableMap(prod);
    this.consumers = Collections.unmodifiableMap(cons);
    for (ValueInfoProto out : outputs) {
      if (!prod.containsKey(out.getName()) && !isGraphInput(out.getName())) {
        throw new OnnxModelException(
            source
                + ": graph output '"
                + out.getName()
                + "' is produced by no node; the file is truncated or malformed.");
      }
    }

    Set<String> consts = new HashSet<>(inits.keySet());
    for (Node n : nodes) {
      if (isConstantNode(n, consts)) {
        n.outputs().stream().filter(o -> !o.isEmpty()).forEach(consts::add);
      }
    }
    this.constants = Collections.unmodifiableSet(consts);
  }

  /**
   * Reads an ONNX model file.
   *
   * @throws OnnxModelException when the file is missing, unreadable, not ONNX, or truncated
   */
  public static OnnxGraph load(Path file) {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new OnnxModelException("ONNX model not found: " + file, e);
    } catch (IOException e) {
      throw new OnnxModelException("cannot read ONNX model " + file + ": " + e.getMessage(), e);
    }
    return parse(bytes, file.toString());
  }

  /**
   * Parses a serialized ONNX model.
   *
   * @param source names the bytes in error messages (usually the file path)
   */
  public static OnnxGraph parse(byte[] bytes, String source) {
    if (bytes.length == 0) {
      throw new OnnxModelException(source + " is empty; expected an ONNX model (.onnx) file.");
    }
    ModelProto model;
    try {
      model = ModelProto.parseFrom(bytes);
    } catch (InvalidProtocolBufferException e) {
      throw new OnnxModelException(
          source
              + " is not an ONNX model or is truncated ("
              + bytes.length
              + " bytes; protobuf says: "
              + e.getMessage()
              + "). Re-export it with torch.onnx.export or copy it again.",
          e);
    }
    return new OnnxGraph(model, source, sha256(bytes));
  }

  /** Wraps an in-memory model (e.g. one built with {@link OnnxGraphBuilder}). */
  public static OnnxGraph of(ModelProto model) {
    byte[] bytes = model.toByteArray();
    return new OnnxGraph(
        model, "<in-memory model '" + model.getGraph().getName() + "'>", sha256(bytes));
  }

  private static long defaultOpset(ModelProto model, String source) {
    for (OperatorSetIdProto id : model.getOpsetImportList()) {
      if (id.getDomain().isEmpty() || id.getDomain().equals("ai.onnx")) {
        long v = id.getVersion();
        if (v < MIN_TESTED_OPSET || v > MAX_TESTED_OPSET) {
          LOG.log(
              Level.WARNING,
              "{0} uses opset {1}; offramp is tested with opsets {2}-{3}",
              source,
              v,
              MIN_TESTED_OPSET,
              MAX_TESTED_OPSET);
        }
        return v;
      }
    }
    throw new OnnxModelException(
        source
            + " declares no default-domain opset (opset_import is empty or lacks the ONNX domain);"
            + " the file is truncated or not an ONNX model.");
  }

  private static boolean isConstantNode(Node n, Set<String> consts) {
    if (n.opType().equals("Constant") && n.isDefaultDomain()) {
      return true;
    }
    if (!n.isDefaultDomain() || NON_DETERMINISTIC.contains(n.opType())) {
      return false;
    }
    boolean any = false;
    for (String in : n.inputs()) {
      if (in.isEmpty()) {
        continue;
      }
      if (!consts.contains(in)) {
        return false;
      }
      any = true;
    }
    return any;
  }

  private static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK lacks SHA-256", e);
    }
  }

  /** The model as loaded. */
  public ModelProto model() {
    return model;
  }

  /** Where the model came from, for messages. */
  public String source() {
    return source;
  }

  /** SHA-256 (hex) of the serialized model this view was built from. */
  public String sha256() {
    return sha256;
  }

  /** The default-domain opset version. */
  public long opset() {
    return opset;
  }

  /** The model's IR version. */
  public long irVersion() {
    return model.getIrVersion();
  }

  /** All nodes in topological order (ties keep file order). */
  public List<Node> nodes() {
    return nodes;
  }

  /** Graph inputs that are not initializers: what a caller feeds. */
  public List<ValueInfoProto> inputs() {
    return inputs;
  }

  /** Graph outputs. */
  public List<ValueInfoProto> outputs() {
    return outputs;
  }

  /** Names of {@link #inputs()}. */
  public List<String> inputNames() {
    return inputs.stream().map(ValueInfoProto::getName).toList();
  }

  /** Names of {@link #outputs()}. */
  public List<String> outputNames() {
    return outputs.stream().map(ValueInfoProto::getName).toList();
  }

  /** Whether {@code tensor} is a (non-initializer) graph input. */
  public boolean isGraphInput(String tensor) {
    return inputs.stream().anyMatch(v -> v.getName().equals(tensor));
  }

  /** Whether {@code tensor} is a graph output. */
  public boolean isGraphOutput(String tensor) {
    return outputs.stream().anyMatch(v -> v.getName().equals(tensor));
  }

  /** Whether the graph defines {@code tensor} at all (input, initializer or node output). */
  public boolean hasTensor(String tensor) {
    return producers.containsKey(tensor)
        || initializers.containsKey(tensor)
        || isGraphInput(tensor);
  }

  /** The node producing {@code tensor}; empty for inputs, initializers and unknown names. */
  public Optional<Node> producer(String tensor) {
    return Optional.ofNullable(producers.get(tensor));
  }

  /** The nodes reading {@code tensor}, in topological order. */
  public List<Node> consumers(String tensor) {
    return consumers.getOrDefault(tensor, List.of());
  }

  /** Initializers by name, in file order. */
  public Map<String, TensorProto> initializers() {
    return initializers;
  }

  /** Whether {@code tensor} is constant (see the class comment). */
  public boolean isConstant(String tensor) {
    return constants.contains(tensor);
  }

  /** Whether every output of {@code node} is constant: it can be copied into any stage. */
  public boolean isConstantNode(Node node) {
    return node.outputs().stream().filter(o -> !o.isEmpty()).allMatch(constants::contains);
  }

  /**
   * The literal value of a constant tensor, when it is stored in the file: an initializer, or the
   * {@code value} attribute of a {@code Constant} node. Folded-at-load constants have none.
   */
  public Optional<TensorProto> constantValue(String tensor) {
    TensorProto init = initializers.get(tensor);
    if (init != null) {
      return Optional.of(init);
    }
    Node p = producers.get(tensor);
    if (p != null && p.opType().equals("Constant")) {
      for (AttributeProto a : p.proto().getAttributeList()) {
        if (a.getName().equals("value") && a.hasT()) {
          return Optional.of(a.getT());
        }
      }
    }
    return Optional.empty();
  }

  /** Declared type information for {@code tensor} (graph input, output or value_info). */
  public Optional<ValueInfoProto> valueInfo(String tensor) {
    return Optional.ofNullable(valueInfos.get(tensor));
  }

  /**
   * The declared element type of {@code tensor} ({@link TensorProto.DataType} number), when the
   * model declares it.
   */
  public Optional<Integer> elementType(String tensor) {
    ValueInfoProto v = valueInfos.get(tensor);
    if (v != null
        && v.getType().hasTensorType()
        && v.getType().getTensorType().getElemType() != 0) {
      return Optional.of(v.getType().getTensorType().getElemType());
    }
    return constantValue(tensor).map(TensorProto::getDataType);
  }
}
