package dev.offramp.exporter.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import dev.offramp.exporter.graph.OnnxGraph;
import dev.offramp.exporter.graph.TestNets;
import dev.offramp.exporter.split.BackboneAnalysis;
import dev.offramp.exporter.split.GraphSplitter;
import dev.offramp.exporter.split.StageGraph;
import dev.offramp.exporter.split.StageWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StageChainVerifierTest {
  @TempDir Path dir;

  private static List<StageGraph> split(TestNets.Built net) {
    BackboneAnalysis a = BackboneAnalysis.analyze(net.graph(), Optional.empty());
    return GraphSplitter.split(a, a.cuts().candidates());
  }

  @Test
  void reportsTheTensorsOfAStageThatComputesSomethingElse() throws IOException {
    TestNets.Built net = TestNets.seNet(1);
    StageWriter.write(split(net), dir);
    Files.write(dir.resolve("stage-2.onnx"), split(TestNets.seNet(2)).get(2).model().toByteArray());
    VerificationReport r =
        StageChainVerifier.verify(
            net.graph(), StageSources.discover(dir, net.graph()), 2, 1, Optional.empty());
    assertFalse(r.passes(1e-5));
    TensorError first = r.errors().stream().filter(e -> !e.within(1e-5)).findFirst().orElseThrow();
    assertEquals(2, first.stage());
    assertEquals(net.marks().get(2), first.tensor());
    assertTrue(r.errors().get(0).within(0) && r.errors().get(1).within(1e-6), r.toString());
  }

  @Test
  void verifiesABundleByItsManifestIgnoringHeadOutputs() throws IOException {
    TestNets.Built net = TestNets.uNet(1);
    List<StageGraph> stages = split(net);
    StringBuilder manifest = new StringBuilder("{\"format\": \"offramp-bundle/1\", \"stages\": [");
    for (StageGraph s : stages) {
      boolean last = s.index() == stages.size() - 1;
      ModelProto model = last ? s.model() : withHead(s.model(), s.output(), s.index());
      Files.write(dir.resolve("b" + s.index() + ".onnx"), model.toByteArray());
      manifest
          .append(s.index() == 0 ? "" : ",")
          .append("{\"file\": \"b")
          .append(s.index())
          .append(".onnx\", \"input\": \"")
          .append(s.input())
          .append("\", \"features\": ")
          .append(last ? "null" : "\"" + s.output() + "\"")
          .append(", \"probs\": \"exit_")
          .append(s.index())
          .append("_probs\"}");
    }
    Files.writeString(dir.resolve("manifest.json"), manifest + "]}", StandardCharsets.UTF_8);
    List<StageSpec> specs = StageSources.discover(dir, net.graph());
    assertEquals(List.of(stages.get(1).output()), specs.get(1).compared());
    VerificationReport r = StageChainVerifier.verify(net.graph(), specs, 1, 3, Optional.empty());
    assertTrue(r.passes(1e-5), r.toString());
    assertEquals(stages.size(), r.errors().size());
  }

  @Test
  void refusesAManifestStageWithoutItsInputNamingTheField() throws IOException {
    Files.writeString(
        dir.resolve("manifest.json"),
        "{\"stages\": [{\"file\": \"stage-0.onnx\", \"features\": null}]}",
        StandardCharsets.UTF_8);
    OnnxGraph g = TestNets.uNet(1).graph();
    VerificationException e =
        assertThrows(VerificationException.class, () -> StageSources.discover(dir, g));
    assertTrue(e.getMessage().contains("stages[0].input is missing"), e.getMessage());
  }

  @Test
  void refusesASplitDirectoryWithAGapInItsStages() throws IOException {
    TestNets.Built net = TestNets.seNet(1);
    StageWriter.write(split(net), dir);
    Files.delete(dir.resolve("stage-1.onnx"));
    VerificationException e =
        assertThrows(VerificationException.class, () -> StageSources.discover(dir, net.graph()));
    assertTrue(e.getMessage().contains("without gaps"), e.getMessage());
  }

  /** A stand-in exit head: an extra output the verifier must ignore. */
  private static ModelProto withHead(ModelProto stage, String features, int k) {
    String probs = "exit_" + k + "_probs";
    var g =
        stage.getGraph().toBuilder()
            .addNode(
                NodeProto.newBuilder()
                    .setOpType("Sigmoid")
                    .setName("head_" + k)
                    .addInput(features)
                    .addOutput(probs))
            .addOutput(
                ValueInfoProto.newBuilder()
                    .setName(probs)
                    .setType(stage.getGraph().getOutput(0).getType()));
    return stage.toBuilder().setGraph(g).build();
  }
}
