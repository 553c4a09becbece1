package dev.offramp.exporter.graph;

import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Shapes of intermediate tensors, found by running the model once in ONNX Runtime on a zero input
 * of the requested shape with those tensors added as graph outputs. Robust across opsets and
 * exporters (ONNX Runtime does the shape arithmetic), at the cost of one forward pass.
 *
 * <p>Stateless; each call opens and closes its own session.
 */
public final class ShapeProbe {
  private ShapeProbe() {}

  /**
   * Runs the probe.
   *
   * @param inputShapes concrete shape per graph input (see {@link InputShapes#resolve})
   * @param tensors dynamic tensors whose shapes are wanted; constants are answered from the file
   * @return shape per tensor, including every graph input and output
   * @throws OnnxModelException when ONNX Runtime cannot load or run the model
   */
  public static Map<String, List<Long>> probe(
      OnnxGraph graph, Map<String, List<Long>> inputShapes, Collection<String> tensors) {
    Map<String, List<Long>> shapes = new HashMap<>();
    Set<String> wanted = new LinkedHashSet<>(graph.outputNames());
    for (String t : tensors) {
      if (graph.isConstant(t)) {
        graph.constantValue(t).ifPresent(v -> shapes.put(t, List.copyOf(v.getDimsList())));
      } else if (!graph.isGraphInput(t)) {
        wanted.add(t);
      }
    }
    byte[] probeModel = withOutputs(graph.model(), wanted).toByteArray();
    try (OrtSession session = Ort.session(probeModel, "shape probe of " + graph.source())) {
      Map<String, OnnxTensor> feed = new LinkedHashMap<>();
      try {
        for (String input : graph.inputNames()) {
          List<Long> dims = inputShapes.get(input);
          if (dims == null) {
            throw new IllegalArgumentException("no shape given for input '" + input + "'");
          }
          shapes.put(input, List.copyOf(dims));
          feed.put(input, zeros(graph, input, dims));
        }
        try (OrtSession.Result result = session.run(feed, wanted)) {
          for (Map.Entry<String, OnnxValue> e : result) {
            if (e.getValue().getInfo() instanceof TensorInfo info) {
              List<Long> dims = new ArrayList<>();
              for (long d : info.getShape()) {
                dims.add(d);
              }
              shapes.put(e.getKey(), List.copyOf(dims));
            }
          }
        }
      } finally {
        feed.values().forEach(OnnxTensor::close);
      }
    } catch (OrtException e) {
      throw new OnnxModelException(
          "ONNX Runtime failed to run "
              + graph.source()
              + " on inputs "
              + inputShapes
              + ": "
              + e.getMessage(),
          e);
    }
    return shapes;
  }

  /** A copy of {@code model} whose graph also outputs {@code tensors} (original outputs first). */
  public static ModelProto withOutputs(ModelProto model, Collection<String> tensors) {
    GraphProto g = model.getGraph();
    Set<String> present = new LinkedHashSet<>();
    g.getOutputList().forEach(o -> present.add(o.getName()));
    GraphProto.Builder gb = g.toBuilder();
    for (String t : tensors) {
      if (present.add(t)) {
        gb.addOutput(ValueInfoProto.newBuilder().setName(t));
      }
    }
    return model.toBuilder().setGraph(gb).build();
  }

  private static OnnxTensor zeros(OnnxGraph graph, String input, List<Long> dims)
      throws OrtException {
    int type = graph.elementType(input).orElse(TensorProto.DataType.FLOAT_VALUE);
    if (type != TensorProto.DataType.FLOAT_VALUE) {
      throw new OnnxModelException(
          "input '"
              + input
              + "' of "
              + graph.source()
              + " has element type "
              + TensorProto.DataType.forNumber(type)
              + "; offramp handles float32 image inputs only.");
    }
    long[] shape = dims.stream().mapToLong(Long::longValue).toArray();
    long count = 1;
    for (long d : shape) {
      count = Math.multiplyExact(count, d);
    }
    return OnnxTensor.createTensor(Ort.env(), FloatBuffer.allocate(Math.toIntExact(count)), shape);
  }
}
