package dev.offramp.exporter.evaluate;

import java.util.Arrays;

/**
 * What one profile achieves on one split.
 *
 * @param name profile name
 * @param margin its CPM margin
 * @param samples samples evaluated
 * @param accuracy cascade accuracy, 0..1
 * @param backboneAccuracy the backbone's accuracy on the same samples
 * @param meanMacs mean MACs per sample, heads included
 * @param backboneMacs the backbone's MACs
 * @param exitRates fraction answered per stage (the last entry: the final stage)
 * @param classPrecision cascade precision per class (NaN: never predicted)
 * @param backboneClassPrecision the backbone's precision per class
 * @param dropStandardErrorPoints standard error of the accuracy drop, in points: the sample
 *     standard deviation of the per-image paired difference (backbone correct − cascade correct)
 *     over √samples (0 for a single sample)
 */
public record ProfileMetrics(
    String name,
    double margin,
    int samples,
    double accuracy,
    double backboneAccuracy,
    double meanMacs,
    long backboneMacs,
    double[] exitRates,
    double[] classPrecision,
    double[] backboneClassPrecision,
    double dropStandardErrorPoints) {
  /** Copies the arrays. */
  public ProfileMetrics {
    exitRates = exitRates.clone();
    classPrecision = classPrecision.clone();
    backboneClassPrecision = backboneClassPrecision.clone();
  }

  /** A copy: the record keeps its own. */
  public double[] exitRates() {
    return exitRates.clone();
  }

  /** A copy: the record keeps its own. */
  public double[] classPrecision() {
    return classPrecision.clone();
  }

  /** A copy: the record keeps its own. */
  public double[] backboneClassPrecision() {
    return backboneClassPrecision.clone();
  }

  /** Accuracy drop in percentage points (positive = worse than the backbone). */
  public double accuracyDropPoints() {
    return 100 * (backboneAccuracy - accuracy);
  }

  /** Mean MACs over the backbone's, 0..(1 + head share). */
  public double macsFraction() {
    return meanMacs / backboneMacs;
  }

  /** 1 − MAC fraction. */
  public double computeReduction() {
    return 1 - macsFraction();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ProfileMetrics m
        && m.name.equals(name)
        && m.samples == samples
        && m.accuracy == accuracy
        && m.meanMacs == meanMacs
        && Arrays.equals(m.exitRates, exitRates);
  }

  @Override
  public int hashCode() {
    return name.hashCode() * 31 + Arrays.hashCode(exitRates);
  }

  @Override
  public String toString() {
    return String.format(
        java.util.Locale.ROOT,
        "%s: accuracy %.4f (backbone %.4f, drop %.2f pt), MAC fraction %.3f, exits %s",
        name,
        accuracy,
        backboneAccuracy,
        accuracyDropPoints(),
        macsFraction(),
        Arrays.toString(exitRates));
  }
}
