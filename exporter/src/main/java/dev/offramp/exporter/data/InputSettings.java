package dev.offramp.exporter.data;

import dev.offramp.cascade.bundle.ColorMode;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The input flags of a build as given, before the backbone is known: {@code --size}, {@code
 * --color}, {@code --scale}, {@code --mean}, {@code --std}. {@link #resolve} turns them into the
 * {@link InputOptions} of a backbone, filling the size and color from its declared input.
 * Immutable.
 *
 * @param size {@code --size}, empty = the backbone's declared input size
 * @param color {@code --color}, empty = gray for one channel, rgb for three
 * @param scale pixel multiplier
 * @param mean per-channel mean (1 or channels values)
 * @param std per-channel standard deviation (1 or channels values)
 */
public record InputSettings(
    Optional<ImageSize> size,
    Optional<ColorMode> color,
    double scale,
    List<Double> mean,
    List<Double> std) {
  /** Copies the lists. */
  public InputSettings {
    mean = List.copyOf(mean);
    std = List.copyOf(std);
  }

  /** Input settings with the flags' values; {@code mean} and {@code std} as parsed. */
  public InputSettings(
      Optional<ImageSize> size,
      Optional<ColorMode> color,
      double scale,
      double[] mean,
      double[] std) {
    this(size, color, scale, boxed(mean), boxed(std));
  }

  /** Input settings that take everything from the backbone, with this normalisation. */
  public static InputSettings fromBackbone(double scale, double[] mean, double[] std) {
    return new InputSettings(Optional.empty(), Optional.empty(), scale, mean, std);
  }

  private static List<Double> boxed(double[] values) {
    return Arrays.stream(values).boxed().toList();
  }

  private static double[] unboxed(List<Double> values) {
    return values.stream().mapToDouble(Double::doubleValue).toArray();
  }

  /**
   * A width and height in pixels, as {@code --size N|WxH} gives them.
   *
   * @param width pixels
   * @param height pixels
   */
  public record ImageSize(int width, int height) {
    /** Parses {@code N} or {@code WxH} (the {@code --size} flag). */
    public static ImageSize parse(String text) {
      int[] wh = InputOptions.parseSize(text);
      return new ImageSize(wh[0], wh[1]);
    }
  }

  /**
   * The input shape to analyse the backbone at: {@code [1, channels, H, W]} when {@code --size} was
   * given, else empty (the declared shape).
   *
   * @param channels the backbone's declared channels
   */
  public Optional<List<Long>> requestedShape(int channels) {
    return size.map(s -> List.of(1L, (long) channels, (long) s.height(), (long) s.width()));
  }

  /**
   * The input of a backbone whose (resolved) input {@code inputName} has NCHW shape {@code shape}.
   *
   * @throws IllegalArgumentException when the shape is not NCHW or {@code --color} does not match
   *     its channels
   */
  public InputOptions resolve(String inputName, List<Long> shape) {
    if (shape.size() != 4) {
      throw new IllegalArgumentException(
          "backbone input '" + inputName + "': expected NCHW (4 dimensions), found " + shape);
    }
    ColorMode c = color.orElse(shape.get(1) == 1 ? ColorMode.GRAY : ColorMode.RGB);
    if (InputOptions.channels(c) != shape.get(1)) {
      throw new IllegalArgumentException(
          "--color "
              + c
              + " gives "
              + InputOptions.channels(c)
              + " channels, but the backbone's input '"
              + inputName
              + "' has "
              + shape.get(1)
              + "; use --color gray for 1 channel, rgb or bgr for 3");
    }
    return new InputOptions(
        (int) (long) shape.get(3),
        (int) (long) shape.get(2),
        c,
        scale,
        unboxed(mean),
        unboxed(std));
  }
}
