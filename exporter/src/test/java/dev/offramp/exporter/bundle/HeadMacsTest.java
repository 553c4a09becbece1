package dev.offramp.exporter.bundle;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.onnx.proto.OnnxMl.ModelProto;
import dev.offramp.exporter.features.AdaptivePool;
import dev.offramp.exporter.graph.InputShapes;
import dev.offramp.exporter.graph.MacCounter;
import dev.offramp.exporter.graph.OnnxGraph;
import dev.offramp.exporter.graph.OnnxGraphBuilder;
import dev.offramp.exporter.graph.ShapeProbe;
import dev.offramp.exporter.train.HeadShape;
import dev.offramp.exporter.train.HeadWeights;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The head cost the build reports ({@link HeadShape#macs}) against the MAC count of the head graph
 * the bundle actually runs ({@link HeadGraph#withHead}, counted by {@link MacCounter}). The counter
 * counts Conv, Gemm and MatMul; the head's AveragePool and GlobalAveragePool are free by its
 * convention, and {@link HeadShape#macs} adds them as C·H·W and h·G² adds.
 */
class HeadMacsTest {
  private static HeadWeights weights(HeadShape s) {
    List<float[]> conv = new ArrayList<>();
    List<float[]> bias = new ArrayList<>();
    for (int l = 0; l < s.layers(); l++) {
      int in = l == 0 ? s.channels() : s.hidden();
      conv.add(new float[s.hidden() * in * 3]);
      bias.add(new float[s.hidden()]);
    }
    return new HeadWeights(
        s, conv, bias, new float[s.classes() * s.hidden()], new float[s.classes()]);
  }

  @ParameterizedTest(name = "cut {0}x{1}x{2}, grid {3}, width {4}, layers {5}")
  @CsvSource({
    "32, 14, 14, 4, 16, 1", // uneven windows: the demo's exit 1 (dense MatMul pooling)
    "16, 7, 7, 4, 16, 2", // uneven
    "16, 28, 28, 4, 16, 1", // even: AveragePool
    "8, 8, 8, 2, 8, 2" // even
  })
  void headMacsEqualWhatTheExportedHeadGraphComputes(
      int c, int h, int w, int g, int hidden, int layers) {
    HeadShape shape = new HeadShape(c, h, w, g, hidden, layers, 10);
    OnnxGraphBuilder b = new OnnxGraphBuilder("stage", 17, 1);
    String x = b.input("x", c, h, w);
    String cut = b.identity(x);
    b.output(cut);
    ModelProto stage = HeadGraph.withHead(b.build(), 0, cut, weights(shape));
    OnnxGraph graph = OnnxGraph.of(stage);
    var inputs = InputShapes.resolve(graph, Optional.empty());
    long counted =
        MacCounter.count(graph, ShapeProbe.probe(graph, inputs, MacCounter.tensorsNeeded(graph)))
            .total();
    long freeByConvention =
        (AdaptivePool.isUniform(h, w, g) ? (long) c * h * w : 0) + (long) hidden * g * g;
    assertEquals(counted + freeByConvention, shape.macs());
  }
}
