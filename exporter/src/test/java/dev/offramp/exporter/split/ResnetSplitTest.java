package dev.offramp.exporter.split;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl.StringStringEntryProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto.Dimension;
import dev.offramp.exporter.graph.OnnxGraph;
import dev.offramp.exporter.graph.ResnetFixtures;
import dev.offramp.exporter.verify.StageChainVerifier;
import dev.offramp.exporter.verify.StageSources;
import dev.offramp.exporter.verify.VerificationReport;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Split and verify on real torch.onnx.export output (see {@link ResnetFixtures}). */
class ResnetSplitTest {
  private static final String LAYER_END = "/layer%d/layer%d.1/relu_1/Relu_output_0";

  @TempDir Path dir;

  @Test
  void countsResNet18At224As1point81GigaMacsAndProposesStemAndEveryBlock() {
    OnnxGraph g = OnnxGraph.load(ResnetFixtures.get("resnet18-224-opset13.onnx"));
    BackboneAnalysis a = BackboneAnalysis.analyze(g, Optional.empty());
    assertEquals(1.81e9, a.totalMacs(), 0.01 * 1.81e9);
    assertEquals(List.of(), a.macs().uncountedOps());
    List<String> candidates = a.cuts().candidates();
    assertTrue(candidates.contains("/maxpool/MaxPool_output_0"), candidates.toString());
    for (int layer = 1; layer <= 4; layer++) {
      for (int block = 0; block <= 1; block++) {
        String out = "/layer" + layer + "/layer" + layer + "." + block + "/relu_1/Relu_output_0";
        assertTrue(candidates.contains(out), out + " in " + candidates);
      }
    }
    assertEquals(
        List.of(LAYER_END.formatted(1, 1), LAYER_END.formatted(2, 2), LAYER_END.formatted(3, 3)),
        a.autoCuts());
    CutCandidate layer2 =
        a.candidates().stream()
            .filter(c -> c.tensor().equals(LAYER_END.formatted(2, 2)))
            .findFirst()
            .orElseThrow();
    assertEquals(List.of(1L, 128L, 28L, 28L), layer2.shape());
    assertEquals("/layer2/layer2.1/relu_1/Relu", layer2.producer());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "resnet18-224-opset13.onnx,            '',          1",
    "resnet18-224-opset17.onnx,            '',          1",
    "resnet18-small-28-opset13.onnx,       '',          2",
    "resnet18-small-32-opset17.onnx,       '',          2",
    "resnet18-small-32-dynhw-opset17.onnx, '1,3,32,32', 2",
  })
  void chainedStagesEqualTheBackboneAtEveryCandidateAndAtAutoCuts(
      String fixture, String shape, int samples) {
    OnnxGraph g = OnnxGraph.load(ResnetFixtures.get(fixture));
    Optional<List<Long>> inputShape =
        shape.isEmpty()
            ? Optional.empty()
            : Optional.of(List.of(shape.split(",")).stream().map(Long::valueOf).toList());
    BackboneAnalysis a = BackboneAnalysis.analyze(g, inputShape);
    for (List<String> cuts : List.of(a.cuts().candidates(), a.autoCuts())) {
      List<StageGraph> stages = GraphSplitter.split(a, cuts);
      Path out = dir.resolve("cuts-" + cuts.size());
      StageWriter.write(stages, out);
      assertStagesKeepTheBackbonesContract(g, stages, cuts);
      VerificationReport r =
          StageChainVerifier.verify(g, StageSources.discover(out, g), samples, 11, inputShape);
      assertEquals(cuts.size() + 1, r.errors().size());
      assertTrue(r.passes(1e-5), r.toString());
    }
  }

  @Test
  void stagesOfADynamicSpatialModelRunAtAnotherInputSize() {
    OnnxGraph g = OnnxGraph.load(ResnetFixtures.get("resnet18-small-32-dynhw-opset17.onnx"));
    BackboneAnalysis a = BackboneAnalysis.analyze(g, Optional.of(List.of(1L, 3L, 32L, 32L)));
    List<StageGraph> stages = GraphSplitter.split(a, a.autoCuts());
    Dimension height =
        stages.get(1).model().getGraph().getInput(0).getType().getTensorType().getShape().getDim(2);
    assertFalse(height.hasDimValue(), "spatial dims of a dynamic-HW model stay dynamic");
    StageWriter.write(stages, dir);
    VerificationReport r =
        StageChainVerifier.verify(
            g, StageSources.discover(dir, g), 1, 5, Optional.of(List.of(2L, 3L, 40L, 24L)));
    assertTrue(r.passes(1e-5), r.toString());
  }

  private static void assertStagesKeepTheBackbonesContract(
      OnnxGraph g, List<StageGraph> stages, List<String> cuts) {
    int usedInitializers = 0;
    for (StageGraph s : stages) {
      var m = s.model();
      assertEquals(g.irVersion(), m.getIrVersion());
      assertEquals(g.model().getOpsetImportList(), m.getOpsetImportList());
      Map<String, String> meta =
          m.getMetadataPropsList().stream()
              .collect(
                  Collectors.toMap(
                      StringStringEntryProto::getKey, StringStringEntryProto::getValue));
      assertEquals(g.sha256(), meta.get(GraphSplitter.META_SOURCE_SHA256));
      assertEquals(String.join(",", cuts), meta.get(GraphSplitter.META_CUTS));
      assertTrue(meta.containsKey(GraphSplitter.META_TOOL_VERSION));
      assertEquals(s.index() == 0 ? "image" : cuts.get(s.index() - 1), s.input());
      assertEquals(
          s.index() == cuts.size() ? List.of("logits") : List.of(cuts.get(s.index())), s.outputs());
      Dimension batch = m.getGraph().getInput(0).getType().getTensorType().getShape().getDim(0);
      assertEquals("batch", batch.getDimParam(), "stage " + s.index() + " keeps a dynamic batch");
      usedInitializers += m.getGraph().getInitializerCount();
    }
    assertEquals(g.initializers().size(), usedInitializers, "each initializer in one stage only");
  }
}
