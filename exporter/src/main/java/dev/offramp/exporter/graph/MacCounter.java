package dev.offramp.exporter.graph;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Counts multiply-accumulates per node from tensor shapes.
 *
 * <p>Counted: {@code Conv} (groups, strides, dilations and padding enter through the output shape:
 * each output element costs {@code C_in/groups × prod(kernel)}), {@code ConvTranspose} (each input
 * element costs {@code C_out/groups × prod(kernel)}), {@code Gemm} and {@code MatMul} (each output
 * element costs the inner dimension K). Bias additions are not counted, as is usual. Activations,
 * normalization, pooling, elementwise arithmetic and shape plumbing count 0 by convention. Any
 * other op counts 0 and is reported in {@link MacReport#uncountedOps()}.
 *
 * <p>Stateless and thread-safe.
 */
public final class MacCounter {
  private static final Set<String> FREE_BY_CONVENTION =
      Set.of(
          "Abs",
          "Add",
          "And",
          "ArgMax",
          "ArgMin",
          "AveragePool",
          "BatchNormalization",
          "Cast",
          "Ceil",
          "Celu",
          "Clip",
          "Concat",
          "Constant",
          "ConstantOfShape",
          "DepthToSpace",
          "Div",
          "Dropout",
          "Elu",
          "Equal",
          "Erf",
          "Exp",
          "Expand",
          "Flatten",
          "Floor",
          "Gather",
          "GatherElements",
          "Gelu",
          "GlobalAveragePool",
          "GlobalMaxPool",
          "Greater",
          "GreaterOrEqual",
          "HardSigmoid",
          "HardSwish",
          "Identity",
          "InstanceNormalization",
          "LayerNormalization",
          "LeakyRelu",
          "Less",
          "LessOrEqual",
          "Log",
          "LogSoftmax",
          "LRN",
          "Max",
          "MaxPool",
          "Mean",
          "Min",
          "Mish",
          "Mul",
          "Neg",
          "Not",
          "Or",
          "Pad",
          "Pow",
          "PRelu",
          "Range",
          "Reciprocal",
          "ReduceL2",
          "ReduceMax",
          "ReduceMean",
          "ReduceMin",
          "ReduceSum",
          "Relu",
          "Reshape",
          "Resize",
          "Round",
          "Selu",
          "Shape",
          "Sigmoid",
          "Sign",
          "Size",
          "Slice",
          "Softmax",
          "Softplus",
          "Softsign",
          "SpaceToDepth",
          "Split",
          "Sqrt",
          "Squeeze",
          "Sub",
          "Sum",
          "Tanh",
          "Tile",
          "Transpose",
          "Unsqueeze",
          "Upsample",
          "Where");

  private MacCounter() {}

  /** The tensors whose shapes {@link #count} reads (dynamic ones must come from a probe). */
  public static Set<String> tensorsNeeded(OnnxGraph graph) {
    Set<String> needed = new TreeSet<>();
    for (Node n : graph.nodes()) {
      switch (n.opType()) {
        case "Conv", "Gemm", "MatMul" -> {
          needed.add(n.outputs().get(0));
          needed.add(n.inputs().get(0));
          needed.add(n.inputs().get(1));
        }
        case "ConvTranspose" -> {
          needed.add(n.inputs().get(0));
          needed.add(n.inputs().get(1));
        }
        default -> {}
      }
    }
    return needed;
  }

  /**
   * Counts every node.
   *
   * @param shapes shapes of at least {@link #tensorsNeeded}
   * @throws IllegalArgumentException when a needed shape is missing
   */
  public static MacReport count(OnnxGraph graph, Map<String, List<Long>> shapes) {
    List<Long> perNode = new ArrayList<>();
    Set<String> uncounted = new TreeSet<>();
    long total = 0;
    for (Node n : graph.nodes()) {
      long macs = 0;
      if (!n.isDefaultDomain()) {
        uncounted.add(n.domain() + ":" + n.opType());
      } else if (!graph.isConstantNode(n)) {
        switch (n.opType()) {
          case "Conv" -> {
            List<Long> w = shape(shapes, n, 1);
            macs = elements(shape(shapes, n, -1)) * elements(w.subList(1, w.size()));
          }
          case "ConvTranspose" -> {
            List<Long> w = shape(shapes, n, 1);
            macs = elements(shape(shapes, n, 0)) * elements(w.subList(1, w.size()));
          }
          case "Gemm" -> {
            List<Long> a = shape(shapes, n, 0);
            boolean transA = AttributeValues.integer(n, "transA", 0) != 0;
            macs = elements(shape(shapes, n, -1)) * a.get(transA ? 0 : 1);
          }
          case "MatMul" -> {
            List<Long> a = shape(shapes, n, 0);
            macs = elements(shape(shapes, n, -1)) * a.get(a.size() - 1);
          }
          default -> {
            if (!FREE_BY_CONVENTION.contains(n.opType())) {
              uncounted.add(n.opType());
            }
          }
        }
      }
      perNode.add(macs);
      total += macs;
    }
    return new MacReport(perNode, total, List.copyOf(uncounted));
  }

  private static List<Long> shape(Map<String, List<Long>> shapes, Node n, int input) {
    String tensor = input < 0 ? n.outputs().get(0) : n.inputs().get(input);
    List<Long> s = shapes.get(tensor);
    if (s == null) {
      throw new IllegalArgumentException(
          "no shape known for tensor '"
              + tensor
              + "' of node "
              + n.displayName()
              + " ("
              + n.opType()
              + "); probe it with ShapeProbe first");
    }
    return s;
  }

  private static long elements(List<Long> dims) {
    long n = 1;
    for (long d : dims) {
      n = Math.multiplyExact(n, d);
    }
    return n;
  }
}
