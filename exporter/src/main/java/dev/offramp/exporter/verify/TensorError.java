package dev.offramp.exporter.verify;

import java.util.Objects;

/**
 * How far a stage output is from the backbone's tensor of the same name, worst over all samples.
 *
 * @param stage the stage index
 * @param tensor the tensor name
 * @param maxAbsoluteError {@code max |stage - backbone|}
 * @param maxRelativeError {@code max |stage - backbone| / max(max |backbone|, 1e-6)}: relative to
 *     the tensor's scale rather than per element, so values near zero do not blow it up
 */
public record TensorError(
    int stage, String tensor, double maxAbsoluteError, double maxRelativeError) {
  public TensorError {
    Objects.requireNonNull(tensor, "tensor");
    if (!(maxAbsoluteError >= 0) || !(maxRelativeError >= 0)) {
      throw new IllegalArgumentException(
          "errors of "
              + tensor
              + " must be >= 0 (NaN means a stage produced NaN): abs "
              + maxAbsoluteError
              + ", rel "
              + maxRelativeError);
    }
  }

  /** Whether this tensor is within {@code tolerance} relative error. */
  public boolean within(double tolerance) {
    return maxRelativeError <= tolerance;
  }
}
