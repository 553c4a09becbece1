package dev.offramp.exporter.report;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.offramp.exporter.evaluate.ProfileMetrics;
import java.util.List;

/**
 * One profile's metrics as report.json and {@code evaluate --json} write them (snake_case keys
 * through {@link ReportWriter#json}; a NaN rate or precision is written as null).
 *
 * @param target the profile's build target and whether this split meets it; absent (no key) for a
 *     profile without one and in report.json
 */
public record ProfileReport(
    String name,
    double margin,
    int samples,
    double accuracy,
    double backboneAccuracy,
    double accuracyDropPoints,
    double accuracyDropSePoints,
    double meanMacs,
    long backboneMacs,
    double macsFraction,
    double computeReduction,
    List<Double> exitRates,
    List<Double> classPrecision,
    List<Double> backboneClassPrecision,
    @JsonInclude(JsonInclude.Include.NON_NULL) Target target) {
  /** Copies the lists. */
  public ProfileReport {
    exitRates = ReportWriter.copy(exitRates);
    classPrecision = ReportWriter.copy(classPrecision);
    backboneClassPrecision = ReportWriter.copy(backboneClassPrecision);
  }

  /**
   * A profile's build target as {@code evaluate --json} reports it.
   *
   * @param minSaving null when the target sets no saving floor
   */
  public record Target(
      double maxDropPoints, Double minSaving, boolean met, boolean metWithinOneSe) {}

  /** The metrics of {@code p}, without a target. */
  public static ProfileReport of(ProfileMetrics p) {
    return new ProfileReport(
        p.name(),
        p.margin(),
        p.samples(),
        p.accuracy(),
        p.backboneAccuracy(),
        p.accuracyDropPoints(),
        p.dropStandardErrorPoints(),
        p.meanMacs(),
        p.backboneMacs(),
        p.macsFraction(),
        p.computeReduction(),
        ReportWriter.nums(p.exitRates()),
        ReportWriter.nums(p.classPrecision()),
        ReportWriter.nums(p.backboneClassPrecision()),
        null);
  }

  /** This report with {@code t} as its target. */
  public ProfileReport withTarget(Target t) {
    return new ProfileReport(
        name,
        margin,
        samples,
        accuracy,
        backboneAccuracy,
        accuracyDropPoints,
        accuracyDropSePoints,
        meanMacs,
        backboneMacs,
        macsFraction,
        computeReduction,
        exitRates,
        classPrecision,
        backboneClassPrecision,
        t);
  }
}
