package dev.offramp.runtime.capture;

import dev.offramp.cascade.bundle.ColorMode;
import dev.offramp.cascade.bundle.InputSpec;
import java.util.Objects;

/**
 * The pixel layout capture delivers: the model's input size and channel layout, interleaved HWC,
 * one unsigned byte per channel.
 *
 * @param width pixels per row
 * @param height rows
 * @param color channel layout, the bundle's own {@link ColorMode}; {@code GRAY} has one channel
 */
public record FrameFormat(int width, int height, ColorMode color) {
  public FrameFormat {
    Objects.requireNonNull(color, "color");
    if (width <= 0 || height <= 0) {
      throw new IllegalArgumentException(
          "frame size must be positive, found " + width + "x" + height);
    }
  }

  /** The format that feeds {@code Preprocessor.fill} for {@code input}: its size and channels. */
  public static FrameFormat of(InputSpec input) {
    return new FrameFormat(input.width(), input.height(), input.color());
  }

  /** Bytes of one frame. */
  public int bytes() {
    return Math.multiplyExact(Math.multiplyExact(width, height), color.channels());
  }
}
