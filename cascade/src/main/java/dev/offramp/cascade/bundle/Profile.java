package dev.offramp.cascade.bundle;

import dev.offramp.cascade.exit.ThresholdTable;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One CPM margin's thresholds and what they achieved at build time.
 *
 * @param name profile name, e.g. {@code m0.02}
 * @param margin the CPM margin m the thresholds were calibrated with
 * @param thresholds θ[exit][class]
 * @param expected accuracy, MAC fraction and exit rates on the calibration split
 * @param target the build target this profile was chosen for, if any ({@code --max-drop})
 */
public record Profile(
    String name,
    double margin,
    ThresholdTable thresholds,
    Expected expected,
    Optional<ProfileTarget> target) {
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");

  public Profile {
    Objects.requireNonNull(thresholds, "thresholds");
    Objects.requireNonNull(expected, "expected");
    Objects.requireNonNull(target, "target");
    if (name == null || !NAME.matcher(name).matches()) {
      throw new BundleException(
          "name: expected a name of 1-64 letters, digits, '.', '_' or '-', found '" + name + "'");
    }
    if (!(margin > -1 && margin <= 1)) {
      throw new BundleException(
          "margin: expected a value in (-1,1] (negative: stricter than the backbone), found "
              + margin);
    }
  }

  /** A profile without a build target (every profile of a fixed margin). */
  public Profile(String name, double margin, ThresholdTable thresholds, Expected expected) {
    this(name, margin, thresholds, expected, Optional.empty());
  }
}
