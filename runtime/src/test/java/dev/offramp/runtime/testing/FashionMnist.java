package dev.offramp.runtime.testing;

import java.awt.image.BufferedImage;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import javax.imageio.ImageIO;

/**
 * The real Fashion-MNIST test split (Debian's dataset-fashion-mnist), shared by the audit and
 * schema tests.
 */
public final class FashionMnist {
  public static final Path DIR = Path.of("/usr/share/datasets/fashion-mnist");

  private FashionMnist() {}

  /** Images {@code from} .. {@code from + count - 1} of the test split, 28x28 gray, row-major. */
  public static List<byte[]> testImages(int from, int count) throws IOException {
    try (InputStream raw = Files.newInputStream(DIR.resolve("t10k-images-idx3-ubyte.gz"));
        DataInputStream in = new DataInputStream(new GZIPInputStream(raw, 1 << 16))) {
      int magic = in.readInt();
      if (magic != 0x803) {
        throw new IOException("expected IDX3 magic 0x803, found 0x" + Integer.toHexString(magic));
      }
      int n = in.readInt();
      int h = in.readInt();
      int w = in.readInt();
      if (from + count > n || h != 28 || w != 28) {
        throw new IOException(
            "expected at least "
                + (from + count)
                + " 28x28 images, found "
                + n
                + " "
                + h
                + "x"
                + w);
      }
      in.skipNBytes((long) from * h * w);
      List<byte[]> out = new ArrayList<>(count);
      for (int i = 0; i < count; i++) {
        byte[] px = new byte[h * w];
        in.readFully(px);
        out.add(px);
      }
      return out;
    }
  }

  /** Writes each image as {@code f0000.png}, … (what a directory or ffmpeg image2 source reads). */
  public static Path writePngs(Path dir, List<byte[]> images) throws IOException {
    Files.createDirectories(dir);
    for (int i = 0; i < images.size(); i++) {
      BufferedImage img = new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY);
      img.getRaster().setDataElements(0, 0, 28, 28, images.get(i));
      ImageIO.write(img, "png", dir.resolve(String.format("f%04d.png", i)).toFile());
    }
    return dir;
  }

  /** The photographic negative of each image: a shift the exits never saw in calibration. */
  public static List<byte[]> inverted(List<byte[]> images) {
    List<byte[]> out = new ArrayList<>(images.size());
    for (byte[] px : images) {
      byte[] inv = new byte[px.length];
      for (int i = 0; i < px.length; i++) {
        inv[i] = (byte) (255 - (px[i] & 0xff));
      }
      out.add(inv);
    }
    return out;
  }
}
