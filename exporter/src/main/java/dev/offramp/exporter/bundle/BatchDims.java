package dev.offramp.exporter.bundle;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import dev.offramp.exporter.graph.OnnxProtos;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Gives a stage graph a dynamic batch dimension, so one call can run several frames: every graph
 * input (other than initializers) and every output gets the symbolic first dimension {@value
 * #BATCH}; intermediate {@code value_info} entries lose their shapes (ONNX Runtime infers them; a
 * fixed batch 1 left there would contradict a batch of 4); and a {@code Reshape} whose constant
 * target starts with 1 (a backbone exported at a fixed batch 1, e.g. {@code [1, -1]} before the
 * classifier) gets 0 there instead, which copies the input's batch dimension. A graph that is
 * already dynamic is returned with the same computation. Whether the result really is batch-safe is
 * proven afterwards in ONNX Runtime ({@link BatchProof}). Stateless.
 */
public final class BatchDims {
  /** The name of the symbolic batch dimension of stage inputs and outputs. */
  public static final String BATCH = "batch";

  private BatchDims() {}

  /** {@code stage} with a dynamic batch dimension (class javadoc). */
  public static ModelProto dynamic(ModelProto stage) {
    GraphProto.Builder g = stage.getGraph().toBuilder();
    Set<String> initializers = new HashSet<>();
    Map<String, TensorProto> constants = new HashMap<>();
    for (TensorProto t : g.getInitializerList()) {
      initializers.add(t.getName());
      constants.put(t.getName(), t);
    }
    for (NodeProto n : g.getNodeList()) {
      if (n.getOpType().equals("Constant") && n.getOutputCount() == 1) {
        for (AttributeProto a : n.getAttributeList()) {
          if (a.getName().equals("value") && a.hasT()) {
            constants.put(n.getOutput(0), a.getT());
          }
        }
      }
    }
    for (ValueInfoProto.Builder v : g.getInputBuilderList()) {
      if (!initializers.contains(v.getName())) {
        symbolicBatch(v);
      }
    }
    for (ValueInfoProto.Builder v : g.getOutputBuilderList()) {
      symbolicBatch(v);
    }
    for (ValueInfoProto.Builder v : g.getValueInfoBuilderList()) {
      if (v.getType().hasTensorType()) {
        v.getTypeBuilder().getTensorTypeBuilder().clearShape();
      }
    }
    int fixed = 0;
    for (NodeProto.Builder n : g.getNodeBuilderList()) {
      if (!n.getOpType().equals("Reshape") || n.getInputCount() < 2 || allowZero(n)) {
        continue;
      }
      String data = n.getInput(0);
      if (constants.containsKey(data)) {
        continue; // reshaping a constant: its first dimension is not the batch
      }
      Optional<long[]> target = int64Values(constants.get(n.getInput(1)));
      if (target.isEmpty() || target.get().length < 2 || target.get()[0] != 1) {
        continue;
      }
      long[] copyBatch = target.get().clone();
      copyBatch[0] = 0;
      String name = n.getInput(1) + "/offramp_batch_" + fixed++;
      g.addInitializer(OnnxProtos.int64(name, copyBatch));
      if (stage.getIrVersion() < 4) {
        g.addInput(
            ValueInfoProto.newBuilder()
                .setName(name)
                .setType(
                    TypeProto.newBuilder()
                        .setTensorType(
                            TypeProto.Tensor.newBuilder()
                                .setElemType(TensorProto.DataType.INT64_VALUE)
                                .setShape(
                                    TensorShapeProto.newBuilder()
                                        .addDim(
                                            TensorShapeProto.Dimension.newBuilder()
                                                .setDimValue(copyBatch.length))))));
      }
      n.setInput(1, name);
    }
    return stage.toBuilder().setGraph(g).build();
  }

  /** The first dimension becomes {@value #BATCH}; a tensor without a shape gets [batch, ?]. */
  private static void symbolicBatch(ValueInfoProto.Builder v) {
    if (!v.getType().hasTensorType()) {
      return;
    }
    TypeProto.Tensor.Builder t = v.getTypeBuilder().getTensorTypeBuilder();
    TensorShapeProto.Dimension batch =
        TensorShapeProto.Dimension.newBuilder().setDimParam(BATCH).build();
    if (!t.hasShape() || t.getShape().getDimCount() == 0) {
      return; // rank unknown: declaring one could contradict the graph
    }
    t.getShapeBuilder().setDim(0, batch);
  }

  private static boolean allowZero(NodeProto.Builder n) {
    for (AttributeProto a : n.getAttributeList()) {
      if (a.getName().equals("allowzero") && a.getI() == 1) {
        return true;
      }
    }
    return false;
  }

  /** The values of a 1-D int64 tensor (int64_data or raw little-endian), if it is one. */
  static Optional<long[]> int64Values(TensorProto t) {
    if (t == null
        || t.getDataType() != TensorProto.DataType.INT64_VALUE
        || t.getDimsCount() != 1
        || t.hasDataLocation() && t.getDataLocation() == TensorProto.DataLocation.EXTERNAL) {
      return Optional.empty();
    }
    if (t.getInt64DataCount() > 0) {
      List<Long> values = t.getInt64DataList();
      return Optional.of(values.stream().mapToLong(Long::longValue).toArray());
    }
    ByteBuffer raw = t.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
    long[] out = new long[raw.remaining() / Long.BYTES];
    for (int i = 0; i < out.length; i++) {
      out[i] = raw.getLong();
    }
    return Optional.of(out);
  }
}
