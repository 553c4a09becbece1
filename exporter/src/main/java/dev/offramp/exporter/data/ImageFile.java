package dev.offramp.exporter.data;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/**
 * Decodes one image file (PNG, JPEG: what ImageIO reads) into the levels the board's FFmpeg decoder
 * gives the same file: gray images as stored, colour as sRGB. Stateless.
 */
final class ImageFile {
  private ImageFile() {}

  /**
   * Decoded pixels, interleaved.
   *
   * @param pixels {@code width * height * channels} bytes
   * @param channels 1 (gray) or 3 (RGB)
   */
  record Decoded(byte[] pixels, int width, int height, int channels) {}

  /**
   * Reads {@code f}.
   *
   * @throws DatasetException when the file cannot be read or no reader knows it
   */
  static Decoded decode(Path f) {
    BufferedImage img;
    try {
      img = ImageIO.read(f.toFile());
    } catch (IOException e) {
      throw new DatasetException("cannot decode image " + f + ": " + e, e);
    }
    if (img == null) {
      throw new DatasetException("cannot decode image " + f + ": no ImageIO reader for it");
    }
    if (img.getColorModel().getColorSpace().getType() == ColorSpace.TYPE_GRAY) {
      return new Decoded(grayLevels(img), img.getWidth(), img.getHeight(), 1);
    }
    return new Decoded(rgbLevels(img), img.getWidth(), img.getHeight(), 3);
  }

  /**
   * A gray image's stored levels (8 bits; 16-bit samples keep their high byte), as FFmpeg decodes
   * them on the board. {@code BufferedImage.getRGB} would pass them through a linear-to-sRGB curve
   * and brighten every mid-tone.
   */
  private static byte[] grayLevels(BufferedImage img) {
    int w = img.getWidth();
    int h = img.getHeight();
    int shift = Math.max(0, img.getColorModel().getComponentSize(0) - 8);
    int[] row = new int[w];
    byte[] gray = new byte[w * h];
    for (int y = 0; y < h; y++) {
      img.getRaster().getSamples(0, y, w, 1, 0, row);
      for (int x = 0; x < w; x++) {
        gray[y * w + x] = (byte) (row[x] >> shift);
      }
    }
    return gray;
  }

  /** Any other image as sRGB levels, interleaved R, G, B. */
  private static byte[] rgbLevels(BufferedImage img) {
    int w = img.getWidth();
    int h = img.getHeight();
    byte[] rgb = new byte[w * h * 3];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int v = img.getRGB(x, y);
        int p = 3 * (y * w + x);
        rgb[p] = (byte) (v >> 16);
        rgb[p + 1] = (byte) (v >> 8);
        rgb[p + 2] = (byte) v;
      }
    }
    return rgb;
  }
}
