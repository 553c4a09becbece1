package dev.offramp.cascade.bundle;

import static dev.offramp.cascade.testing.Refusals.assertMentions;
import static dev.offramp.cascade.testing.Refusals.messageOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.offramp.cascade.testing.TestBundles;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Hostile manifests are refused with the limit, the JSON path and the fix, not a crash. */
class ManifestLimitsTest {
  @TempDir Path dir;

  @Test
  void refusesNestingTwoHundredThousandDeepNamingTheLimitAndPath() {
    String json = "{\"stages\":" + "[".repeat(200_000) + "]".repeat(200_000) + "}";
    String message = messageOf(BundleException.class, () -> ManifestJson.parse(json));
    assertTrue(message.startsWith("stages[0][0][0]"), () -> "path first: " + message);
    assertMentions(
        message, "nested deeper than " + ManifestJson.MAX_DEPTH + " levels", "Rebuild the bundle");
  }

  @Test
  void refusesAnOverlongStringNamingTheField() {
    String json = "{\"format\":\"offramp-bundle/1\",\"name\":\"" + "x".repeat(100_000) + "\"}";
    String message = messageOf(BundleException.class, () -> ManifestJson.parse(json));
    assertTrue(message.startsWith("name: a string longer than 4096"), message);
  }

  @Test
  void refusesAnOverlongFieldName() {
    String json = "{\"" + "k".repeat(10_000) + "\":1}";
    assertMentions(
        messageOf(BundleException.class, () -> ManifestJson.parse(json)),
        "a field name longer than 4096");
  }

  @Test
  void refusesAFiftyMegabyteManifestFileBeforeReadingIt() throws IOException {
    TestBundles.write(dir);
    Path manifest = dir.resolve("manifest.json");
    try (RandomAccessFile f = new RandomAccessFile(manifest.toFile(), "rw")) {
      f.setLength(50L << 20); // sparse: the size is what is checked, nothing is read
    }
    String message = messageOf(BundleException.class, () -> Bundle.open(dir));
    assertMentions(message, "manifest is 52428800 bytes, expected at most");
    assertTrue(message.startsWith(manifest.toString()), message);
  }

  @Test
  void reportsLineAndColumnOfBadJson() {
    String message =
        messageOf(BundleException.class, () -> ManifestJson.parse("{\n  \"name\": ,\n}"));
    assertTrue(message.startsWith("not valid JSON (line 2, column "), message);
  }

  @Test
  void refusesAnEmptyDocument() {
    assertEquals(
        "manifest: expected a JSON object, found an empty document",
        messageOf(BundleException.class, () -> ManifestJson.parse("  ")));
  }

  @Test
  void refusesADocumentThatIsNotAnObject() {
    assertEquals(
        "manifest: expected a JSON object, found null",
        messageOf(BundleException.class, () -> ManifestJson.parse(" null, null, n}")));
    assertEquals(
        "manifest: expected a JSON object, found array",
        messageOf(BundleException.class, () -> ManifestJson.parse("[1]")));
  }

  @Test
  void stillReadsARealManifest() throws IOException {
    TestBundles.write(dir);
    String text = Files.readString(dir.resolve("manifest.json"));
    assertEquals(TestBundles.CLASSES, ManifestJson.parse(text).classes());
  }
}
