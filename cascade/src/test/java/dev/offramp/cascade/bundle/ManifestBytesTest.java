package dev.offramp.cascade.bundle;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.offramp.cascade.exit.ThresholdTable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The manifest writer's bytes do not drift: the committed demo bundle's manifest and a manifest
 * using every optional field (golden file written by the tree-building writer before the switch to
 * records) come out byte for byte as before.
 */
class ManifestBytesTest {
  private static final Path DEMO = Path.of("..", "demo", "fashion-resnet18", "bundle");

  @TempDir Path dir;

  @Test
  void demoBundleManifestIsWrittenBackByteForByte() throws IOException {
    Path file = DEMO.resolve(Bundle.MANIFEST);
    Manifest manifest = ManifestJson.read(file);
    Path out = dir.resolve(Bundle.MANIFEST);
    ManifestJson.write(manifest, out);
    assertEquals(Files.readString(file), Files.readString(out));
  }

  @Test
  void manifestWithEveryOptionalFieldMatchesTheGoldenFile() throws IOException {
    Path out = dir.resolve(Bundle.MANIFEST);
    ManifestJson.write(everyOptionalField(), out);
    assertEquals(golden("every-optional-field.json"), Files.readString(out));
    assertEquals(everyOptionalField(), ManifestJson.read(out));
  }

  private static String golden(String name) throws IOException {
    try (InputStream in = ManifestBytesTest.class.getResourceAsStream("golden/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  /**
   * Two exits over three classes: NaN thresholds (null), a negative margin, a target with and one
   * without {@code min_saving}, an agreement table with a class that never exits, a profile without
   * a target, long MAC counts, a non-trivial scale.
   */
  static Manifest everyOptionalField() {
    String hash = "0123456789abcdef".repeat(4);
    List<StageSpec> stages =
        List.of(
            new StageSpec("stage-0.onnx", hash, "image", Optional.of("cut0"), "p0", 1234567, 89),
            new StageSpec("stage-1.onnx", hash, "cut0", Optional.of("cut1"), "p1", 7654321, 12),
            new StageSpec("stage-2.onnx", hash, "cut1", Optional.empty(), "p2", 5_000_000_000L, 0));
    double nan = Double.NaN;
    Map<String, Profile> profiles = new LinkedHashMap<>();
    profiles.put(
        "m-0.0125",
        new Profile(
            "m-0.0125",
            -0.0125,
            ThresholdTable.of(new double[][] {{0.1, nan, 0.3333333333333333}, {nan, nan, 1.0}}),
            new Expected(
                0.9125,
                0.61803398875,
                new double[] {0.5, 0.25, 0.25},
                new double[][] {{0.99, nan, 1.0}, {0.0, 0.5, nan}}),
            Optional.of(new ProfileTarget(1.0, Optional.of(0.4)))));
    profiles.put(
        "drop2",
        new Profile(
            "drop2",
            0.02,
            ThresholdTable.of(new double[][] {{0.0, 0.0, 0.0}, {0.2, 0.2, 0.2}}),
            new Expected(0.875, 0.5, new double[] {0.1, 0.2, 0.7}),
            Optional.of(new ProfileTarget(2.0, Optional.empty()))));
    profiles.put(
        "never",
        new Profile(
            "never",
            0.0,
            ThresholdTable.never(2, 3),
            new Expected(1.0, 1.0000000000000002, new double[] {0, 0, 1})));
    return new Manifest(
        Manifest.FORMAT,
        "every-field",
        List.of("cat", "dog", "T-shirt/top"),
        new InputSpec(
            "image",
            new long[] {1, 3, 32, 48},
            ColorMode.BGR,
            1.0 / 255,
            new double[] {0.485, 0.456, 0.406},
            new double[] {0.229, 0.224, 0.225}),
        new BackboneInfo(hash, 13_888_888_901L, List.of("logits", "aux")),
        stages,
        profiles,
        "drop2",
        new TrainingInfo("baseline", "labels", "all", -3));
  }
}
