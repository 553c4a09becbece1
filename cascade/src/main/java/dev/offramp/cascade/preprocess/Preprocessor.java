package dev.offramp.cascade.preprocess;

import dev.offramp.cascade.bundle.InputSpec;
import java.nio.FloatBuffer;

/**
 * Turns interleaved 8-bit pixels into the stage-0 tensor exactly as the manifest's {@code input}
 * says: NCHW float32, {@code (pixel·scale − mean[c]) / std[c]}. The exporter (datasets, evaluate)
 * and the runtime (camera frames) both use this class, so a bundle sees identical numbers in both.
 *
 * <p>Pixels arrive already resized to the spec's width × height and in the spec's channel order
 * ({@code gray}: 1 channel; {@code rgb}/{@code bgr}: 3 interleaved). Immutable and thread-safe; it
 * allocates nothing per call.
 */
public final class Preprocessor {
  private final int channels;
  private final int plane;
  private final float[] mul;
  private final float[] add;

  public Preprocessor(InputSpec spec) {
    this.channels = spec.channels();
    this.plane = spec.height() * spec.width();
    this.mul = new float[channels];
    this.add = new float[channels];
    double[] mean = spec.mean();
    double[] std = spec.std();
    for (int c = 0; c < channels; c++) {
      // (p·scale − mean) / std folded into one multiply-add per element.
      mul[c] = (float) (spec.scale() / std[c]);
      add[c] = (float) (-mean[c] / std[c]);
    }
  }

  /** Number of bytes {@link #fill} expects. */
  public int pixelCount() {
    return plane * channels;
  }

  /**
   * Writes the normalised tensor for {@code hwcPixels} into {@code dst} at absolute positions
   * 0..C·H·W (dst's position is not moved).
   */
  public void fill(byte[] hwcPixels, FloatBuffer dst) {
    check(hwcPixels.length, dst.capacity());
    for (int c = 0; c < channels; c++) {
      float m = mul[c];
      float a = add[c];
      int base = c * plane;
      for (int i = 0, p = c; i < plane; i++, p += channels) {
        dst.put(base + i, (hwcPixels[p] & 0xFF) * m + a);
      }
    }
  }

  /** Same as {@link #fill(byte[], FloatBuffer)}, into a float array at {@code offset}. */
  public void fill(byte[] hwcPixels, float[] dst, int offset) {
    check(hwcPixels.length, dst.length - offset);
    for (int c = 0; c < channels; c++) {
      float m = mul[c];
      float a = add[c];
      int base = offset + c * plane;
      for (int i = 0, p = c; i < plane; i++, p += channels) {
        dst[base + i] = (hwcPixels[p] & 0xFF) * m + a;
      }
    }
  }

  private void check(int pixels, int room) {
    if (pixels != pixelCount()) {
      throw new IllegalArgumentException(
          "expected "
              + pixelCount()
              + " pixel bytes ("
              + channels
              + " channel(s) x "
              + plane
              + " pixels, already resized), found "
              + pixels);
    }
    if (room < pixelCount()) {
      throw new IllegalArgumentException(
          "destination holds " + room + " floats, expected at least " + pixelCount());
    }
  }
}
