package dev.offramp.exporter.data;

import dev.offramp.cascade.bundle.ColorMode;

/**
 * Resizing (area averaging when shrinking, bilinear with half-pixel centres when enlarging, as the
 * runtime's capture) and color conversion of decoded images into the input's size and channel
 * order. Stateless and thread-safe.
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
    byte[] sized;
    if (w == in.width() && h == in.height()) {
      sized = src;
    } else if (w >= in.width() && h >= in.height()) {
      sized = shrink(src, w, h, srcChannels, in.width(), in.height());
    } else {
      sized = resize(src, w, h, srcChannels, in.width(), in.height());
    }
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

  /**
   * Area averaging for shrinking: each target pixel is the mean of the source pixels under it,
   * weighted by how much of each it covers — what the runtime's capture does (swscale's area
   * filter), so that training, calibration and serving see the same pixels.
   */
  static byte[] shrink(byte[] src, int w, int h, int ch, int tw, int th) {
    double[][] wx = coverage(w, tw);
    double[][] wy = coverage(h, th);
    int[] x0 = first(w, tw);
    int[] y0 = first(h, th);
    // Rows first: tw columns of every source row, then th rows of those.
    double[] rows = new double[h * tw * ch];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < tw; x++) {
        for (int c = 0; c < ch; c++) {
          double v = 0;
          for (int k = 0; k < wx[x].length; k++) {
            v += wx[x][k] * px(src, w, ch, x0[x] + k, y, c);
          }
          rows[(y * tw + x) * ch + c] = v;
        }
      }
    }
    byte[] out = new byte[tw * th * ch];
    for (int y = 0; y < th; y++) {
      for (int x = 0; x < tw; x++) {
        for (int c = 0; c < ch; c++) {
          double v = 0;
          for (int k = 0; k < wy[y].length; k++) {
            v += wy[y][k] * rows[((y0[y] + k) * tw + x) * ch + c];
          }
          out[(y * tw + x) * ch + c] = (byte) Math.min(255, Math.round(v));
        }
      }
    }
    return out;
  }

  /** The first source index under each of {@code to} target pixels. */
  private static int[] first(int from, int to) {
    int[] out = new int[to];
    double scale = (double) from / to;
    for (int t = 0; t < to; t++) {
      out[t] = (int) Math.floor(t * scale);
    }
    return out;
  }

  /** For each target pixel, the share of it each source pixel under it covers (sums to 1). */
  private static double[][] coverage(int from, int to) {
    double scale = (double) from / to;
    double[][] out = new double[to][];
    for (int t = 0; t < to; t++) {
      double lo = t * scale;
      double hi = Math.min(from, (t + 1) * scale);
      int s0 = (int) Math.floor(lo);
      int s1 = Math.min(from - 1, (int) Math.ceil(hi) - 1);
      out[t] = new double[s1 - s0 + 1];
      for (int s = s0; s <= s1; s++) {
        out[t][s - s0] = (Math.min(hi, s + 1) - Math.max(lo, s)) / scale;
      }
    }
    return out;
  }

  /** Bilinear resize with half-pixel centres (the usual INTER_LINEAR convention), for enlarging. */
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
