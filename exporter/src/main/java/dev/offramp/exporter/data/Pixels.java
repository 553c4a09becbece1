package dev.offramp.exporter.data;

import dev.offramp.cascade.bundle.ColorMode;

/**
 * Resizing (bilinear, half-pixel centres) and color conversion of decoded images into the input's
 * size and channel order. Stateless and thread-safe.
 */
public final class Pixels {
  private Pixels() {}

  /**
   * Converts one decoded image to the input format.
   *
   * @param src interleaved pixels, gray (1 channel) or RGB (3 channels)
   * @param w source width
   * @param h source height
   * @param srcChannels 1 or 3 (RGB)
   * @param in target size and color
   * @param dst receives {@code in.width() * in.height() * in.channels()} bytes at {@code offset}
   * @param offset where to write in {@code dst}
   */
  public static void convert(
      byte[] src, int w, int h, int srcChannels, InputOptions in, byte[] dst, int offset) {
    byte[] sized =
        (w == in.width() && h == in.height())
            ? src
            : resize(src, w, h, srcChannels, in.width(), in.height());
    int n = in.width() * in.height();
    int outCh = in.channels();
    for (int p = 0; p < n; p++) {
      int r;
      int g;
      int b;
      if (srcChannels == 1) {
        r = sized[p] & 0xff;
        g = r;
        b = r;
      } else {
        r = sized[3 * p] & 0xff;
        g = sized[3 * p + 1] & 0xff;
        b = sized[3 * p + 2] & 0xff;
      }
      if (outCh == 1) {
        // ITU-R BT.601 luma at full range, as the runtime's capture path (FFmpeg's swscale).
        dst[offset + p] = (byte) Math.round(0.299 * r + 0.587 * g + 0.114 * b);
      } else if (in.color() == ColorMode.RGB) {
        dst[offset + 3 * p] = (byte) r;
        dst[offset + 3 * p + 1] = (byte) g;
        dst[offset + 3 * p + 2] = (byte) b;
      } else {
        dst[offset + 3 * p] = (byte) b;
        dst[offset + 3 * p + 1] = (byte) g;
        dst[offset + 3 * p + 2] = (byte) r;
      }
    }
  }

  /** Bilinear resize with half-pixel centres (the usual INTER_LINEAR convention). */
  static byte[] resize(byte[] src, int w, int h, int ch, int tw, int th) {
    byte[] out = new byte[tw * th * ch];
    double sx = (double) w / tw;
    double sy = (double) h / th;
    for (int y = 0; y < th; y++) {
      double fy = Math.max(0, (y + 0.5) * sy - 0.5);
      int y0 = Math.min((int) fy, h - 1);
      int y1 = Math.min(y0 + 1, h - 1);
      double wy = fy - y0;
      for (int x = 0; x < tw; x++) {
        double fx = Math.max(0, (x + 0.5) * sx - 0.5);
        int x0 = Math.min((int) fx, w - 1);
        int x1 = Math.min(x0 + 1, w - 1);
        double wx = fx - x0;
        for (int c = 0; c < ch; c++) {
          double v =
              (1 - wy) * ((1 - wx) * px(src, w, ch, x0, y0, c) + wx * px(src, w, ch, x1, y0, c))
                  + wy * ((1 - wx) * px(src, w, ch, x0, y1, c) + wx * px(src, w, ch, x1, y1, c));
          out[(y * tw + x) * ch + c] = (byte) Math.min(255, Math.round(v));
        }
      }
    }
    return out;
  }

  private static int px(byte[] src, int w, int ch, int x, int y, int c) {
    return src[(y * w + x) * ch + c] & 0xff;
  }
}
