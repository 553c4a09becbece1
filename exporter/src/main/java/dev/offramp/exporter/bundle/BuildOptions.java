package dev.offramp.exporter.bundle;

import dev.offramp.cascade.bundle.ProfileTarget;
import dev.offramp.exporter.calibrate.MarginMode;
import dev.offramp.exporter.train.BranchTraining.Scheme;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Everything {@code offramp build} needs, validated; defaults live in {@code BuildCommand}.
 *
 * @param backbone the backbone ONNX file
 * @param data dataset SPEC
 * @param out bundle directory
 * @param name bundle name
 * @param cuts {@code auto} or comma-separated tensor names
 * @param size input {@code N|WxH}, empty = the backbone's declared size
 * @param color {@code gray|rgb|bgr}, empty = gray for 1 channel, rgb for 3
 * @param scale pixel multiplier
 * @param mean per-channel mean
 * @param std per-channel std
 * @param scheme boosted or baseline
 * @param compareBaseline also train the baseline and report both
 * @param softWeighting CalexNet soft importance weights
 * @param labelTargets train on labels instead of the backbone's predictions
 * @param temperature distillation temperature (0 = off)
 * @param margins CPM margins, one profile each
 * @param marginMode additive or multiplicative
 * @param minSupport samples behind a threshold
 * @param calibrateOnSurvivors calibrate exit k on the samples reaching it
 * @param trainMargin margin for boosted survivor selection, empty = documented default
 * @param defaultProfile default profile name, empty = automatic
 * @param headGrid G per cut (one value = every cut)
 * @param headWidth h
 * @param headLayers Conv1d layers
 * @param epochs training epochs per head
 * @param batchSize batch size
 * @param lr Adam learning rate
 * @param seed seed for hold-outs, limits, engine and shuffles
 * @param trainLimit use at most this many training images (0 = all)
 * @param validFraction fraction of train held out as valid when the dataset has none
 * @param evaluateTest evaluate the written bundle on the test split
 * @param calibrationData SPEC of a separate calibration set, empty = the dataset's valid split or a
 *     hold-out of its train split
 * @param target the build target of the target profile ({@code --max-drop}, {@code --min-saving})
 */
public record BuildOptions(
    Path backbone,
    String data,
    Path out,
    String name,
    String cuts,
    Optional<String> size,
    Optional<String> color,
    double scale,
    double[] mean,
    double[] std,
    Scheme scheme,
    boolean compareBaseline,
    boolean softWeighting,
    boolean labelTargets,
    double temperature,
    double[] margins,
    MarginMode marginMode,
    int minSupport,
    boolean calibrateOnSurvivors,
    Optional<Double> trainMargin,
    Optional<String> defaultProfile,
    int[] headGrid,
    int headWidth,
    int headLayers,
    int epochs,
    int batchSize,
    double lr,
    long seed,
    int trainLimit,
    double validFraction,
    boolean evaluateTest,
    Optional<String> calibrationData,
    ProfileTarget target) {
  /** Validates the values that are not checked further down. */
  public BuildOptions {
    if (margins.length == 0) {
      throw new IllegalArgumentException("--margins: expected at least one margin, e.g. 0,0.02");
    }
    margins = margins.clone();
    java.util.Arrays.sort(margins);
    for (double m : margins) {
      if (!(m > -1 && m < 1)) {
        throw new IllegalArgumentException(
            "--margins: expected values in (-1,1) (negative: stricter than the backbone), found "
                + m);
      }
    }
    headGrid = headGrid.clone();
    for (int g : headGrid) {
      if (g < 1) {
        throw new IllegalArgumentException("--head-grid: expected values ≥ 1, found " + g);
      }
    }
    if (headWidth < 1 || headLayers < 1) {
      throw new IllegalArgumentException("--head-width and --head-layers must be ≥ 1");
    }
    if (trainLimit < 0) {
      throw new IllegalArgumentException("--train-limit must be ≥ 0, found " + trainLimit);
    }
    mean = mean.clone();
    std = std.clone();
  }

  /** The profile name of margin {@code m}, e.g. {@code m0.02}. */
  public static String profileName(double m) {
    String s = java.math.BigDecimal.valueOf(m).stripTrailingZeros().toPlainString();
    return "m" + s;
  }

  /**
   * The margin used to pick boosted survivors: {@code --train-margin}; else the margin of {@code
   * --default-profile}; else the largest listed margin ≤ 0.02 (the automatic default profile allows
   * a 2-point drop, which in practice lands on such a small margin), else the smallest.
   */
  public double effectiveTrainMargin() {
    if (trainMargin.isPresent()) {
      return trainMargin.get();
    }
    if (defaultProfile.isPresent()) {
      for (double m : margins) {
        if (profileName(m).equals(defaultProfile.get())) {
          return m;
        }
      }
    }
    double best = margins[0];
    for (double m : margins) {
      if (m <= 0.02 + 1e-12) {
        best = m;
      }
    }
    return best;
  }
}
