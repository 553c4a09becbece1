package dev.offramp.exporter.train;

import java.util.Arrays;

/**
 * What training one head produced and how it went.
 *
 * @param weights the trained parameters
 * @param epochLoss mean weighted loss per epoch
 * @param accuracy agreement of the head's argmax with the target's argmax on the training samples
 *     (weighted)
 * @param samples training samples with a non-zero weight
 * @param seconds wall time
 */
public record TrainResult(
    HeadWeights weights, double[] epochLoss, double accuracy, int samples, double seconds) {
  /** Copies the loss history. */
  public TrainResult {
    epochLoss = epochLoss.clone();
  }

  /** A copy: the record keeps its own. */
  public double[] epochLoss() {
    return epochLoss.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TrainResult r
        && r.weights.equals(weights)
        && Arrays.equals(r.epochLoss, epochLoss)
        && r.accuracy == accuracy
        && r.samples == samples;
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(epochLoss) * 31 + samples;
  }

  @Override
  public String toString() {
    return "TrainResult[loss=" + Arrays.toString(epochLoss) + ", accuracy=" + accuracy + "]";
  }
}
