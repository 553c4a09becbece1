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

  @Test
  void aBackboneWithSymbolicHeightAndWidthAsksForSizeAndTheSuggestedSizeWorks() {
    OnnxGraph dyn = OnnxGraph.load(ResnetFixtures.get("resnet18-small-32-dynhw-opset17.onnx"));
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> BackbonePlan.of(dyn, size(Optional.empty())));
    assertFalse(e.getMessage().contains("--input-shape"), "build has no --input-shape: " + e);
    Matcher suggested = Pattern.compile("e\\.g\\. --size (\\S+)").matcher(e.getMessage());
    assertTrue(suggested.find(), e.getMessage());
    BackbonePlan plan =
        BackbonePlan.of(dyn, size(Optional.of(ImageSize.parse(suggested.group(1)))));
    assertEquals(32, plan.input().width());
  }

  @Test
  void aSizeTheModelDoesNotTakeNamesSizeAndHowToLeaveItOut() {
    OnnxGraph fixed = OnnxGraph.load(ResnetFixtures.get("resnet18-small-28-opset13.onnx"));
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> BackbonePlan.of(fixed, size(Optional.of(ImageSize.parse("32")))));
    assertTrue(e.getMessage().startsWith("--size 32x32 does not fit input"), e.getMessage());
    assertTrue(e.getMessage().contains("leave --size out"), e.getMessage());
    assertEquals(28, BackbonePlan.of(fixed, size(Optional.empty())).input().width());
  }

  @Test
  void withoutAShapeFlagTheErrorSaysTheShapeComesFromTheModel() {
    OnnxGraph dyn = OnnxGraph.load(ResnetFixtures.get("resnet18-small-32-dynhw-opset17.onnx"));
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> BackbonePlan.of(dyn, size(Optional.empty()), ShapeFlag.NONE));
    assertTrue(e.getMessage().contains("takes the shape from the model"), e.getMessage());
    assertFalse(e.getMessage().contains("pass --"), e.getMessage());
  }
}
