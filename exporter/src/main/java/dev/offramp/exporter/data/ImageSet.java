package dev.offramp.exporter.data;

import java.util.Arrays;

/**
 * A block of same-sized images with their labels, pixels interleaved (HWC) in the input's color
 * order, {@code channels} bytes per pixel. Immutable; {@link #image} copies into a caller buffer.
 *
 * @param width image width in pixels
 * @param height image height in pixels
 * @param channels 1 (gray) or 3 (in the input's color order)
 * @param pixels {@code size() * height * width * channels} bytes, image after image
 * @param labels class index per image
 */
public record ImageSet(int width, int height, int channels, byte[] pixels, int[] labels) {
  /** Validates the sizes; the arrays are taken over without copying (they are large). */
  public ImageSet {
    if (width <= 0 || height <= 0 || (channels != 1 && channels != 3)) {
      throw new IllegalArgumentException(
          "image set: expected positive size and 1 or 3 channels, found "
              + width
              + "x"
              + height
              + "x"
              + channels);
    }
    if ((long) labels.length * width * height * channels != pixels.length) {
      throw new IllegalArgumentException(
          "image set: "
              + labels.length
              + " labels need "
              + (long) labels.length * width * height * channels
              + " pixel bytes, found "
              + pixels.length);
    }
  }

  /** Number of images. */
  public int size() {
    return labels.length;
  }

  /** Bytes per image. */
  public int imageBytes() {
    return width * height * channels;
  }

  /** Copies image {@code i} into {@code dst} (at least {@link #imageBytes()} long). */
  public void image(int i, byte[] dst) {
    System.arraycopy(pixels, i * imageBytes(), dst, 0, imageBytes());
  }

  /** The images at {@code indices}, in that order. */
  public ImageSet subset(int[] indices) {
    int b = imageBytes();
    byte[] px = new byte[indices.length * b];
    int[] lab = new int[indices.length];
    for (int j = 0; j < indices.length; j++) {
      System.arraycopy(pixels, indices[j] * b, px, j * b, b);
      lab[j] = labels[indices[j]];
    }
    return new ImageSet(width, height, channels, px, lab);
  }

  /** Images per class, {@code classes} long. */
  public int[] classCounts(int classes) {
    int[] counts = new int[classes];
    for (int l : labels) {
      counts[l]++;
    }
    return counts;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ImageSet s
        && s.width == width
        && s.height == height
        && s.channels == channels
        && Arrays.equals(s.pixels, pixels)
        && Arrays.equals(s.labels, labels);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(labels) + Arrays.hashCode(pixels);
  }

  @Override
  public String toString() {
    return "ImageSet[" + size() + " x " + width + "x" + height + "x" + channels + "]";
  }
}
