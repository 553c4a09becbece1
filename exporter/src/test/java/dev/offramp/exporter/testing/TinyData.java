package dev.offramp.exporter.testing;

import dev.offramp.exporter.graph.OnnxGraphBuilder;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.zip.GZIPOutputStream;

/**
 * Code-generated fixtures for exporter tests: a small ResNet-like backbone (28×28 gray in, 10
 * logits out, three residual stages) and a synthetic Fashion-MNIST-shaped IDX dataset whose class
 * decides where a bright square sits.
 */
public final class TinyData {
  private TinyData() {}

  /** A residual net: stem, three residual stages (8@28², 16@14², 32@7²), GAP, Gemm → logits. */
  public static Path backbone(Path dir, int classes) throws IOException {
    Files.createDirectories(dir);
    OnnxGraphBuilder b = new OnnxGraphBuilder("tiny-resnet", 17, 42);
    String x = b.input("image", 1, 28, 28);
    x = b.relu(b.conv(x, 8, 3, 1, 1));
    x = block(b, x, 8);
    x = b.relu(b.conv(x, 16, 3, 2, 1));
    x = block(b, x, 16);
    x = b.relu(b.conv(x, 32, 3, 2, 1));
    x = block(b, x, 32);
    x = b.flatten(b.globalAveragePool(x));
    String logits = b.gemm(x, classes);
    b.output(logits);
    Path p = dir.resolve("tiny-resnet.onnx");
    Files.write(p, b.build().toByteArray());
    return p;
  }

  private static String block(OnnxGraphBuilder b, String x, int c) {
    String y = b.relu(b.conv(x, c, 3, 1, 1));
    y = b.conv(y, c, 3, 1, 1);
    return b.relu(b.add(x, y));
  }

  /**
   * The arguments of {@code offramp build} of {@code backbone} on the IDX set in {@code data} into
   * {@code out}, one epoch: the command line the build tests start from (a mutable list).
   */
  public static List<String> buildArgs(Path backbone, Path data, Path out) {
    return new ArrayList<>(
        List.of(
            "build",
            "--backbone",
            backbone.toString(),
            "--data",
            "fashion-mnist:" + data,
            "--out",
            out.toString(),
            "--epochs",
            "1"));
  }

  /** Writes train/t10k IDX gz files with {@code train} and {@code test} images. */
  public static Path fashionLike(Path dir, int train, int test, long seed) throws IOException {
    write(dir, train, test, seed, TinyData::square);
    return dir;
  }

  /** Draws one 28×28 image of class {@code c} at {@code off} in {@code images}. */
  @FunctionalInterface
  public interface Painter {
    void paint(byte[] images, int off, int c, Random r);
  }

  /**
   * Writes train/t10k IDX gz files of {@code train} and {@code test} images, classes 0..9 in turn,
   * each drawn by {@code painter} from one random sequence seeded with {@code seed}.
   */
  public static void write(Path dir, int train, int test, long seed, Painter painter)
      throws IOException {
    Files.createDirectories(dir);
    Random r = new Random(seed);
    for (String prefix : new String[] {"train", "t10k"}) {
      int n = prefix.equals("train") ? train : test;
      byte[] labels = new byte[n];
      byte[] images = new byte[n * 784];
      for (int i = 0; i < n; i++) {
        labels[i] = (byte) (i % 10);
        painter.paint(images, i * 784, i % 10, r);
      }
      writeIdx(dir, prefix, images, labels);
    }
  }

  /** A bright 6×4 square on dark noise, its place set by the class. */
  private static void square(byte[] images, int off, int c, Random r) {
    int cy = 4 + (c / 5) * 14 + r.nextInt(3);
    int cx = 2 + (c % 5) * 5 + r.nextInt(2);
    for (int p = 0; p < 784; p++) {
      images[off + p] = (byte) r.nextInt(40);
    }
    for (int y = cy; y < cy + 6 && y < 28; y++) {
      for (int x = cx; x < cx + 4 && x < 28; x++) {
        images[off + y * 28 + x] = (byte) (200 + r.nextInt(55));
      }
    }
  }

  /**
   * Writes 28×28 gray {@code images} (row-major, one after another) and their {@code labels} as the
   * gzipped IDX pair {@code <prefix>-images-idx3-ubyte.gz} and {@code
   * <prefix>-labels-idx1-ubyte.gz} that the Fashion-MNIST loader reads.
   */
  public static void writeIdx(Path dir, String prefix, byte[] images, byte[] labels)
      throws IOException {
    try (DataOutputStream o = gz(dir.resolve(prefix + "-images-idx3-ubyte.gz"))) {
      o.writeInt(0x803);
      o.writeInt(labels.length);
      o.writeInt(28);
      o.writeInt(28);
      o.write(images);
    }
    try (DataOutputStream o = gz(dir.resolve(prefix + "-labels-idx1-ubyte.gz"))) {
      o.writeInt(0x801);
      o.writeInt(labels.length);
      o.write(labels);
    }
  }

  private static DataOutputStream gz(Path p) throws IOException {
    OutputStream os = new GZIPOutputStream(Files.newOutputStream(p));
    return new DataOutputStream(os);
  }
}
