package dev.offramp.cascade.testing;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;

/**
 * A small typed vocabulary for building float32 ONNX test graphs in code (opset 17, IR 8). Each
 * method adds one node and returns the name of its output, so graphs read top to bottom. Weights
 * are derived from the builder's seed and the weight's name. Not thread-safe; one builder per
 * graph.
 */
public final class OnnxBuilder {
  private final GraphProto.Builder graph = GraphProto.newBuilder();
  private final long seed;
  private int counter;

  /**
   * @param seed weights are a function of (seed, weight name) only, so two graphs that share a
   *     weight name share its values whatever order they are built in
   */
  public OnnxBuilder(String name, long seed) {
    graph.setName(name);
    this.seed = seed;
  }

  /** Declares a float input with a symbolic batch dimension {@code N}. */
  public String input(String name, long... dimsAfterBatch) {
    graph.addInput(valueInfo(name, dimsAfterBatch));
    return name;
  }

  /** Declares a float output with a symbolic batch dimension. */
  public OnnxBuilder output(String name, long... dimsAfterBatch) {
    graph.addOutput(valueInfo(name, dimsAfterBatch));
    return this;
  }

  private static ValueInfoProto valueInfo(String name, long... dimsAfterBatch) {
    TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
    shape.addDim(TensorShapeProto.Dimension.newBuilder().setDimParam("N"));
    for (long d : dimsAfterBatch) {
      shape.addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(d));
    }
    return ValueInfoProto.newBuilder()
        .setName(name)
        .setType(
            TypeProto.newBuilder()
                .setTensorType(
                    TypeProto.Tensor.newBuilder()
                        .setElemType(TensorProto.DataType.FLOAT.getNumber())
                        .setShape(shape)))
        .build();
  }

  /** A float initializer with values uniform in ±scale. */
  public String weight(String name, float scale, long... dims) {
    long n = Arrays.stream(dims).reduce(1, (a, b) -> a * b);
    TensorProto.Builder t =
        TensorProto.newBuilder()
            .setName(name)
            .setDataType(TensorProto.DataType.FLOAT.getNumber())
            .addAllDims(Arrays.stream(dims).boxed().toList());
    Random random = new Random(seed * 1_000_003L + name.hashCode());
    for (long i = 0; i < n; i++) {
      t.addFloatData((random.nextFloat() * 2 - 1) * scale);
    }
    return add(t);
  }

  /** A 1-D float initializer with exactly these values (NaN and infinities allowed). */
  public String floats(String name, float... values) {
    List<Float> all = IntStream.range(0, values.length).mapToObj(i -> values[i]).toList();
    return add(vector(name, TensorProto.DataType.FLOAT, values.length).addAllFloatData(all));
  }

  /** An int64 initializer, e.g. a Reshape target. */
  public String int64s(String name, long... values) {
    List<Long> all = Arrays.stream(values).boxed().toList();
    return add(vector(name, TensorProto.DataType.INT64, values.length).addAllInt64Data(all));
  }

  /** Adds the initializer to the graph and returns its name. */
  private String add(TensorProto.Builder initializer) {
    graph.addInitializer(initializer);
    return initializer.getName();
  }

  /** An empty 1-D initializer of that type and length, to be filled by the caller. */
  private static TensorProto.Builder vector(String name, TensorProto.DataType type, int length) {
    return TensorProto.newBuilder().setName(name).setDataType(type.getNumber()).addDims(length);
  }

  private String fresh(String op) {
    return op.toLowerCase(java.util.Locale.ROOT) + "_" + counter++;
  }

  private NodeProto.Builder node(String op, String out, String... inputs) {
    NodeProto.Builder n = NodeProto.newBuilder().setOpType(op).setName(fresh(op)).addOutput(out);
    for (String in : inputs) {
      n.addInput(in);
    }
    return n;
  }

  /** 2-D convolution with bias, square kernel, symmetric padding {@code kernel/2}. */
  public String conv(String x, String out, long in, long outChannels, int kernel, int stride) {
    String w =
        weight(
            out + ".weight",
            (float) (1.0 / Math.sqrt(in * kernel * kernel)),
            outChannels,
            in,
            kernel,
            kernel);
    String b = weight(out + ".bias", 0.1f, outChannels);
    int pad = kernel / 2;
    graph.addNode(
        node("Conv", out, x, w, b)
            .addAttribute(ints("kernel_shape", kernel, kernel))
            .addAttribute(ints("strides", stride, stride))
            .addAttribute(ints("pads", pad, pad, pad, pad)));
    return out;
  }

  public String relu(String x, String out) {
    graph.addNode(node("Relu", out, x));
    return out;
  }

  public String add(String a, String b, String out) {
    graph.addNode(node("Add", out, a, b));
    return out;
  }

  public String mul(String a, String b, String out) {
    graph.addNode(node("Mul", out, a, b));
    return out;
  }

  public String sigmoid(String x, String out) {
    graph.addNode(node("Sigmoid", out, x));
    return out;
  }

  public String globalAveragePool(String x, String out) {
    graph.addNode(node("GlobalAveragePool", out, x));
    return out;
  }

  public String flatten(String x, String out) {
    graph.addNode(node("Flatten", out, x).addAttribute(intAttr("axis", 1)));
    return out;
  }

  /** {@code x · Wᵀ + b} with a fresh weight of shape [outFeatures, inFeatures]. */
  public String dense(String x, String out, long inFeatures, long outFeatures) {
    String w =
        weight(out + ".weight", (float) (1.0 / Math.sqrt(inFeatures)), outFeatures, inFeatures);
    String b = weight(out + ".bias", 0.1f, outFeatures);
    graph.addNode(node("Gemm", out, x, w, b).addAttribute(intAttr("transB", 1)));
    return out;
  }

  public String softmax(String x, String out) {
    graph.addNode(node("Softmax", out, x).addAttribute(intAttr("axis", 1)));
    return out;
  }

  private static AttributeProto ints(String name, long... values) {
    AttributeProto.Builder a =
        AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INTS);
    for (long v : values) {
      a.addInts(v);
    }
    return a.build();
  }

  private static AttributeProto intAttr(String name, long value) {
    return AttributeProto.newBuilder()
        .setName(name)
        .setType(AttributeProto.AttributeType.INT)
        .setI(value)
        .build();
  }

  public ModelProto build() {
    return ModelProto.newBuilder()
        .setIrVersion(8)
        .setProducerName("offramp-tests")
        .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(17))
        .setGraph(graph)
        .build();
  }

  /** Writes the model and returns its path. */
  public static Path write(ModelProto model, Path file) {
    try {
      Files.write(file, model.toByteArray());
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
