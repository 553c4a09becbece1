package dev.offramp.cascade.bundle;

import java.util.Optional;

/**
 * The build target a profile was chosen for ({@code offramp build --max-drop/--min-saving}): its
 * margin was searched on the calibration split so that the accuracy drop stays within {@code
 * maxDropPoints} and, when given, the MAC saving reaches {@code minSaving}. Optional in the
 * manifest ({@code "target"} inside a profile); bundles without it load unchanged.
 *
 * @param maxDropPoints allowed accuracy drop against the backbone, in percentage points (≥ 0)
 * @param minSaving required fraction of the backbone's MACs saved, in [0,1), if any
 */
public record ProfileTarget(double maxDropPoints, Optional<Double> minSaving) {
  /** Validates both bounds. */
  public ProfileTarget {
    if (!(maxDropPoints >= 0 && maxDropPoints <= 100)) {
      throw new BundleException(
          "max_drop_points: expected accuracy points in [0,100], found " + maxDropPoints);
    }
    if (minSaving.isPresent() && !(minSaving.get() >= 0 && minSaving.get() < 1)) {
      throw new BundleException(
          "min_saving: expected a fraction of the backbone's MACs in [0,1), found "
              + minSaving.get());
    }
  }
}
