package dev.offramp.exporter.train;

import dev.offramp.exporter.calibrate.Calibration;
import dev.offramp.exporter.train.BranchTraining.Scheme;
import java.util.ArrayList;
import java.util.List;

/**
 * How a build trains its exits: {@code --scheme}, {@code --compare-baseline}, {@code --weighting},
 * {@code --targets}, the optimiser ({@link TrainSettings}) and the heads ({@link HeadSettings}).
 *
 * @param scheme the scheme whose heads go into the bundle
 * @param compareBaseline also train the baseline and report both
 * @param softWeighting CalexNet soft importance weights
 * @param labelTargets train on labels instead of the backbone's predictions
 * @param optimiser epochs, batch size, learning rate, seed, distillation temperature
 * @param heads head sizes
 */
public record TrainingOptions(
    Scheme scheme,
    boolean compareBaseline,
    boolean softWeighting,
    boolean labelTargets,
    TrainSettings optimiser,
    HeadSettings heads) {
  /** The schemes to train, the bundle's first. */
  public List<Scheme> schemes() {
    List<Scheme> out = new ArrayList<>(List.of(scheme));
    if (compareBaseline && scheme != Scheme.BASELINE) {
      out.add(Scheme.BASELINE);
    }
    return List.copyOf(out);
  }

  /** The settings of one training run of {@code s}, picking survivors with {@code survivors}. */
  public BranchTraining.Settings settings(Scheme s, Calibration.Settings survivors) {
    return new BranchTraining.Settings(s, softWeighting, labelTargets, optimiser, survivors);
  }
}
