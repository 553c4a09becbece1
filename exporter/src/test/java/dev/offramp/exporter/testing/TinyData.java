package dev.offramp.exporter.testing;

import dev.offramp.exporter.graph.OnnxGraphBuilder;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
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

  /** Writes train/t10k IDX gz files with {@code train} and {@code test} images. */
  public static Path fashionLike(Path dir, int train, int test, long seed) throws IOException {
    Files.createDirectories(dir);
    Random r = new Random(seed);
    write(dir, "train", train, r);
    write(dir, "t10k", test, r);
    return dir;
  }

  private static void write(Path dir, String prefix, int n, Random r) throws IOException {
    byte[] labels = new byte[n];
    byte[] images = new byte[n * 784];
    for (int i = 0; i < n; i++) {
      int c = i % 10;
      labels[i] = (byte) c;
      int cy = 4 + (c / 5) * 14 + r.nextInt(3);
      int cx = 2 + (c % 5) * 5 + r.nextInt(2);
      for (int p = 0; p < 784; p++) {
        images[i * 784 + p] = (byte) r.nextInt(40);
      }
      for (int y = cy; y < cy + 6 && y < 28; y++) {
        for (int x = cx; x < cx + 4 && x < 28; x++) {
          images[i * 784 + y * 28 + x] = (byte) (200 + r.nextInt(55));
        }
      }
    }
    try (DataOutputStream o = gz(dir.resolve(prefix + "-images-idx3-ubyte.gz"))) {
      o.writeInt(0x803);
      o.writeInt(n);
      o.writeInt(28);
      o.writeInt(28);
      o.write(images);
    }
    try (DataOutputStream o = gz(dir.resolve(prefix + "-labels-idx1-ubyte.gz"))) {
      o.writeInt(0x801);
      o.writeInt(n);
      o.write(labels);
    }
  }

  private static DataOutputStream gz(Path p) throws IOException {
    OutputStream os = new GZIPOutputStream(Files.newOutputStream(p));
    return new DataOutputStream(os);
  }
}
