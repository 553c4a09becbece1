package dev.offramp.exporter.build;

import dev.offramp.cascade.bundle.Bundle;
import dev.offramp.exporter.data.CalibrationSource;
import dev.offramp.exporter.evaluate.ProfileMetrics;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a build produced.
 *
 * @param bundle the written, reopened bundle
 * @param validMetrics per scheme, per profile metrics on the calibration split
 * @param testMetrics per scheme, per profile metrics on the test split (boosted through the
 *     bundle's executor; the compared baseline from its heads in DJL)
 * @param seconds wall time of the build
 * @param calibration where the calibration split came from
 * @param targetSummary one line: the target profile's margin and whether the calibration split
 *     meets the target
 */
public record BuildResult(
    Bundle bundle,
    Map<String, List<ProfileMetrics>> validMetrics,
    Map<String, List<ProfileMetrics>> testMetrics,
    double seconds,
    CalibrationSource calibration,
    String targetSummary) {
  /** Copies the maps, keeping their order (schemes as trained). */
  public BuildResult {
    validMetrics = Collections.unmodifiableMap(new LinkedHashMap<>(validMetrics));
    testMetrics = Collections.unmodifiableMap(new LinkedHashMap<>(testMetrics));
  }
}
