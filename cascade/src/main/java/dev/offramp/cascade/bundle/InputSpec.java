package dev.offramp.cascade.bundle;

import dev.offramp.cascade.value.ArrayRecords;
import java.util.Arrays;
import java.util.Objects;

/**
 * How a frame becomes the stage-0 tensor: NCHW float32, {@code (pixel·scale − mean[c]) / std[c]}.
 *
 * @param tensor name of stage 0's input tensor
 * @param shape NCHW with batch 1, e.g. {@code [1, 1, 28, 28]}
 * @param color channel layout the pixels arrive in
 * @param scale factor applied to 0..255 pixels before normalisation
 * @param mean per-channel mean (one value per channel)
 * @param std per-channel standard deviation (one positive value per channel)
 */
public record InputSpec(
    String tensor, long[] shape, ColorMode color, double scale, double[] mean, double[] std) {

  public InputSpec {
    Objects.requireNonNull(tensor, "tensor");
    Objects.requireNonNull(color, "color");
    shape = shape.clone();
    mean = mean.clone();
    std = std.clone();
    if (tensor.isBlank()) {
      throw new BundleException("tensor: expected a tensor name, found an empty string");
    }
    if (shape.length != 4 || shape[0] != 1 || Arrays.stream(shape).anyMatch(d -> d <= 0)) {
      throw new BundleException(
          "shape: expected 4 positive dimensions [1, C, H, W], found " + Arrays.toString(shape));
    }
    if (shape[1] != color.channels()) {
      throw new BundleException(
          "shape: color '"
              + color.jsonName()
              + "' has "
              + color.channels()
              + " channel(s) but the shape has C="
              + shape[1]);
    }
    if (!(scale > 0) || Double.isInfinite(scale)) {
      throw new BundleException("scale: expected a positive number, found " + scale);
    }
    if (mean.length != color.channels()) {
      throw new BundleException(
          "mean: expected "
              + color.channels()
              + " value(s), one per channel, found "
              + mean.length);
    }
    if (std.length != color.channels()) {
      throw new BundleException(
          "std: expected " + color.channels() + " value(s), one per channel, found " + std.length);
    }
    for (double s : std) {
      if (!(s > 0)) {
        throw new BundleException("std: expected positive values, found " + s);
      }
    }
  }

  public int channels() {
    return (int) shape[1];
  }

  public int height() {
    return (int) shape[2];
  }

  public int width() {
    return (int) shape[3];
  }

  /** Number of float elements in one input tensor. */
  public int elementCount() {
    return channels() * height() * width();
  }

  @Override
  public long[] shape() {
    return shape.clone();
  }

  @Override
  public double[] mean() {
    return mean.clone();
  }

  @Override
  public double[] std() {
    return std.clone();
  }

  @Override
  public boolean equals(Object o) {
    return ArrayRecords.equal(this, o);
  }

  @Override
  public int hashCode() {
    return ArrayRecords.hash(this);
  }

  @Override
  public String toString() {
    return ArrayRecords.show(this);
  }
}
