package dev.offramp.cascade.bundle;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;

/** Manifests as editable JSON trees, for tests that break one field at a time. */
final class ManifestTrees {
  static final ObjectMapper JSON = new ObjectMapper();

  private ManifestTrees() {}

  /** {@link ManifestBytesTest#everyOptionalField()} as written, as a tree. */
  static ObjectNode everyOptionalField() {
    try {
      return (ObjectNode)
          JSON.readTree(ManifestJson.toJson(ManifestBytesTest.everyOptionalField()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String text(ObjectNode m) {
    try {
      return JSON.writeValueAsString(m);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static ObjectNode stage(ObjectNode m, int k) {
    return (ObjectNode) m.get("stages").get(k);
  }

  static ObjectNode profile(ObjectNode m, String name) {
    return (ObjectNode) m.get("profiles").get(name);
  }
}
