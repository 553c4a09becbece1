package dev.offramp.exporter.features;

/**
 * Adaptive average pooling of a C×H×W map to C×G×G, with PyTorch's window rule: output cell i
 * averages input rows floor(i·H/G) .. ceil((i+1)·H/G)−1 (the same for columns). The bundle's ONNX
 * head computes exactly this ({@link #matrix}), so cached features and the exported graph agree.
 * Stateless.
 */
public final class AdaptivePool {
  private AdaptivePool() {}

  static int start(int i, int in, int out) {
    return (int) Math.floor((double) i * in / out);
  }

  static int end(int i, int in, int out) {
    return (int) Math.ceil((double) (i + 1) * in / out);
  }

  /**
   * Pools one sample.
   *
   * @param src C·H·W floats (NCHW, one sample) at {@code srcOff}
   * @param dst receives C·G·G floats at {@code dstOff}
   */
  public static void pool(
      float[] src, int srcOff, int c, int h, int w, int g, float[] dst, int dstOff) {
    for (int ch = 0; ch < c; ch++) {
      int base = srcOff + ch * h * w;
      for (int i = 0; i < g; i++) {
        int y0 = start(i, h, g);
        int y1 = end(i, h, g);
        for (int j = 0; j < g; j++) {
          int x0 = start(j, w, g);
          int x1 = end(j, w, g);
          double sum = 0;
          for (int y = y0; y < y1; y++) {
            for (int x = x0; x < x1; x++) {
              sum += src[base + y * w + x];
            }
          }
          dst[dstOff + ch * g * g + i * g + j] = (float) (sum / ((y1 - y0) * (x1 - x0)));
        }
      }
    }
  }

  /** True when the pooling is a plain AveragePool (H and W divisible by G). */
  public static boolean isUniform(int h, int w, int g) {
    return h % g == 0 && w % g == 0;
  }

  /**
   * The pooling as a matrix P of (H·W)×(G·G), row-major: pooled = map(C, H·W) · P. Used by the ONNX
   * head when the windows are uneven.
   */
  public static float[] matrix(int h, int w, int g) {
    float[] p = new float[h * w * g * g];
    for (int i = 0; i < g; i++) {
      int y0 = start(i, h, g);
      int y1 = end(i, h, g);
      for (int j = 0; j < g; j++) {
        int x0 = start(j, w, g);
        int x1 = end(j, w, g);
        float a = 1f / ((y1 - y0) * (x1 - x0));
        for (int y = y0; y < y1; y++) {
          for (int x = x0; x < x1; x++) {
            p[(y * w + x) * g * g + i * g + j] = a;
          }
        }
      }
    }
    return p;
  }
}
