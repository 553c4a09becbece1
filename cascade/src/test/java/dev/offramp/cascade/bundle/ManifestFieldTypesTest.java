package dev.offramp.cascade.bundle;

import static dev.offramp.cascade.bundle.ManifestTrees.stage;
import static dev.offramp.cascade.testing.Refusals.messageOf;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A field of the wrong JSON type is refused with its path, the type expected and the value found;
 * nothing is coerced (a string of digits is not an integer, a number is not a string).
 */
class ManifestFieldTypesTest {
  private static ObjectNode profile(ObjectNode m) {
    return ManifestTrees.profile(m, "drop2");
  }

  static Stream<Arguments> wrongTypes() {
    return Stream.of(
        Arguments.of(
            (Consumer<ObjectNode>) m -> m.put("name", 5), "name: expected a string, found 5"),
        Arguments.of(
            (Consumer<ObjectNode>) m -> m.put("classes", 5),
            "classes: expected a JSON array, found 5"),
        Arguments.of(
            (Consumer<ObjectNode>) m -> ((ArrayNode) m.get("classes")).insertNull(1),
            "classes[1]: expected a string, found null"),
        Arguments.of(
            (Consumer<ObjectNode>) m -> m.putArray("input"),
            "input: expected a JSON object, found array"),
        Arguments.of(
            (Consumer<ObjectNode>) m -> stage(m, 0).put("macs", "12"),
            "stages[0].macs: expected an integer, found \"12\""),
        Arguments.of(
            (Consumer<ObjectNode>) m -> stage(m, 0).put("macs", 1.5),
            "stages[0].macs: expected an integer, found 1.5"),
        Arguments.of(
            (Consumer<ObjectNode>)
                m -> stage(m, 0).put("macs", new java.math.BigInteger("99999999999999999999")),
            "stages[0].macs: expected an integer, found 99999999999999999999"),
        Arguments.of(
            (Consumer<ObjectNode>) m -> stage(m, 1).put("features", 3),
            "stages[1].features: expected a string, found 3"),
        Arguments.of(
            (Consumer<ObjectNode>) m -> stage(m, 1).putNull("probs"),
            "stages[1].probs: expected a string, found null"),
        Arguments.of(
            (Consumer<ObjectNode>) m -> ((ObjectNode) m.get("input")).putNull("scale"),
            "input.scale: expected a number, found null"),
        Arguments.of(
            (Consumer<ObjectNode>) m -> ((ArrayNode) m.get("input").get("shape")).set(2, "32"),
            "input.shape[2]: expected an integer, found \"32\""),
        Arguments.of(
            (Consumer<ObjectNode>)
                m -> ((ObjectNode) profile(m).get("expected")).put("accuracy", true),
            "profiles.drop2.expected.accuracy: expected a number, found true"),
        Arguments.of(
            (Consumer<ObjectNode>) m -> profile(m).withObject("target").remove("max_drop_points"),
            "profiles.drop2.target.max_drop_points: required field is missing"),
        Arguments.of(
            (Consumer<ObjectNode>) m -> stage(m, 2).remove("features"),
            "stages[2].features: required field is missing"),
        Arguments.of(
            (Consumer<ObjectNode>) m -> m.put("surprise", 1),
            "surprise: unknown field. Expected only [backbone, classes, default_profile, format,"
                + " input, name, profiles, stages, training]"));
  }

  @ParameterizedTest(name = "{1}")
  @MethodSource("wrongTypes")
  void wrongTypeIsRefusedWithPathExpectedAndFound(Consumer<ObjectNode> breakIt, String message) {
    ObjectNode m = ManifestTrees.everyOptionalField();
    breakIt.accept(m);
    String refusal =
        messageOf(BundleException.class, () -> ManifestJson.parse(ManifestTrees.text(m)));
    assertTrue(refusal.startsWith(message), refusal);
  }

  @Test
  void explicitNullInAnOptionalFieldReadsAsAbsent() {
    ObjectNode m = ManifestTrees.everyOptionalField();
    ObjectNode p = ManifestTrees.profile(m, "m-0.0125");
    p.putNull("target");
    ((ObjectNode) p.get("expected")).putNull("agreement");
    Profile read = ManifestJson.parse(ManifestTrees.text(m)).profile("m-0.0125");
    assertTrue(read.target().isEmpty());
    assertFalse(read.expected().hasAgreement());
  }
}
