package dev.offramp.runtime.capture;

import java.util.Objects;

/**
 * The pixel layout capture delivers: the model's input size and channel order, interleaved HWC, one
 * unsigned byte per channel.
 *
 * @param width pixels per row
 * @param height rows
 * @param order channel order; {@link ChannelOrder#GRAY} has one channel
 */
public record FrameFormat(int width, int height, ChannelOrder order) {
  /** Channel order of a delivered frame. */
  public enum ChannelOrder {
    GRAY,
    RGB,
    BGR;

    public int channels() {
      return this == GRAY ? 1 : 3;
    }
  }

  public FrameFormat {
    Objects.requireNonNull(order, "order");
    if (width <= 0 || height <= 0) {
      throw new IllegalArgumentException(
          "frame size must be positive, found " + width + "x" + height);
    }
  }

  /** Bytes of one frame. */
  public int bytes() {
    return Math.multiplyExact(Math.multiplyExact(width, height), order.channels());
  }
}
