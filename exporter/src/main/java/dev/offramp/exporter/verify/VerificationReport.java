package dev.offramp.exporter.verify;

import java.util.List;

/**
 * The result of comparing a stage chain with its backbone.
 *
 * @param samples how many random inputs were compared
 * @param errors one entry per compared tensor, in stage order
 */
public record VerificationReport(int samples, List<TensorError> errors) {
  public VerificationReport {
    if (samples < 1) {
      throw new IllegalArgumentException("samples must be >= 1, got " + samples);
    }
    errors = List.copyOf(errors);
  }

  /** Whether every tensor is within {@code tolerance} relative error. */
  public boolean passes(double tolerance) {
    return errors.stream().allMatch(e -> e.within(tolerance));
  }

  /** The largest relative error over all tensors (0 when none compared). */
  public double worstRelativeError() {
    return errors.stream().mapToDouble(TensorError::maxRelativeError).max().orElse(0);
  }
}
