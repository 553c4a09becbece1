package dev.offramp.exporter.train;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;

/**
 * A trained head, held in DJL for inference: {@link #probabilities} gives the head's softmax on
 * pooled features. Owns its DJL model; not thread-safe; close it once.
 */
public final class TrainedHead implements AutoCloseable {
  private static final int BATCH = 1024;
  private final Model model;
  private final TrainResult result;
  private boolean closed;

  TrainedHead(Model model, TrainResult result) {
    this.model = model;
    this.result = result;
  }

  /** The head's sizes. */
  public HeadShape shape() {
    return result.weights().shape();
  }

  /** Weights, loss history and accuracy. */
  public TrainResult result() {
    return result;
  }

  /**
   * Softmax outputs for {@code n} samples.
   *
   * @param features n × C·G² pooled features
   * @param n number of samples
   * @return n × classes probabilities
   */
  public float[] probabilities(float[] features, int n) {
    if (closed) {
      throw new IllegalStateException("head is closed");
    }
    HeadShape s = shape();
    if ((long) n * s.inputSize() > features.length) {
      throw new IllegalArgumentException(
          "head: expected "
              + (long) n * s.inputSize()
              + " feature values for "
              + n
              + " samples, found "
              + features.length);
    }
    float[] out = new float[n * s.classes()];
    for (int from = 0; from < n; from += BATCH) {
      int b = Math.min(BATCH, n - from);
      try (NDManager m = model.getNDManager().newSubManager()) {
        float[] chunk = new float[b * s.inputSize()];
        System.arraycopy(features, from * s.inputSize(), chunk, 0, chunk.length);
        NDArray x = m.create(chunk, new Shape(b, s.channels(), s.positions()));
        NDArray logits =
            model
                .getBlock()
                .forward(new ParameterStore(m, false), new NDList(x), false)
                .singletonOrThrow();
        float[] p = logits.softmax(1).toFloatArray();
        System.arraycopy(p, 0, out, from * s.classes(), p.length);
      }
    }
    return out;
  }

  @Override
  public void close() {
    if (!closed) {
      closed = true;
      model.close();
    }
  }
}
