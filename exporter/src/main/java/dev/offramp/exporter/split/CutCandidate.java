package dev.offramp.exporter.split;

import java.util.List;
import java.util.Objects;

/**
 * A proposed cut with what a user needs to choose it.
 *
 * @param tensor the tensor name in the backbone
 * @param shape its shape at the analysed input shape
 * @param cumulativeMacs MACs of every node up to and including this tensor's producer
 * @param cumulativeMacsFraction {@code cumulativeMacs} over the backbone total, 0..1
 * @param producer the producing node's name
 * @param producerOp the producing node's op type
 */
public record CutCandidate(
    String tensor,
    List<Long> shape,
    long cumulativeMacs,
    double cumulativeMacsFraction,
    String producer,
    String producerOp) {
  public CutCandidate {
    Objects.requireNonNull(tensor, "tensor");
    shape = List.copyOf(shape);
    if (cumulativeMacs < 0) {
      throw new IllegalArgumentException("cumulativeMacs must be >= 0, got " + cumulativeMacs);
    }
    if (!(cumulativeMacsFraction >= 0 && cumulativeMacsFraction <= 1)) {
      throw new IllegalArgumentException(
          "cumulativeMacsFraction must be in 0..1, got " + cumulativeMacsFraction);
    }
    Objects.requireNonNull(producer, "producer");
    Objects.requireNonNull(producerOp, "producerOp");
  }
}
