package dev.offramp.exporter.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;

/**
 * The shape of a JSON document: one line per value, its JSON pointer and its type, in document
 * order (numbers with their kind: int, long or double). Two documents with the same shape have the
 * same keys, in the same order, nesting and value types (a null where a number was is a change).
 * Compared with a shape recorded from the document the previous code wrote, it proves a rewrite of
 * a writer left the document as it was. Run with {@code -Dofframp.golden.write=true} to record the
 * shapes anew (in src/test/resources).
 */
public final class JsonShape {
  private JsonShape() {}

  /** The shape lines of {@code doc}. */
  public static String of(JsonNode doc) {
    StringBuilder sb = new StringBuilder();
    walk("", doc, sb);
    return sb.toString();
  }

  private static void walk(String path, JsonNode n, StringBuilder sb) {
    sb.append(path.isEmpty() ? "/" : path).append(' ').append(n.getNodeType());
    if (n.isNumber()) {
      sb.append(' ').append(n.numberType());
    }
    sb.append('\n');
    if (n.isObject()) {
      for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        walk(path + "/" + e.getKey(), e.getValue(), sb);
      }
    } else if (n.isArray()) {
      for (int i = 0; i < n.size(); i++) {
        walk(path + "/" + i, n.get(i), sb);
      }
    }
  }

  /**
   * Asserts that {@code doc} has the shape recorded in the class-path resource {@code name} (under
   * {@code documents/}).
   */
  public static void assertRecorded(String name, JsonNode doc) {
    String shape = of(doc);
    if (Boolean.getBoolean("offramp.golden.write")) {
      try {
        Path file = Path.of("src/test/resources/documents", name);
        Files.createDirectories(file.getParent());
        Files.writeString(file, shape);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return;
    }
    try (InputStream in = JsonShape.class.getResourceAsStream("/documents/" + name)) {
      if (in == null) {
        throw new AssertionError(
            "expected the recorded shape documents/"
                + name
                + " on the test class path, found"
                + " none; record it with -Dofframp.golden.write=true");
      }
      assertEquals(new String(in.readAllBytes(), StandardCharsets.UTF_8), shape, name);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
