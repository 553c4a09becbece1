package dev.offramp.cascade.bundle;

import static dev.offramp.cascade.bundle.ManifestTrees.profile;
import static dev.offramp.cascade.bundle.ManifestTrees.stage;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import dev.offramp.cascade.testing.TestBundles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The published schema {@code schemas/bundle-manifest.schema.json} accepts real manifests (the
 * committed demo bundle's, the ones the writer produces) and refuses broken ones, which the reader
 * refuses too.
 */
class ManifestSchemaTest {
  private static final Path SCHEMA = Path.of("..", "schemas", "bundle-manifest.schema.json");
  private static final Path DEMO =
      Path.of("..", "demo", "fashion-resnet18", "bundle", Bundle.MANIFEST);
  private static Schema schema;

  @TempDir Path dir;

  @BeforeAll
  static void loadSchema() throws IOException {
    schema =
        SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12)
            .getSchema(Files.readString(SCHEMA), InputFormat.JSON);
  }

  private static List<Error> check(String manifest) {
    return schema.validate(manifest, InputFormat.JSON);
  }

  @Test
  void demoBundleManifestConforms() throws IOException {
    assertEquals(List.of(), check(Files.readString(DEMO)));
  }

  @Test
  void manifestsWrittenByTheCodeConform() throws IOException {
    TestBundles.write(dir);
    assertEquals(List.of(), check(Files.readString(dir.resolve(Bundle.MANIFEST))));
    assertEquals(List.of(), check(ManifestJson.toJson(ManifestBytesTest.everyOptionalField())));
  }

  static Stream<Arguments> brokenManifests() {
    return Stream.of(
        Arguments.of("name of the wrong type", (Consumer<ObjectNode>) m -> m.put("name", 5)),
        Arguments.of(
            "stage without its sha256", (Consumer<ObjectNode>) m -> stage(m, 1).remove("sha256")),
        Arguments.of(
            "one stage, and that one empty",
            (Consumer<ObjectNode>) m -> ((ArrayNode) m.get("stages")).removeAll().addObject()),
        Arguments.of("unknown top-level key", (Consumer<ObjectNode>) m -> m.put("quantized", true)),
        Arguments.of(
            "unknown colour",
            (Consumer<ObjectNode>) m -> ((ObjectNode) m.get("input")).put("color", "yuv")),
        Arguments.of(
            "threshold of the wrong type",
            (Consumer<ObjectNode>)
                m -> ((ArrayNode) profile(m, "drop2").get("thresholds").get(0)).set(0, "high")),
        Arguments.of("another format", (Consumer<ObjectNode>) m -> m.put("format", "x/2")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("brokenManifests")
  void brokenManifestFailsTheSchemaAndTheReader(String what, Consumer<ObjectNode> breakIt)
      throws IOException {
    ObjectNode m = ManifestTrees.everyOptionalField();
    breakIt.accept(m);
    String text = ManifestTrees.text(m);
    assertFalse(check(text).isEmpty(), what + " passed the schema");
    assertThrows(BundleException.class, () -> ManifestJson.parse(text), what);
  }
}
