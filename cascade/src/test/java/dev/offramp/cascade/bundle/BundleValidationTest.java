package dev.offramp.cascade.bundle;

import static dev.offramp.cascade.bundle.ManifestTrees.stage;
import static dev.offramp.cascade.testing.Refusals.assertMentions;
import static dev.offramp.cascade.testing.Refusals.messageOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.offramp.cascade.testing.TestBundles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class BundleValidationTest {

  @TempDir Path dir;

  private ObjectNode manifest() throws IOException {
    TestBundles.write(dir);
    return (ObjectNode) ManifestTrees.JSON.readTree(dir.resolve("manifest.json").toFile());
  }

  private void save(ObjectNode m) throws IOException {
    ManifestTrees.JSON.writeValue(dir.resolve("manifest.json").toFile(), m);
  }

  private static ObjectNode profile(ObjectNode m) {
    return ManifestTrees.profile(m, "m0.05");
  }

  static Stream<Arguments> brokenManifests() {
    return Stream.of(
        Arguments.of(
            "unknown format version",
            (Consumer<ObjectNode>) m -> m.put("format", "offramp-bundle/9"),
            "format: expected 'offramp-bundle/1', found 'offramp-bundle/9'"),
        Arguments.of(
            "missing required field",
            (Consumer<ObjectNode>) m -> m.remove("classes"),
            "classes: required field is missing"),
        Arguments.of(
            "unknown field",
            (Consumer<ObjectNode>) m -> stage(m, 1).put("quantized", true),
            "stages[1].quantized: unknown field"),
        Arguments.of(
            "wrong type",
            (Consumer<ObjectNode>) m -> stage(m, 0).put("macs", "lots"),
            "stages[0].macs: expected an integer"),
        Arguments.of(
            "bad sha256",
            (Consumer<ObjectNode>) m -> stage(m, 2).put("sha256", "abc"),
            "stages[2].sha256: expected 64 lower-case hex digits"),
        Arguments.of(
            "too few threshold rows",
            (Consumer<ObjectNode>) m -> ((ArrayNode) profile(m).get("thresholds")).remove(1),
            "profiles.m0.05.thresholds: expected 2 rows (one per exit) of 10 entries"),
        Arguments.of(
            "threshold row too short",
            (Consumer<ObjectNode>) m -> ((ArrayNode) profile(m).get("thresholds").get(0)).remove(9),
            "profiles.m0.05.thresholds: thresholds[1]: expected 9 entries"),
        Arguments.of(
            "threshold out of range",
            (Consumer<ObjectNode>)
                m -> ((ArrayNode) profile(m).get("thresholds").get(1)).set(3, 1.2),
            "profiles.m0.05.thresholds: thresholds[1][3]: expected a value in [0,1] or null"),
        Arguments.of(
            "threshold of the wrong type",
            (Consumer<ObjectNode>)
                m -> ((ArrayNode) profile(m).get("thresholds").get(0)).set(0, "high"),
            "profiles.m0.05.thresholds[0][0]: expected a threshold in [0,1] or null"),
        Arguments.of(
            "input tensor differs from stage 0's input",
            (Consumer<ObjectNode>) m -> ((ObjectNode) m.get("input")).put("tensor", "pixels"),
            "stages[0].input: expected the input tensor 'pixels'"),
        Arguments.of(
            "input channels inconsistent with color",
            (Consumer<ObjectNode>) m -> ((ObjectNode) m.get("input")).put("color", "rgb"),
            "input.shape: color 'rgb' has 3 channel(s) but the shape has C=1"),
        Arguments.of(
            "mean with the wrong length",
            (Consumer<ObjectNode>) m -> ((ArrayNode) m.get("input").get("mean")).add(0.1),
            "input.mean: expected 1 value(s), one per channel, found 2"),
        Arguments.of(
            "unknown color",
            (Consumer<ObjectNode>) m -> ((ObjectNode) m.get("input")).put("color", "yuv"),
            "input.color: expected one of gray, rgb, bgr, found 'yuv'"),
        Arguments.of(
            "stage chain broken",
            (Consumer<ObjectNode>) m -> stage(m, 1).put("input", "block7"),
            "stages[1].input: expected 'block0' (stages[0].features), found 'block7'"),
        Arguments.of(
            "last stage forwards features",
            (Consumer<ObjectNode>) m -> stage(m, 2).put("features", "block2"),
            "stages[2].features: expected null for the last stage"),
        Arguments.of(
            "bad profile name",
            (Consumer<ObjectNode>)
                m -> ((ObjectNode) m.get("profiles")).set("fast lane", profile(m).deepCopy()),
            "profiles.fast lane.name: expected a name of 1-64 letters"),
        Arguments.of(
            "default profile absent",
            (Consumer<ObjectNode>) m -> m.put("default_profile", "m0.10"),
            "default_profile: expected one of [m0.05, eager, exit1, never], found 'm0.10'"),
        Arguments.of(
            "exit rates per stage",
            (Consumer<ObjectNode>)
                m -> ((ArrayNode) profile(m).get("expected").get("exit_rates")).remove(0),
            "profiles.m0.05.expected.exit_rates: expected 3 rates (one per stage), found 2"),
        Arguments.of(
            "target with a negative drop",
            (Consumer<ObjectNode>) m -> profile(m).putObject("target").put("max_drop_points", -1.0),
            "profiles.m0.05.target.max_drop_points: expected accuracy points in [0,100]"),
        Arguments.of(
            "target saving of a whole backbone",
            (Consumer<ObjectNode>)
                m ->
                    profile(m)
                        .putObject("target")
                        .put("max_drop_points", 1.0)
                        .put("min_saving", 1.0),
            "min_saving: expected a fraction of the backbone's MACs in [0,1)"),
        Arguments.of(
            "target with an unknown bound",
            (Consumer<ObjectNode>) m -> profile(m).putObject("target").put("max_latency_ms", 3),
            "profiles.m0.05.target.max_latency_ms: unknown field"),
        Arguments.of(
            "margin at or below -1",
            (Consumer<ObjectNode>) m -> profile(m).put("margin", -1.0),
            "margin: expected a value in (-1,1]"),
        Arguments.of(
            "unknown training scheme",
            (Consumer<ObjectNode>) m -> ((ObjectNode) m.get("training")).put("scheme", "greedy"),
            "training.scheme: expected one of [baseline, boosted], found 'greedy'"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("brokenManifests")
  void invalidManifestIsRefusedNamingTheField(
      String what, Consumer<ObjectNode> breakIt, String expectedMessage) throws IOException {
    ObjectNode m = manifest();
    breakIt.accept(m);
    save(m);
    String message = messageOf(BundleException.class, () -> Bundle.open(dir));
    assertMentions(message, expectedMessage);
    assertTrue(message.startsWith(dir.resolve("manifest.json").toString()), message);
  }

  @Test
  void validBundleOpensAndRoundTripsThroughJson() throws IOException {
    TestBundles.write(dir);
    Bundle bundle = Bundle.open(dir);
    Manifest m = bundle.manifest();
    assertEquals(2, m.exits());
    assertEquals("m0.05", m.defaultProfile());
    assertTrue(m.profile("never").thresholds().get(1, 4).isEmpty());
    assertEquals(m, ManifestJson.parse(ManifestJson.toJson(m)));
    assertTrue(m.profile("m0.05").target().isEmpty(), "a manifest without targets still loads");
  }

  @Test
  void profileTargetAndNegativeMarginRoundTripThroughTheManifest() throws IOException {
    ObjectNode m = manifest();
    profile(m).put("margin", -0.0125);
    profile(m).putObject("target").put("max_drop_points", 1.0).put("min_saving", 0.4);
    save(m);
    Profile p = Bundle.open(dir).manifest().profile("m0.05");
    assertEquals(-0.0125, p.margin());
    assertEquals(new ProfileTarget(1.0, java.util.Optional.of(0.4)), p.target().orElseThrow());
    Manifest back = ManifestJson.parse(ManifestJson.toJson(Bundle.open(dir).manifest()));
    assertEquals(p.target(), back.profile("m0.05").target());
  }

  @Test
  void expectedAgreementPerExitAndClassRoundTripsWithNullWhereAClassNeverExits()
      throws IOException {
    ObjectNode m = manifest();
    var table = ((ObjectNode) profile(m).get("expected")).putArray("agreement");
    for (int k = 0; k < 2; k++) {
      var row = table.addArray();
      for (int c = 0; c < 10; c++) {
        if (c == 3) {
          row.addNull();
        } else {
          row.add(0.9 + 0.01 * c);
        }
      }
    }
    save(m);
    Manifest loaded = Bundle.open(dir).manifest();
    Expected e = loaded.profile("m0.05").expected();
    assertTrue(e.hasAgreement());
    assertEquals(0.92, e.agreement(1, 2), 1e-12);
    assertTrue(Double.isNaN(e.agreement(0, 3)));
    assertTrue(Double.isNaN(e.agreement(5, 0)), "outside the table: unknown");
    assertEquals(loaded, ManifestJson.parse(ManifestJson.toJson(loaded)));
    assertTrue(
        !loaded.profile("never").expected().hasAgreement(),
        "a profile without the field loads with no expectation");
  }

  @Test
  void agreementTableOfTheWrongShapeOrOutOfRangeIsRefusedNamingTheField() throws IOException {
    ObjectNode m = manifest();
    ((ObjectNode) profile(m).get("expected")).putArray("agreement").addArray().add(0.5);
    save(m);
    assertMentions(
        messageOf(BundleException.class, () -> Bundle.open(dir)),
        "profiles.m0.05.expected.agreement");
    ObjectNode m2 = manifest();
    var rows = ((ObjectNode) profile(m2).get("expected")).putArray("agreement");
    for (int k = 0; k < 2; k++) {
      var row = rows.addArray();
      for (int c = 0; c < 10; c++) {
        row.add(c == 4 ? 1.5 : 0.5);
      }
    }
    save(m2);
    assertMentions(messageOf(BundleException.class, () -> Bundle.open(dir)), "agreement[0][4]");
  }

  @Test
  void stageFileAlteredByOneByteIsRefused() throws IOException {
    TestBundles.write(dir);
    Path stage = dir.resolve("stage-1.onnx");
    byte[] bytes = Files.readAllBytes(stage);
    bytes[bytes.length / 2] ^= 1;
    Files.write(stage, bytes);
    assertMentions(
        messageOf(BundleException.class, () -> Bundle.open(dir)),
        "stage-1.onnx: SHA-256 mismatch (stages[1].sha256)",
        "copy the bundle again or rebuild it");
  }

  @Test
  void missingStageFileIsRefusedNamingIt() throws IOException {
    TestBundles.write(dir);
    Files.delete(dir.resolve("stage-2.onnx"));
    assertMentions(
        messageOf(BundleException.class, () -> Bundle.open(dir)),
        "stages[2].file: 'stage-2.onnx' does not exist");
  }

  @Test
  void missingManifestSaysWhatABundleIs() {
    assertMentions(
        messageOf(BundleException.class, () -> Bundle.open(dir)), "no manifest.json here");
  }

  @Test
  void manifestThatIsNotJsonGivesLineAndColumn() throws IOException {
    Files.writeString(dir.resolve("manifest.json"), "{\"format\": \"offramp-bundle/1\",\n  oops");
    assertMentions(
        messageOf(BundleException.class, () -> Bundle.open(dir)), "not valid JSON (line 2");
  }
}
