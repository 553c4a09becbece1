package dev.offramp.exporter.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class OnnxGraphTest {
  @TempDir Path dir;

  @Test
  void refusesATextFileAsNotAnOnnxModel() throws IOException {
    Path file = dir.resolve("model.onnx");
    Files.writeString(file, "this is not a model\n", StandardCharsets.UTF_8);
    OnnxModelException e = assertThrows(OnnxModelException.class, () -> OnnxGraph.load(file));
    assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
    assertTrue(e.getMessage().contains("not an ONNX model"), e.getMessage());
  }

  @ParameterizedTest
  @ValueSource(doubles = {0.1, 0.5, 0.9, 0.999})
  void refusesATruncatedModelSayingSo(double keptFraction) throws IOException {
    byte[] whole = TestNets.seNet(1).graph().model().toByteArray();
    Path file = dir.resolve("cut.onnx");
    Files.write(file, Arrays.copyOf(whole, (int) (whole.length * keptFraction)));
    OnnxModelException e = assertThrows(OnnxModelException.class, () -> OnnxGraph.load(file));
    assertTrue(e.getMessage().contains("truncated"), e.getMessage());
  }

  @Test
  void refusesAnEmptyOrMissingFile() throws IOException {
    Path empty = Files.createFile(dir.resolve("empty.onnx"));
    assertTrue(
        assertThrows(OnnxModelException.class, () -> OnnxGraph.load(empty))
            .getMessage()
            .contains("is empty"));
    assertTrue(
        assertThrows(OnnxModelException.class, () -> OnnxGraph.load(dir.resolve("nope.onnx")))
            .getMessage()
            .contains("not found"));
  }

  @Test
  void viewsConstantsInitializersProducersAndConsumers() {
    OnnxGraph g = TestNets.sharedConstants(1).graph();
    Node constant =
        g.nodes().stream().filter(n -> n.opType().equals("Constant")).findFirst().orElseThrow();
    String k = constant.outputs().get(0);
    assertTrue(g.isConstant(k));
    assertTrue(g.isConstantNode(constant));
    assertEquals(2, g.consumers(k).size(), "the Constant is shared by two Mul nodes");
    String param =
        g.initializers().keySet().stream()
            .filter(n -> n.startsWith("param_"))
            .findFirst()
            .orElseThrow();
    assertEquals(2, g.consumers(param).size(), "the initializer is shared by two Add nodes");
    assertEquals(List.of(), g.constantValue(k).orElseThrow().getDimsList());
    assertEquals(List.of("image"), g.inputNames());
    assertFalse(g.isConstant("image"));
    assertEquals(9, g.opset());
    Node first = g.consumers("image").get(0);
    assertEquals("Conv", first.opType());
    assertEquals(Optional.of(first), g.producer(first.outputs().get(0)));
  }

  @Test
  void ordersNodesTopologicallyEvenWhenTheFileDoesNot() {
    var model = TestNets.seNet(1).graph().model();
    var shuffled = model.getGraph().toBuilder().clearNode();
    for (int i = model.getGraph().getNodeCount() - 1; i >= 0; i--) {
      shuffled.addNode(model.getGraph().getNode(i));
    }
    OnnxGraph g = OnnxGraph.of(model.toBuilder().setGraph(shuffled).build());
    for (Node n : g.nodes()) {
      for (String in : n.inputs()) {
        g.producer(in).ifPresent(p -> assertTrue(p.index() < n.index(), n.displayName()));
      }
    }
  }

  @Test
  void asksForAnInputShapeWhenSpatialDimsAreSymbolic() {
    OnnxGraph g = OnnxGraph.load(ResnetFixtures.get("resnet18-small-32-dynhw-opset17.onnx"));
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> InputShapes.resolve(g, Optional.empty()));
    assertTrue(e.getMessage().contains("--input-shape"), e.getMessage());
    assertTrue(e.getMessage().contains("height"), e.getMessage());
    assertEquals(
        List.of(1L, 3L, 40L, 24L),
        InputShapes.resolve(g, Optional.of(List.of(1L, 3L, 40L, 24L))).get("image"));
  }

  @Test
  void usesBatchOneForASymbolicBatchAndRejectsAShapeThatContradictsTheModel() {
    OnnxGraph g = TestNets.seNet(1).graph();
    assertEquals(List.of(1L, 3L, 16L, 16L), InputShapes.resolve(g, Optional.empty()).get("image"));
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> InputShapes.resolve(g, Optional.of(List.of(1L, 3L, 32L, 32L))));
    assertTrue(e.getMessage().contains("dimension 2 is fixed to 16"), e.getMessage());
  }
}
