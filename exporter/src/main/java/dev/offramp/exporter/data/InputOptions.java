package dev.offramp.exporter.data;

import dev.offramp.cascade.bundle.ColorMode;
import dev.offramp.cascade.bundle.InputSpec;
import java.util.Arrays;
import java.util.Locale;

/**
 * How images become the backbone's input tensor, from the build flags: {@code --size N|WxH}, {@code
 * --color gray|rgb|bgr}, {@code --scale S}, {@code --mean M[,M,M]}, {@code --std S[,S,S]}. The
 * tensor is {@code (pixel * scale - mean) / std}, NCHW float32; written into the manifest's {@code
 * input} as an {@link InputSpec}.
 *
 * @param width input width
 * @param height input height
 * @param color channel order of the pixels fed to the network
 * @param scale pixel multiplier (default 1/255)
 * @param mean per-channel mean (1 or channels values)
 * @param std per-channel standard deviation (1 or channels values, all positive)
 */
public record InputOptions(
    int width, int height, ColorMode color, double scale, double[] mean, double[] std) {
  /** The default scale: pixels to 0..1. */
  public static final double DEFAULT_SCALE = 1.0 / 255.0;

  /** Validates and expands a single mean/std value to every channel. */
  public InputOptions {
    if (width <= 0 || height <= 0) {
      throw new IllegalArgumentException(
          "--size: expected positive width and height, found " + width + "x" + height);
    }
    int ch = channels(color);
    mean = expand("--mean", mean, ch);
    std = expand("--std", std, ch);
    for (double s : std) {
      if (!(s > 0)) {
        throw new IllegalArgumentException("--std: expected positive values, found " + s);
      }
    }
    if (!(scale > 0) || Double.isInfinite(scale)) {
      throw new IllegalArgumentException("--scale: expected a positive number, found " + scale);
    }
  }

  @Override
  public double[] mean() {
    return mean.clone();
  }

  @Override
  public double[] std() {
    return std.clone();
  }

  /** Channels of a color mode: 1 for gray, 3 otherwise. */
  public static int channels(ColorMode color) {
    return color == ColorMode.GRAY ? 1 : 3;
  }

  /** Channels of this input. */
  public int channels() {
    return channels(color);
  }

  /** Parses {@code N} or {@code WxH} into {width, height}. */
  public static int[] parseSize(String text) {
    String t = text.trim().toLowerCase(Locale.ROOT);
    try {
      int x = t.indexOf('x');
      if (x < 0) {
        int n = Integer.parseInt(t);
        return new int[] {n, n};
      }
      return new int[] {Integer.parseInt(t.substring(0, x)), Integer.parseInt(t.substring(x + 1))};
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "--size: expected N or WxH (e.g. 28 or 32x32), found '" + text + "'", e);
    }
  }

  /** Parses {@code gray|rgb|bgr}. */
  public static ColorMode parseColor(String text) {
    return switch (text.trim().toLowerCase(Locale.ROOT)) {
      case "gray", "grey" -> ColorMode.GRAY;
      case "rgb" -> ColorMode.RGB;
      case "bgr" -> ColorMode.BGR;
      default ->
          throw new IllegalArgumentException(
              "--color: expected one of gray, rgb, bgr, found '" + text + "'");
    };
  }

  /** Parses a comma-separated list of numbers. */
  public static double[] parseList(String flag, String text) {
    String[] parts = text.split(",");
    double[] out = new double[parts.length];
    for (int i = 0; i < parts.length; i++) {
      try {
        out[i] = Double.parseDouble(parts[i].trim());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            flag + ": expected numbers separated by commas, found '" + text + "'", e);
      }
    }
    return out;
  }

  private static double[] expand(String flag, double[] values, int channels) {
    if (values.length == channels) {
      return values.clone();
    }
    if (values.length == 1) {
      double[] out = new double[channels];
      Arrays.fill(out, values[0]);
      return out;
    }
    throw new IllegalArgumentException(
        flag + ": expected 1 or " + channels + " values, found " + values.length);
  }

  /** The input a bundle's manifest describes (to load images the way the bundle reads them). */
  public static InputOptions of(InputSpec spec) {
    return new InputOptions(
        spec.width(), spec.height(), spec.color(), spec.scale(), spec.mean(), spec.std());
  }

  /** The manifest's input section for an input tensor named {@code tensor}. */
  public InputSpec toSpec(String tensor) {
    return new InputSpec(
        tensor, new long[] {1, channels(), height, width}, color, scale, mean, std);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof InputOptions i
        && i.width == width
        && i.height == height
        && i.color == color
        && i.scale == scale
        && Arrays.equals(i.mean, mean)
        && Arrays.equals(i.std, std);
  }

  @Override
  public int hashCode() {
    return 31 * (31 * width + height) + color.hashCode();
  }

  @Override
  public String toString() {
    return width
        + "x"
        + height
        + " "
        + color
        + " scale="
        + scale
        + " mean="
        + Arrays.toString(mean)
        + " std="
        + Arrays.toString(std);
  }
}
