package dev.offramp.benchmarks.parity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.offramp.cascade.bundle.ColorMode;
import dev.offramp.exporter.data.Dataset;
import dev.offramp.exporter.data.DatasetLoader;
import dev.offramp.exporter.data.ImageSet;
import dev.offramp.exporter.data.InputOptions;
import dev.offramp.exporter.data.Split;
import dev.offramp.runtime.capture.Capture;
import dev.offramp.runtime.capture.CapturedFrame;
import dev.offramp.runtime.capture.FrameFormat;
import dev.offramp.runtime.capture.LatestFrameSlot;
import dev.offramp.runtime.capture.SourceSettings;
import dev.offramp.runtime.capture.SourceSpec;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The pixels a network is trained and calibrated on (the exporter reading an image folder) are the
 * pixels it is served (the runtime capturing the same files), for images larger than, smaller than
 * and equal to the model's input, in colour and in gray: a skew here moves every calibrated
 * threshold. The images are seeded noise over a few shapes, the hardest content for a resize to
 * agree on (a bilinear shrink against an area shrink differs by tens of levels on it).
 */
class TrainServeParityTest {
  private static final int IMAGES = 4;

  @TempDir Path dir;

  @ParameterizedTest(name = "{0}x{1} {2} PNG -> 28x28 {3}")
  @CsvSource({
    "112, 112, rgb, gray", // shrinking by a whole factor
    "97, 83, rgb, rgb", // shrinking by fractions
    "64, 48, gray, gray", // a gray PNG
    "28, 28, rgb, bgr", // already the model's size
    "20, 20, rgb, gray", // enlarging
    "112, 112, jpg, rgb", // JPEG (4:2:0 chroma), shrinking
    "97, 83, jpg, gray", // JPEG into a gray model
    "28, 28, jpg, rgb", // JPEG, same size
  })
  void theExporterAndTheRuntimeSeeTheSamePixels(int w, int h, String file, String model)
      throws Exception {
    boolean grayFile = file.equals("gray");
    String ext = file.equals("jpg") ? "jpg" : "png";
    for (String split : List.of("train", "test")) {
      for (String cls : List.of("a", "b")) {
        Path d = Files.createDirectories(dir.resolve(split).resolve(cls));
        for (int i = 0; i < IMAGES; i++) {
          long seed = (split + cls).hashCode() * 31L + i;
          Path written = d.resolve("img-" + i + "." + ext);
          assertTrue(
              ImageIO.write(image(w, h, grayFile, seed), ext, written.toFile()),
              "wrote " + written);
        }
      }
    }
    ColorMode color = ColorMode.parse(model, "color");
    InputOptions in =
        new InputOptions(
            28, 28, color, InputOptions.DEFAULT_SCALE, new double[] {0}, new double[] {1});
    Dataset data = DatasetLoader.load("imagefolder:" + dir, in, 0.25, 1);
    ImageSet test = data.split(Split.TEST);
    assertEquals(2 * IMAGES, test.size());

    List<byte[]> served = capture(dir.resolve("test").resolve("a"), new FrameFormat(28, 28, color));
    assertEquals(IMAGES, served.size(), "one frame per file");
    byte[] trained = new byte[test.imageBytes()];
    long sum = 0;
    int max = 0;
    for (int i = 0; i < IMAGES; i++) {
      test.image(i, trained);
      byte[] frame = served.get(i);
      for (int p = 0; p < trained.length; p++) {
        int d = Math.abs((trained[p] & 0xff) - (frame[p] & 0xff));
        sum += d;
        max = Math.max(max, d);
      }
    }
    double mean = (double) sum / (IMAGES * trained.length);
    System.out.printf(
        "parity %dx%d %s -> 28x28 %s: mean |diff| %.3f, max %d%n", w, h, file, model, mean, max);
    assertTrue(mean <= 0.3, "mean difference " + mean + " levels");
    assertTrue(max <= 1, "largest difference " + max + " levels");
  }

  private static BufferedImage image(int w, int h, boolean gray, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    BufferedImage img =
        new BufferedImage(w, h, gray ? BufferedImage.TYPE_BYTE_GRAY : BufferedImage.TYPE_INT_RGB);
    int cx = r.nextInt(w);
    int cy = r.nextInt(h);
    int radius = 2 + r.nextInt(Math.max(3, Math.min(w, h) / 2));
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        boolean inside = (x - cx) * (x - cx) + (y - cy) * (y - cy) < radius * radius;
        int base = inside ? 200 : (x * 255 / w);
        int red = clamp(base + r.nextInt(-40, 41));
        if (gray) {
          img.getRaster().setSample(x, y, 0, red);
        } else {
          int green = clamp(255 - base + r.nextInt(-40, 41));
          int blue = clamp((y * 255 / h) + r.nextInt(-40, 41));
          img.setRGB(x, y, (red << 16) | (green << 8) | blue);
        }
      }
    }
    return img;
  }

  private static int clamp(int v) {
    return Math.max(0, Math.min(255, v));
  }

  private static List<byte[]> capture(Path directory, FrameFormat format) throws Exception {
    LatestFrameSlot slot = new LatestFrameSlot(format);
    List<byte[]> out = new ArrayList<>();
    try (Capture capture =
        new Capture(
            SourceSettings.of(new SourceSpec.ImageDirectory(directory)), slot, (c, s) -> {})) {
      capture.start();
      CapturedFrame f = new CapturedFrame(format);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      while (System.nanoTime() < deadline) {
        if (slot.take(f, 100)) {
          out.add(f.pixels().clone());
        } else if (slot.drained()) {
          break;
        }
      }
    }
    return out;
  }
}
