package dev.offramp.cascade.bundle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
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
    BundleException e = assertThrows(BundleException.class, () -> ManifestJson.parse(json));
    assertTrue(e.getMessage().startsWith("stages[0][0][0]"), () -> "path first: " + e.getMessage());
    assertTrue(
        e.getMessage().contains("nested deeper than " + ManifestJson.MAX_DEPTH + " levels"),
        e.getMessage());
    assertTrue(e.getMessage().contains("Rebuild the bundle"), e.getMessage());
  }

  @Test
  void refusesAnOverlongStringNamingTheField() {
    String json = "{\"format\":\"offramp-bundle/1\",\"name\":\"" + "x".repeat(100_000) + "\"}";
    BundleException e = assertThrows(BundleException.class, () -> ManifestJson.parse(json));
    assertTrue(e.getMessage().startsWith("name: a string longer than 4096"), e.getMessage());
  }

  @Test
  void refusesAnOverlongFieldName() {
    String json = "{\"" + "k".repeat(10_000) + "\":1}";
    BundleException e = assertThrows(BundleException.class, () -> ManifestJson.parse(json));
    assertTrue(e.getMessage().contains("a field name longer than 4096"), e.getMessage());
  }

  @Test
  void refusesAFiftyMegabyteManifestFileBeforeReadingIt() throws IOException {
    TestBundles.write(dir);
    Path manifest = dir.resolve("manifest.json");
    try (RandomAccessFile f = new RandomAccessFile(manifest.toFile(), "rw")) {
      f.setLength(50L << 20); // sparse: the size is what is checked, nothing is read
    }
    BundleException e = assertThrows(BundleException.class, () -> Bundle.open(dir));
    assertTrue(
        e.getMessage().contains("manifest is 52428800 bytes, expected at most"), e.getMessage());
    assertTrue(e.getMessage().startsWith(manifest.toString()), e.getMessage());
  }

  @Test
  void reportsLineAndColumnOfBadJson() {
    BundleException e =
        assertThrows(BundleException.class, () -> ManifestJson.parse("{\n  \"name\": ,\n}"));
    assertTrue(e.getMessage().startsWith("not valid JSON (line 2, column "), e.getMessage());
  }

  @Test
  void refusesAnEmptyDocument() {
    BundleException e = assertThrows(BundleException.class, () -> ManifestJson.parse("  "));
    assertEquals("manifest: expected a JSON object, found an empty document", e.getMessage());
  }

  @Test
  void stillReadsARealManifest() throws IOException {
    TestBundles.write(dir);
    String text = Files.readString(dir.resolve("manifest.json"));
    assertEquals(TestBundles.CLASSES, ManifestJson.parse(text).classes());
  }
}
