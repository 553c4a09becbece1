package dev.offramp.exporter.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.offramp.cascade.bundle.ColorMode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The hard Fashion-MNIST variant ({@code scripts/models/hard_fashion.py}) on the first 200 real
 * images of each split: deterministic per seed, different from the source and between seeds, same
 * labels, and the split digest the script records equals the exporter's {@link SplitDigest} of the
 * same files as loaded (so backbone.json and report.json digests can be compared).
 */
class HardFashionVariantTest {
  private static final String PYTHON = "/usr/bin/python3";
  private static final Path REAL = Path.of("/usr/share/datasets/fashion-mnist");
  private static final int LIMIT = 200;
  private static final InputOptions GRAY28 =
      new InputOptions(28, 28, ColorMode.GRAY, 1 / 255.0, new double[] {0}, new double[] {1});

  @TempDir static Path dir;

  @BeforeAll
  static void generate() throws Exception {
    for (String[] run :
        List.of(new String[] {"a", "1"}, new String[] {"b", "1"}, new String[] {"c", "2"})) {
      script(dir.resolve(run[0]), run[1]);
    }
  }

  private static void script(Path out, String seed) throws IOException, InterruptedException {
    Path moduleDir = Path.of(System.getProperty("basedir", System.getProperty("user.dir")));
    Path script = moduleDir.toAbsolutePath().getParent().resolve("scripts/models/hard_fashion.py");
    Process p =
        new ProcessBuilder(
                PYTHON,
                script.toString(),
                "--out",
                out.toString(),
                "--seed",
                seed,
                "--src",
                REAL.toString(),
                "--limit",
                String.valueOf(LIMIT))
            .redirectErrorStream(true)
            .start();
    String log = new String(p.getInputStream().readAllBytes());
    if (!p.waitFor(2, TimeUnit.MINUTES) || p.exitValue() != 0) {
      fail(
          "hard_fashion.py failed (needs "
              + PYTHON
              + " with numpy and the real Fashion-MNIST in "
              + REAL
              + "):\n"
              + log);
    }
  }

  private static Dataset load(Path d) {
    return DatasetLoader.load("fashion-mnist:" + d, GRAY28, 0.1, 1);
  }

  @Test
  void sameSeedGivesByteIdenticalFiles() throws IOException {
    for (String f :
        List.of(
            "train-images-idx3-ubyte.gz",
            "train-labels-idx1-ubyte.gz",
            "t10k-images-idx3-ubyte.gz",
            "t10k-labels-idx1-ubyte.gz")) {
      assertArrayEquals(
          Files.readAllBytes(dir.resolve("a").resolve(f)),
          Files.readAllBytes(dir.resolve("b").resolve(f)),
          f);
    }
  }

  @Test
  void variantKeepsLabelsAndChangesEveryImage() {
    ImageSet hard = load(dir.resolve("a")).test();
    ImageSet real = load(REAL).test();
    assertEquals(LIMIT, hard.size());
    byte[] h = new byte[784];
    byte[] r = new byte[784];
    for (int i = 0; i < LIMIT; i++) {
      assertEquals(real.labels()[i], hard.labels()[i]);
      hard.image(i, h);
      real.image(i, r);
      int differing = 0;
      for (int p = 0; p < 784; p++) {
        differing += Math.abs((h[p] & 0xff) - (r[p] & 0xff)) > 8 ? 1 : 0;
      }
      assertTrue(differing > 100, "image " + i + " differs in only " + differing + " pixels");
    }
  }

  @Test
  void anotherSeedGivesAnotherVariant() {
    assertFalse(
        SplitDigest.sha256(load(dir.resolve("a")).test())
            .equals(SplitDigest.sha256(load(dir.resolve("c")).test())));
  }

  @Test
  void digestRecordedByTheScriptEqualsTheExportersDigest() throws IOException {
    JsonNode meta = new ObjectMapper().readTree(dir.resolve("a/variant.json").toFile());
    Dataset d = DatasetLoader.load("fashion-mnist:" + dir.resolve("a"), GRAY28, 0.1, 1);
    assertEquals(meta.at("/splits/t10k/sha256").asText(), SplitDigest.sha256(d.test()));
    ImageSet calibrationStyle =
        DatasetLoader.loadCalibration(
            "fashion-mnist:" + dir.resolve("a"), GRAY28, DatasetLoader.FASHION_CLASSES);
    assertEquals(meta.at("/splits/train/sha256").asText(), SplitDigest.sha256(calibrationStyle));
  }
}
