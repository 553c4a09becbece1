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
   * filter), so that training, calibration and serving see the same pixels. Separable: rows, then
   * columns.
   */
  static byte[] shrink(byte[] src, int w, int h, int ch, int tw, int th) {
    double[] in = new double[src.length];
    for (int i = 0; i < src.length; i++) {
      in[i] = src[i] & 0xff;
    }
    Box across = Box.of(w, tw);
    Box down = Box.of(h, th);
    double[] rows = new double[h * tw * ch];
    for (int y = 0; y < h; y++) {
      for (int c = 0; c < ch; c++) {
        across.average(in, y * w * ch + c, ch, rows, y * tw * ch + c, ch);
      }
    }
    double[] sized = new double[th * tw * ch];
    for (int x = 0; x < tw; x++) {
      for (int c = 0; c < ch; c++) {
        down.average(rows, x * ch + c, tw * ch, sized, x * ch + c, tw * ch);
      }
    }
    byte[] out = new byte[sized.length];
    for (int i = 0; i < sized.length; i++) {
      out[i] = (byte) Math.min(255, Math.round(sized[i]));
    }
    return out;
  }

  /**
   * The source pixels under each target pixel along one axis: the first, and the share of the
   * target each covers (summing to 1).
   */
  private record Box(int[] first, double[][] weights) {
    static Box of(int from, int to) {
      double scale = (double) from / to;
      int[] first = new int[to];
      double[][] weights = new double[to][];
      for (int t = 0; t < to; t++) {
        double lo = t * scale;
        double hi = Math.min(from, (t + 1) * scale);
        first[t] = (int) Math.floor(lo);
        int last = Math.min(from - 1, (int) Math.ceil(hi) - 1);
        weights[t] = new double[last - first[t] + 1];
        for (int s = first[t]; s <= last; s++) {
          weights[t][s - first[t]] = (Math.min(hi, s + 1) - Math.max(lo, s)) / scale;
        }
      }
      return new Box(first, weights);
    }

    /** Averages one line of {@code in} (from {@code at}, {@code step} apart) into {@code out}. */
    void average(double[] in, int at, int step, double[] out, int outAt, int outStep) {
      for (int t = 0; t < first.length; t++) {
        double v = 0;
        for (int k = 0; k < weights[t].length; k++) {
          v += weights[t][k] * in[at + (first[t] + k) * step];
        }
        out[outAt + t * outStep] = v;
      }
    }
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
