package dev.offramp.exporter.calibrate;

import dev.offramp.cascade.bundle.ProfileTarget;
import java.math.BigDecimal;
import java.util.Arrays;
import java.util.Optional;

/**
 * How a build calibrates its profiles: {@code --margins}, {@code --margin-mode}, {@code
 * --min-support}, {@code --calibrate-on}, {@code --train-margin}, {@code --default-profile} and the
 * target ({@code --max-drop}, {@code --min-saving}). Margins are copied in (sorted) and out.
 *
 * @param margins CPM margins, one profile each
 * @param mode additive or multiplicative
 * @param minSupport samples behind a threshold
 * @param onSurvivors calibrate exit k on the samples reaching it
 * @param trainMargin margin for boosted survivor selection, empty = {@link #effectiveTrainMargin}
 * @param defaultProfile default profile name, empty = the target profile
 * @param target the target of the target profile
 */
public record CalibrationOptions(
    double[] margins,
    MarginMode mode,
    int minSupport,
    boolean onSurvivors,
    Optional<Double> trainMargin,
    Optional<String> defaultProfile,
    ProfileTarget target) {
  /** Validates, copies and sorts the margins. */
  public CalibrationOptions {
    if (margins.length == 0) {
      throw new IllegalArgumentException("--margins: expected at least one margin, e.g. 0,0.02");
    }
    margins = margins.clone();
    Arrays.sort(margins);
    for (double m : margins) {
      if (!(m > -1 && m < 1)) {
        throw new IllegalArgumentException(
            "--margins: expected values in (-1,1) (negative: stricter than the backbone), found "
                + m);
      }
    }
  }

  @Override
  public double[] margins() {
    return margins.clone();
  }

  /** The CPM settings at margin {@code m}. */
  public Calibration.Settings at(double m) {
    return new Calibration.Settings(m, mode, minSupport, onSurvivors);
  }

  /** The profile name of margin {@code m}, e.g. {@code m0.02}. */
  public static String profileName(double m) {
    return "m" + BigDecimal.valueOf(m).stripTrailingZeros().toPlainString();
  }

  /** The name of the target profile, e.g. {@code target-drop1.0}. */
  public String targetName() {
    return TargetSearch.profileName(target);
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

  @Override
  public boolean equals(Object o) {
    return o instanceof CalibrationOptions c
        && Arrays.equals(c.margins, margins)
        && c.mode == mode
        && c.minSupport == minSupport
        && c.onSurvivors == onSurvivors
        && c.trainMargin.equals(trainMargin)
        && c.defaultProfile.equals(defaultProfile)
        && c.target.equals(target);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(margins) + target.hashCode();
  }

  @Override
  public String toString() {
    return "CalibrationOptions[margins="
        + Arrays.toString(margins)
        + ", mode="
        + mode
        + ", minSupport="
        + minSupport
        + ", onSurvivors="
        + onSurvivors
        + ", trainMargin="
        + trainMargin
        + ", defaultProfile="
        + defaultProfile
        + ", target="
        + target
        + "]";
  }
}
