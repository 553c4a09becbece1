package dev.offramp.exporter.data;

import java.util.Optional;

/**
 * Which images a build trains, calibrates and tests on: {@code --data}, {@code --calibration-data},
 * {@code --valid-fraction}, {@code --train-limit}, and the seed of every hold-out and limit.
 *
 * @param spec dataset SPEC ({@code kind:DIR})
 * @param calibrationSpec SPEC of a separate calibration set, empty = the dataset's valid split or a
 *     hold-out of its train split
 * @param validFraction fraction of train held out as valid when the dataset has none
 * @param trainLimit use at most this many training images (0 = all)
 * @param seed seed of hold-outs and limits
 */
public record DataSettings(
    String spec,
    Optional<String> calibrationSpec,
    double validFraction,
    int trainLimit,
    long seed) {
  /** Validates the limit. */
  public DataSettings {
    if (trainLimit < 0) {
      throw new IllegalArgumentException("--train-limit must be ≥ 0, found " + trainLimit);
    }
  }

  /**
   * Loads the dataset with {@code in}'s size and color.
   *
   * @see DatasetLoader#load(String, Optional, InputOptions, double, long)
   */
  public Dataset load(InputOptions in) {
    return DatasetLoader.load(spec, calibrationSpec, in, validFraction, seed);
  }

  /** The training images to use: {@code train}, limited to {@link #trainLimit} when positive. */
  public ImageSet limitTrain(ImageSet train, int classes) {
    return trainLimit > 0 ? HoldOut.limit(train, classes, trainLimit, seed) : train;
  }
}
