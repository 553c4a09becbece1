package dev.offramp.exporter.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.offramp.cascade.bundle.ColorMode;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The imagefolder (CINIC-10 layout) and CIFAR-10 binary loaders, on files written here. */
class DatasetLoaderTest {
  @TempDir Path dir;

  private static final InputOptions RGB8 =
      new InputOptions(8, 8, ColorMode.RGB, 1 / 255.0, new double[] {0}, new double[] {1});

  /** A solid-colour 8×8 PNG. */
  private static void png(Path file, int rgb) throws IOException {
    Files.createDirectories(file.getParent());
    BufferedImage img = new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < 8; y++) {
      for (int x = 0; x < 8; x++) {
        img.setRGB(x, y, rgb);
      }
    }
    ImageIO.write(img, "png", file.toFile());
  }

  @Test
  void imageFolderReadsClassesInNameOrderWithTheirPixels() throws IOException {
    for (String split : List.of("train", "valid", "test")) {
      for (int i = 0; i < 3; i++) {
        png(dir.resolve(split + "/cat/" + i + ".png"), 0xFF0000);
        png(dir.resolve(split + "/airplane/" + i + ".png"), 0x0000FF);
      }
    }
    Dataset d = DatasetLoader.load("imagefolder:" + dir, RGB8, 0.1, 1);
    assertEquals(List.of("airplane", "cat"), d.classes());
    assertEquals(6, d.train().size());
    assertEquals(6, d.valid().size());
    assertTrue(d.holdOuts().isEmpty(), "valid exists, so nothing is held out");
    byte[] px = new byte[d.test().imageBytes()];
    d.test().image(0, px);
    assertEquals(0, d.test().labels()[0]); // airplane: blue
    assertArrayEquals(new byte[] {0, 0, (byte) 255}, new byte[] {px[0], px[1], px[2]});
    d.test().image(5, px);
    assertEquals(1, d.test().labels()[5]); // cat: red
    assertArrayEquals(new byte[] {(byte) 255, 0, 0}, new byte[] {px[0], px[1], px[2]});
  }

  @Test
  void grayPngsLoadWithTheirStoredLevelsAt8And16Bits() throws IOException {
    int[] types = {BufferedImage.TYPE_BYTE_GRAY, BufferedImage.TYPE_USHORT_GRAY};
    int[] stored = {100, 100 << 8 | 0x7f};
    for (String split : List.of("train", "valid", "test")) {
      for (int t = 0; t < types.length; t++) {
        Path file = dir.resolve(split + "/c" + t + "/0.png");
        Files.createDirectories(file.getParent());
        BufferedImage img = new BufferedImage(8, 8, types[t]);
        for (int y = 0; y < 8; y++) {
          for (int x = 0; x < 8; x++) {
            img.getRaster().setSample(x, y, 0, stored[t]);
          }
        }
        ImageIO.write(img, "png", file.toFile());
      }
    }
    InputOptions gray8 =
        new InputOptions(8, 8, ColorMode.GRAY, 1 / 255.0, new double[] {0}, new double[] {1});
    Dataset d = DatasetLoader.load("imagefolder:" + dir, gray8, 0.5, 1);
    byte[] px = new byte[d.test().imageBytes()];
    for (int i = 0; i < 2; i++) {
      d.test().image(i, px);
      // getRGB would have passed 100 through a linear-to-sRGB curve (about 168).
      assertEquals(
          100, px[0] & 0xff, "class c" + i + ": the stored level, not a colour-managed one");
    }
  }

  @Test
  void imageFolderWithoutValidHoldsOutASeededStratifiedSplit() throws IOException {
    for (String split : List.of("train", "test")) {
      for (int i = 0; i < 10; i++) {
        png(dir.resolve(split + "/a/" + i + ".png"), 0x101010);
        png(dir.resolve(split + "/b/" + i + ".png"), 0x202020);
      }
    }
    Dataset d = DatasetLoader.load("imagefolder:" + dir, RGB8, 0.2, 7);
    assertEquals(16, d.train().size());
    assertEquals(4, d.valid().size());
    assertArrayEquals(new int[] {2, 2}, d.valid().classCounts(2));
    assertEquals(1, d.holdOuts().size());
  }

  @Test
  void cifarBatchesAreReadPlanarToInterleaved() throws IOException {
    Path base = dir.resolve("cifar-10-batches-bin");
    Files.createDirectories(base);
    byte[] record = new byte[3073];
    record[0] = 3; // label
    for (int p = 0; p < 1024; p++) {
      record[1 + p] = 10; // R plane
      record[1 + 1024 + p] = 20; // G plane
      record[1 + 2048 + p] = 30; // B plane
    }
    byte[] four = new byte[4 * 3073]; // labels 3, 3, 5, 5
    for (int r = 0; r < 4; r++) {
      System.arraycopy(record, 0, four, r * 3073, 3073);
      four[r * 3073] = (byte) (r < 2 ? 3 : 5);
    }
    Files.write(base.resolve("data_batch_1.bin"), four);
    Files.write(base.resolve("test_batch.bin"), record);
    InputOptions in32 =
        new InputOptions(32, 32, ColorMode.RGB, 1 / 255.0, new double[] {0}, new double[] {1});
    Dataset d = DatasetLoader.load("cifar10:" + dir, in32, 0.5, 1);
    assertEquals(DatasetLoader.CIFAR_CLASSES, d.classes());
    assertEquals(2, d.train().size()); // one of each class held out as valid
    assertEquals(2, d.valid().size());
    assertEquals(1, d.test().size());
    assertEquals(3, d.test().labels()[0]);
    byte[] px = new byte[d.test().imageBytes()];
    d.test().image(0, px);
    assertArrayEquals(new byte[] {10, 20, 30, 10, 20, 30}, java.util.Arrays.copyOf(px, 6));
  }

  @Test
  void truncatedCifarBatchIsAClearError() throws IOException {
    Files.write(dir.resolve("data_batch_1.bin"), new byte[3000]);
    Files.write(dir.resolve("test_batch.bin"), new byte[3073]);
    var e =
        assertThrows(
            DatasetException.class, () -> DatasetLoader.load("cifar10:" + dir, RGB8, 0.1, 1));
    assertTrue(
        e.getMessage().contains("expected a multiple of 3073 bytes, found 3000"), e.getMessage());
  }
}
