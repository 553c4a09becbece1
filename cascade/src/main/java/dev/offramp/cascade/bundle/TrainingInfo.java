package dev.offramp.cascade.bundle;

import java.util.Set;

/**
 * How the exits were trained. The full record of training is in {@code report.json}.
 *
 * @param scheme {@code boosted} (BTS-EE) or {@code baseline}
 * @param targets {@code backbone} (argmax of the backbone) or {@code labels}
 * @param calibration {@code survivors} or {@code all}
 * @param seed the seed the build ran with
 */
public record TrainingInfo(String scheme, String targets, String calibration, long seed) {
  private static final Set<String> SCHEMES = Set.of("boosted", "baseline");
  private static final Set<String> TARGETS = Set.of("backbone", "labels");
  private static final Set<String> CALIBRATIONS = Set.of("survivors", "all");

  public TrainingInfo {
    requireOneOf("scheme", scheme, SCHEMES);
    requireOneOf("targets", targets, TARGETS);
    requireOneOf("calibration", calibration, CALIBRATIONS);
  }

  private static void requireOneOf(String field, String value, Set<String> allowed) {
    if (value == null || !allowed.contains(value)) {
      throw new BundleException(
          field
              + ": expected one of "
              + allowed.stream().sorted().toList()
              + ", found '"
              + value
              + "'");
    }
  }
}
