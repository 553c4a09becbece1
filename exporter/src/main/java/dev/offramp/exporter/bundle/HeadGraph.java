package dev.offramp.exporter.bundle;

import static dev.offramp.exporter.graph.OnnxProtos.floats;
import static dev.offramp.exporter.graph.OnnxProtos.int64;
import static dev.offramp.exporter.graph.OnnxProtos.ints;
import static dev.offramp.exporter.graph.OnnxProtos.node;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import dev.offramp.exporter.features.AdaptivePool;
import dev.offramp.exporter.train.HeadShape;
import dev.offramp.exporter.train.HeadWeights;

/**
 * Appends an exit head (or the final softmax) to a stage graph, with ops every ONNX Runtime since
 * opset 9 runs: AveragePool (even windows) or Reshape + MatMul (uneven adaptive windows), Reshape,
 * Conv (1D: a 3-D input), Relu, GlobalAveragePool, Flatten, Gemm, Softmax. Node and initializer
 * names are prefixed {@code offramp_exit_<k>/}. Stateless.
 */
public final class HeadGraph {
  private HeadGraph() {}

  /** The probability output of exit {@code k}. */
  public static String probsName(int k) {
    return "exit_" + k + "_probs";
  }

  /** The probability output of the last stage. */
  public static final String FINAL_PROBS = "final_probs";

  /**
   * The stage with the head of exit {@code k} reading tensor {@code cut}; the stage keeps its
   * outputs (the cut, forwarded as {@code features}) and gains {@link #probsName(int)}.
   */
  public static ModelProto withHead(ModelProto stage, int k, String cut, HeadWeights w) {
    HeadShape s = w.shape();
    String p = "offramp_exit_" + k + "/";
    GraphProto.Builder g = stage.getGraph().toBuilder();
    String x;
    if (AdaptivePool.isUniform(s.height(), s.width(), s.grid())) {
      int kh = s.height() / s.grid();
      int kw = s.width() / s.grid();
      g.addNode(
          node("AveragePool", p + "pool", new String[] {cut}, p + "pooled")
              .addAttribute(ints("kernel_shape", kh, kw))
              .addAttribute(ints("strides", kh, kw)));
      g.addInitializer(int64(p + "seq_shape", 0, s.channels(), s.positions()));
      g.addNode(node("Reshape", p + "seq", new String[] {p + "pooled", p + "seq_shape"}, p + "x0"));
    } else {
      g.addInitializer(int64(p + "map_shape", 0, s.channels(), (long) s.height() * s.width()));
      g.addNode(node("Reshape", p + "flat", new String[] {cut, p + "map_shape"}, p + "map"));
      g.addInitializer(
          floats(
              p + "pool_matrix",
              AdaptivePool.matrix(s.height(), s.width(), s.grid()),
              (long) s.height() * s.width(),
              s.positions()));
      g.addNode(node("MatMul", p + "pool", new String[] {p + "map", p + "pool_matrix"}, p + "x0"));
    }
    x = p + "x0";
    for (int l = 0; l < s.layers(); l++) {
      int in = l == 0 ? s.channels() : s.hidden();
      String wn = p + "conv" + l + ".weight";
      String bn = p + "conv" + l + ".bias";
      g.addInitializer(floats(wn, w.convWeights().get(l), s.hidden(), in, 3));
      g.addInitializer(floats(bn, w.convBiases().get(l), s.hidden()));
      String y = p + "conv" + l;
      g.addNode(
          node("Conv", y, new String[] {x, wn, bn}, y)
              .addAttribute(ints("kernel_shape", 3))
              .addAttribute(ints("pads", 1, 1)));
      g.addNode(node("Relu", y + "_relu", new String[] {y}, y + "_relu"));
      x = y + "_relu";
    }
    g.addNode(node("GlobalAveragePool", p + "gap", new String[] {x}, p + "gap"));
    g.addNode(
        node("Flatten", p + "flatten", new String[] {p + "gap"}, p + "hidden")
            .addAttribute(
                AttributeProto.newBuilder()
                    .setName("axis")
                    .setType(AttributeProto.AttributeType.INT)
                    .setI(1)));
    g.addInitializer(floats(p + "linear.weight", w.linearWeight(), s.classes(), s.hidden()));
    g.addInitializer(floats(p + "linear.bias", w.linearBias(), s.classes()));
    g.addNode(
        node(
                "Gemm",
                p + "linear",
                new String[] {p + "hidden", p + "linear.weight", p + "linear.bias"},
                p + "logits")
            .addAttribute(
                AttributeProto.newBuilder()
                    .setName("transB")
                    .setType(AttributeProto.AttributeType.INT)
                    .setI(1)));
    addSoftmax(g, p + "logits", probsName(k), p + "softmax", s.classes());
    return stage.toBuilder().setGraph(g).build();
  }

  /** The last stage with a softmax of {@code logits} as {@link #FINAL_PROBS}. */
  public static ModelProto withFinalSoftmax(ModelProto stage, String logits) {
    GraphProto.Builder g = stage.getGraph().toBuilder();
    addSoftmax(g, logits, FINAL_PROBS, "offramp_final/softmax", 0);
    return stage.toBuilder().setGraph(g).build();
  }

  /**
   * Softmax over axis 1 as output {@code out}; with {@code classes > 0} (a head's Gemm logits,
   * always 2-D) the output is declared {@code [batch, classes]}, else its shape is left to ONNX
   * Runtime (the backbone's logits may have any rank).
   */
  private static void addSoftmax(
      GraphProto.Builder g, String in, String out, String name, int classes) {
    g.addNode(
        node("Softmax", name, new String[] {in}, out)
            .addAttribute(
                AttributeProto.newBuilder()
                    .setName("axis")
                    .setType(AttributeProto.AttributeType.INT)
                    .setI(1)));
    TypeProto.Tensor.Builder type =
        TypeProto.Tensor.newBuilder().setElemType(TensorProto.DataType.FLOAT_VALUE);
    if (classes > 0) {
      type.setShape(
          TensorShapeProto.newBuilder()
              .addDim(TensorShapeProto.Dimension.newBuilder().setDimParam(BatchDims.BATCH))
              .addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(classes)));
    }
    g.addOutput(
        ValueInfoProto.newBuilder()
            .setName(out)
            .setType(TypeProto.newBuilder().setTensorType(type)));
  }
}
