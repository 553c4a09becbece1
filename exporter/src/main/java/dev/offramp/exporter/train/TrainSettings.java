package dev.offramp.exporter.train;

/**
 * Optimiser settings for one head (all from build flags).
 *
 * @param epochs passes over the (weighted) training samples
 * @param batchSize samples per Adam step
 * @param learningRate Adam learning rate
 * @param seed engine and shuffle seed (the head's index is added)
 * @param temperature distillation temperature T; {@code 0} means none. With T, the loss is the KL
 *     divergence (times T²) between the head's softmax at T and the backbone's softmax at T.
 */
public record TrainSettings(
    int epochs, int batchSize, double learningRate, long seed, double temperature) {
  /** Validates the values. */
  public TrainSettings {
    if (epochs < 1 || batchSize < 1) {
      throw new IllegalArgumentException(
          "--epochs and --batch-size must be ≥ 1, found " + epochs + ", " + batchSize);
    }
    if (!(learningRate > 0)) {
      throw new IllegalArgumentException("--lr must be positive, found " + learningRate);
    }
    if (!(temperature >= 0) || Double.isInfinite(temperature)) {
      throw new IllegalArgumentException(
          "--distill-temperature must be ≥ 0 (0 = off), found " + temperature);
    }
  }
}
