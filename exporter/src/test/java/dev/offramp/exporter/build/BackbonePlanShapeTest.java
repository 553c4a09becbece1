package dev.offramp.exporter.build;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.offramp.exporter.data.InputSettings;
import dev.offramp.exporter.data.InputSettings.ImageSize;
import dev.offramp.exporter.graph.InputShapes.ShapeFlag;
import dev.offramp.exporter.graph.OnnxGraph;
import dev.offramp.exporter.graph.ResnetFixtures;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@code build} sets the input with {@code --size}, so a shape error from it names {@code --size},
 * and the value it suggests works as printed; the grid bench has no shape flag and says so.
 */
class BackbonePlanShapeTest {
  private static InputSettings size(Optional<ImageSize> size) {
    return new InputSettings(size, Optional.empty(), 1 / 255.0, new double[] {0}, new double[] {1});
  }

  private static OnnxGraph fixture(String name) {
    return OnnxGraph.load(ResnetFixtures.get(name));
  }

  /** The message build's {@code BackbonePlan.of(graph, settings)} refuses with. */
  private static String refusal(OnnxGraph g, Optional<ImageSize> s) {
    return assertThrows(IllegalArgumentException.class, () -> BackbonePlan.of(g, size(s)))
        .getMessage();
  }

  @Test
  void aBackboneWithSymbolicHeightAndWidthAsksForSizeAndTheSuggestedSizeWorks() {
    OnnxGraph dyn = fixture("resnet18-small-32-dynhw-opset17.onnx");
    String m = refusal(dyn, Optional.empty());
    assertFalse(m.contains("--input-shape"), "build has no --input-shape: " + m);
    Matcher suggested = Pattern.compile("e\\.g\\. --size (\\S+)").matcher(m);
    assertTrue(suggested.find(), m);
    BackbonePlan plan =
        BackbonePlan.of(dyn, size(Optional.of(ImageSize.parse(suggested.group(1)))));
    assertEquals(32, plan.input().width());
  }

  @Test
  void aSizeTheModelDoesNotTakeNamesSizeAndHowToLeaveItOut() {
    OnnxGraph fixed = fixture("resnet18-small-28-opset13.onnx");
    String m = refusal(fixed, Optional.of(ImageSize.parse("32")));
    assertTrue(m.startsWith("--size 32x32 does not fit input"), m);
    assertTrue(m.contains("leave --size out"), m);
    assertEquals(28, BackbonePlan.of(fixed, size(Optional.empty())).input().width());
  }

  @Test
  void withoutAShapeFlagTheErrorSaysTheShapeComesFromTheModel() {
    OnnxGraph dyn = fixture("resnet18-small-32-dynhw-opset17.onnx");
    String m =
        assertThrows(
                IllegalArgumentException.class,
                () -> BackbonePlan.of(dyn, size(Optional.empty()), ShapeFlag.NONE))
            .getMessage();
    assertTrue(m.contains("takes the shape from the model"), m);
    assertFalse(m.contains("pass --"), m);
  }
}
