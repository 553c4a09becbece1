package dev.offramp.exporter.graph;

import static dev.offramp.exporter.graph.OnnxProtos.ints;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import com.google.protobuf.ByteString;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A small typed vocabulary for building float32 NCHW convolutional graphs in code: {@code b.conv(x,
 * 16, 3, 1, 1)}, {@code b.relu(...)}, {@code b.add(...)}. Weights are seeded random (He-scaled), so
 * a builder with the same seed and calls gives the same model.
 *
 * <p>The builder tracks the per-sample shape {@code [C, H, W]} of every tensor it creates so that
 * weight shapes follow from the call. The batch dimension is symbolic ({@code batch}). Not
 * thread-safe; one builder builds one model.
 */
public final class OnnxGraphBuilder {
  private final String name;
  private final long opset;
  private final SplittableRandom random;
  private final GraphProto.Builder graph = GraphProto.newBuilder();
  private final Map<String, int[]> shapes = new HashMap<>();
  private int counter;

  /**
   * @param name the graph name
   * @param opset the default-domain opset to declare (9–21)
   * @param seed the seed of the random weights
   */
  public OnnxGraphBuilder(String name, long opset, long seed) {
    if (opset < 9 || opset > 21) {
      throw new IllegalArgumentException("opset must be in 9..21, got " + opset);
    }
    this.name = name;
    this.opset = opset;
    this.random = new SplittableRandom(seed);
    graph.setName(name);
  }

  /** Declares an NCHW float input with a symbolic batch dimension. */
  public String input(String tensor, int channels, int height, int width) {
    graph.addInput(valueInfo(tensor, channels, height, width));
    shapes.put(tensor, new int[] {channels, height, width});
    return tensor;
  }

  /** Marks {@code tensor} as a graph output (float, shape left to inference). */
  public OnnxGraphBuilder output(String tensor) {
    shape(tensor);
    graph.addOutput(
        ValueInfoProto.newBuilder()
            .setName(tensor)
            .setType(
                TypeProto.newBuilder()
                    .setTensorType(
                        TypeProto.Tensor.newBuilder()
                            .setElemType(TensorProto.DataType.FLOAT_VALUE))));
    return this;
  }

  /** A square convolution with bias, no dilation, one group. */
  public String conv(String x, int outChannels, int kernel, int stride, int pad) {
    return conv(x, outChannels, kernel, stride, pad, 1, 1);
  }

  /** A square convolution with bias. */
  public String conv(
      String x, int outChannels, int kernel, int stride, int pad, int dilation, int groups) {
    int[] s = shape(x);
    if (s[0] % groups != 0 || outChannels % groups != 0) {
      throw new IllegalArgumentException(
          "groups " + groups + " must divide in " + s[0] + " and out " + outChannels);
    }
    int fanIn = s[0] / groups * kernel * kernel;
    String w = weight(new long[] {outChannels, s[0] / groups, kernel, kernel}, fanIn);
    String b = weight(new long[] {outChannels}, 1_000_000);
    int span = dilation * (kernel - 1) + 1;
    int h = (s[1] + 2 * pad - span) / stride + 1;
    int wd = (s[2] + 2 * pad - span) / stride + 1;
    return node(
        "Conv",
        List.of(x, w, b),
        new int[] {outChannels, h, wd},
        ints("kernel_shape", kernel, kernel),
        ints("strides", stride, stride),
        ints("pads", pad, pad, pad, pad),
        ints("dilations", dilation, dilation),
        AttributeProto.newBuilder()
            .setName("group")
            .setType(AttributeProto.AttributeType.INT)
            .setI(groups)
            .build());
  }

  /** A transposed convolution (no padding) that upsamples by {@code stride}. */
  public String convTranspose(String x, int outChannels, int kernel, int stride) {
    int[] s = shape(x);
    String w = weight(new long[] {s[0], outChannels, kernel, kernel}, s[0] * kernel * kernel);
    int h = (s[1] - 1) * stride + kernel;
    int wd = (s[2] - 1) * stride + kernel;
    return node(
        "ConvTranspose",
        List.of(x, w),
        new int[] {outChannels, h, wd},
        ints("kernel_shape", kernel, kernel),
        ints("strides", stride, stride));
  }

  /** Elementwise {@code max(x, 0)}. */
  public String relu(String x) {
    return node("Relu", List.of(x), shape(x));
  }

  /** Elementwise logistic sigmoid. */
  public String sigmoid(String x) {
    return node("Sigmoid", List.of(x), shape(x));
  }

  /** Elementwise (broadcasting) sum. */
  public String add(String a, String b) {
    return node("Add", List.of(a, b), broadcast(a, b));
  }

  /** Elementwise (broadcasting) product. */
  public String mul(String a, String b) {
    return node("Mul", List.of(a, b), broadcast(a, b));
  }

  /** Concatenation along channels. */
  public String concat(String a, String b) {
    int[] sa = shape(a);
    int[] sb = shape(b);
    AttributeProto axis =
        AttributeProto.newBuilder()
            .setName("axis")
            .setType(AttributeProto.AttributeType.INT)
            .setI(1)
            .build();
    return node("Concat", List.of(a, b), new int[] {sa[0] + sb[0], sa[1], sa[2]}, axis);
  }

  /** Square max pooling without padding. */
  public String maxPool(String x, int kernel, int stride) {
    int[] s = shape(x);
    return node(
        "MaxPool",
        List.of(x),
        new int[] {s[0], (s[1] - kernel) / stride + 1, (s[2] - kernel) / stride + 1},
        ints("kernel_shape", kernel, kernel),
        ints("strides", stride, stride));
  }

  /** Global average pooling to {@code [C, 1, 1]}. */
  public String globalAveragePool(String x) {
    return node("GlobalAveragePool", List.of(x), new int[] {shape(x)[0], 1, 1});
  }

  /** Flattens to {@code [N, C*H*W]} (tracked as {@code [C*H*W, 1, 1]}). */
  public String flatten(String x) {
    int[] s = shape(x);
    return node("Flatten", List.of(x), new int[] {s[0] * s[1] * s[2], 1, 1});
  }

  /** A fully connected layer {@code x · Wᵀ + b} on a flattened tensor. */
  public String gemm(String x, int outFeatures) {
    int in = shape(x)[0];
    String w = weight(new long[] {outFeatures, in}, in);
    String b = weight(new long[] {outFeatures}, 1_000_000);
    return node(
        "Gemm",
        List.of(x, w, b),
        new int[] {outFeatures, 1, 1},
        AttributeProto.newBuilder()
            .setName("transB")
            .setType(AttributeProto.AttributeType.INT)
            .setI(1)
            .build());
  }

  /** A matrix product {@code x · W} on a flattened tensor. */
  public String matMul(String x, int outFeatures) {
    int in = shape(x)[0];
    String w = weight(new long[] {in, outFeatures}, in);
    return node("MatMul", List.of(x, w), new int[] {outFeatures, 1, 1});
  }

  /** A pass-through {@code Identity}. */
  public String identity(String x) {
    return node("Identity", List.of(x), shape(x));
  }

  /** A single-operand {@code Einsum} (an op the MAC counter does not model). */
  public String einsum(String x, String equation) {
    AttributeProto eq =
        AttributeProto.newBuilder()
            .setName("equation")
            .setType(AttributeProto.AttributeType.STRING)
            .setS(ByteString.copyFromUtf8(equation))
            .build();
    return node("Einsum", List.of(x), shape(x), eq);
  }

  /** A {@code Constant} node holding a float scalar broadcastable against NCHW tensors. */
  public String constant(float value) {
    String out = "const_" + (++counter);
    TensorProto t =
        TensorProto.newBuilder()
            .setName(out)
            .setDataType(TensorProto.DataType.FLOAT_VALUE)
            .addFloatData(value)
            .build();
    graph.addNode(
        NodeProto.newBuilder()
            .setName("Constant_" + counter)
            .setOpType("Constant")
            .addOutput(out)
            .addAttribute(
                AttributeProto.newBuilder()
                    .setName("value")
                    .setType(AttributeProto.AttributeType.TENSOR)
                    .setT(t)));
    shapes.put(out, new int[] {1, 1, 1});
    return out;
  }

  /** A float scalar initializer (broadcastable against NCHW tensors), e.g. a shared scale. */
  public String parameter(float value) {
    String out = "param_" + (++counter);
    graph.addInitializer(
        TensorProto.newBuilder()
            .setName(out)
            .setDataType(TensorProto.DataType.FLOAT_VALUE)
            .addFloatData(value));
    shapes.put(out, new int[] {1, 1, 1});
    return out;
  }

  /** The model: IR version 8 (7 below opset 13), the declared opset, producer "offramp-test". */
  public ModelProto build() {
    return ModelProto.newBuilder()
        .setIrVersion(opset >= 13 ? 8 : 7)
        .setProducerName("offramp-builder")
        .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(opset))
        .setGraph(graph.clone())
        .build();
  }

  /** The graph name given at construction. */
  public String name() {
    return name;
  }

  private String node(String op, List<String> inputs, int[] outShape, AttributeProto... attrs) {
    int id = ++counter;
    String nodeName = "/" + op.toLowerCase(java.util.Locale.ROOT) + "_" + id + "/" + op;
    String out = nodeName + "_output_0";
    NodeProto.Builder n = NodeProto.newBuilder().setName(nodeName).setOpType(op).addOutput(out);
    inputs.forEach(n::addInput);
    for (AttributeProto a : attrs) {
      n.addAttribute(a);
    }
    graph.addNode(n);
    shapes.put(out, outShape.clone());
    return out;
  }

  private String weight(long[] dims, int fanIn) {
    String w = "w_" + (++counter);
    long count = 1;
    for (long d : dims) {
      count *= d;
    }
    double scale = Math.sqrt(2.0 / fanIn);
    ByteBuffer buf = ByteBuffer.allocate(Math.toIntExact(count * 4)).order(ByteOrder.LITTLE_ENDIAN);
    for (long i = 0; i < count; i++) {
      buf.putFloat((float) (nextGaussian() * scale));
    }
    buf.flip();
    TensorProto.Builder t =
        TensorProto.newBuilder()
            .setName(w)
            .setDataType(TensorProto.DataType.FLOAT_VALUE)
            .setRawData(ByteString.copyFrom(buf));
    for (long d : dims) {
      t.addDims(d);
    }
    graph.addInitializer(t);
    return w;
  }

  private double nextGaussian() {
    double u = random.nextDouble();
    double v = random.nextDouble();
    return Math.sqrt(-2 * Math.log(1 - u)) * Math.cos(2 * Math.PI * v);
  }

  private int[] broadcast(String a, String b) {
    int[] sa = shape(a);
    int[] sb = shape(b);
    return new int[] {Math.max(sa[0], sb[0]), Math.max(sa[1], sb[1]), Math.max(sa[2], sb[2])};
  }

  private int[] shape(String tensor) {
    int[] s = shapes.get(tensor);
    if (s == null) {
      throw new IllegalArgumentException("unknown tensor '" + tensor + "' in builder " + name);
    }
    return s;
  }

  private static ValueInfoProto valueInfo(String tensor, int... chw) {
    TensorShapeProto.Builder shape =
        TensorShapeProto.newBuilder()
            .addDim(TensorShapeProto.Dimension.newBuilder().setDimParam("batch"));
    for (int d : chw) {
      shape.addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(d));
    }
    return ValueInfoProto.newBuilder()
        .setName(tensor)
        .setType(
            TypeProto.newBuilder()
                .setTensorType(
                    TypeProto.Tensor.newBuilder()
                        .setElemType(TensorProto.DataType.FLOAT_VALUE)
                        .setShape(shape)))
        .build();
  }
}
