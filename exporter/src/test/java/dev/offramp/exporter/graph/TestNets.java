package dev.offramp.exporter.graph;

import ai.onnx.proto.OnnxMl.ModelProto;
import java.util.ArrayList;
import java.util.List;

/**
 * Small backbones built in code for tests: each one's shape is the point (an SE block, a long skip,
 * no interior cut), its weights are seeded random.
 */
public final class TestNets {
  private TestNets() {}

  /** A built test net and the tensors of interest named in its factory's javadoc. */
  public record Built(OnnxGraph graph, List<String> marks) {}

  /**
   * Stem, two SE residual blocks at 8×16×16, a strided SE block with projection to 16×8×8, one more
   * SE block, then pooling and a linear head. Marks: stem, the four block outputs, the SE pooling
   * tensor of block 1, the Flatten output.
   */
  public static Built seNet(long seed) {
    OnnxGraphBuilder b = new OnnxGraphBuilder("se-net", 13, seed);
    String x = b.input("image", 3, 16, 16);
    String stem = b.relu(b.conv(x, 8, 3, 1, 1));
    List<String> marks = new ArrayList<>();
    marks.add(stem);
    String s = stem;
    String[] sePool = new String[1];
    for (int i = 0; i < 4; i++) {
      int channels = i < 2 ? 8 : 16;
      int stride = i == 2 ? 2 : 1;
      String y = b.conv(b.relu(b.conv(s, channels, 3, stride, 1)), channels, 3, 1, 1);
      String pooled = b.globalAveragePool(y);
      if (sePool[0] == null) {
        sePool[0] = pooled;
      }
      String gate = b.sigmoid(b.conv(b.relu(b.conv(pooled, 2, 1, 1, 0)), channels, 1, 1, 0));
      String skip = i == 2 ? b.conv(s, channels, 1, 2, 0) : s;
      s = b.relu(b.add(b.mul(y, gate), skip));
      marks.add(s);
    }
    String flat = b.flatten(b.globalAveragePool(s));
    marks.add(sePool[0]);
    marks.add(flat);
    b.output(b.gemm(flat, 10));
    return new Built(OnnxGraph.of(b.build()), List.copyOf(marks));
  }

  /**
   * Encoder conv at 16×16, pooling, two convs at 8×8, a transposed conv back to 16×16, a Concat
   * with the first conv's output (the long skip), a conv and a linear head. Marks: the skip source,
   * the post-skip conv output, the Flatten output, and the bottleneck output.
   */
  public static Built uNet(long seed) {
    OnnxGraphBuilder b = new OnnxGraphBuilder("u-net", 17, seed);
    String x = b.input("image", 3, 16, 16);
    String e1 = b.relu(b.conv(x, 8, 3, 1, 1));
    String e2 = b.relu(b.conv(b.maxPool(e1, 2, 2), 16, 3, 1, 1));
    String bottleneck = b.relu(b.conv(e2, 16, 3, 1, 1));
    String up = b.convTranspose(bottleneck, 8, 2, 2);
    String d = b.relu(b.conv(b.concat(up, e1), 8, 3, 1, 1));
    String flat = b.flatten(b.globalAveragePool(d));
    b.output(b.gemm(flat, 10));
    return new Built(OnnxGraph.of(b.build()), List.of(e1, d, flat, bottleneck));
  }

  /** A conv whose output is added to the input: the skip spans the whole graph. */
  public static ModelProto noInteriorCut(long seed) {
    OnnxGraphBuilder b = new OnnxGraphBuilder("skip-all", 13, seed);
    String x = b.input("image", 3, 8, 8);
    b.output(b.add(b.conv(x, 3, 3, 1, 1), x));
    return b.build();
  }

  /**
   * A plain conv chain that reads one {@code Constant} node and one initializer in both its first
   * and its last block, so stages must each carry their own copy. Marks: the two block outputs.
   */
  public static Built sharedConstants(long seed) {
    OnnxGraphBuilder b = new OnnxGraphBuilder("shared-constants", 9, seed);
    String x = b.input("image", 1, 12, 12);
    String k = b.constant(0.5f);
    String p = b.parameter(0.25f);
    String a = b.relu(b.add(b.mul(b.conv(x, 4, 3, 1, 1), k), p));
    String c = b.relu(b.conv(a, 8, 3, 2, 1));
    String d = b.relu(b.add(b.mul(b.conv(c, 8, 3, 1, 1), k), p));
    b.output(b.gemm(b.flatten(b.globalAveragePool(d)), 5));
    return new Built(OnnxGraph.of(b.build()), List.of(a, c));
  }

  /** A conv followed by an {@code Einsum} (not modelled by the MAC counter) and a head. */
  public static ModelProto withEinsum(long seed) {
    OnnxGraphBuilder b = new OnnxGraphBuilder("einsum", 13, seed);
    String x = b.input("image", 3, 8, 8);
    String e = b.relu(b.einsum(b.conv(x, 4, 3, 1, 1), "nchw->nchw"));
    b.output(b.gemm(b.flatten(b.globalAveragePool(e)), 3));
    return b.build();
  }
}
