package dev.offramp.benchmarks.grid;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * How the grid is run; every value is written into the results.
 *
 * @param backbone backbone ONNX file
 * @param data dataset SPEC
 * @param out results directory ({@code configs/} holds one JSON per finished configuration)
 * @param trainLimit training images used (stratified, seeded; 0 = all)
 * @param validLimit calibration images used (0 = the whole valid split / hold-out)
 * @param testLimit test images evaluated (0 = all)
 * @param epochs epochs per head
 * @param batchSize batch size
 * @param lr Adam learning rate
 * @param minSupport CPM min-support
 * @param validFraction hold-out fraction of train when the dataset has no valid split
 * @param mean normalisation mean per channel
 * @param std normalisation std per channel
 * @param seed seed of limits, hold-outs and training
 */
public record GridSettings(
    Path backbone,
    String data,
    Path out,
    int trainLimit,
    int validLimit,
    int testLimit,
    int epochs,
    int batchSize,
    double lr,
    int minSupport,
    double validFraction,
    double[] mean,
    double[] std,
    long seed) {
  /**
   * Version of how a configuration is computed, recorded in every configuration file: bump it when
   * the method changes (here or in the exporter's training) so a resume recomputes instead of
   * mixing results. 2: boosted branches train for equal optimizer steps (exporter e61c6ea).
   */
  public static final String METHOD = "offramp-grid/2";

  public GridSettings {
    mean = mean.clone();
    std = std.clone();
    if (trainLimit < 0 || validLimit < 0 || testLimit < 0) {
      throw new IllegalArgumentException("limits must be ≥ 0 (0 = all)");
    }
    if (epochs < 1 || batchSize < 1 || minSupport < 1) {
      throw new IllegalArgumentException("--epochs, --batch-size and --min-support must be ≥ 1");
    }
  }

  /** A copy: the record keeps its own. */
  public double[] mean() {

    return mean.clone();
  }

  /** A copy: the record keeps its own. */
  public double[] std() {

    return std.clone();
  }

  /**
   * The values that change results (not the paths), as JSON-ready snake_case entries; a finished
   * configuration is reused only when its recorded settings equal these.
   */
  public Fingerprint fingerprint() {
    return new Fingerprint(
        METHOD,
        data,
        trainLimit,
        validLimit,
        testLimit,
        epochs,
        batchSize,
        lr,
        minSupport,
        validFraction,
        Arrays.stream(mean).boxed().toList(),
        Arrays.stream(std).boxed().toList(),
        seed,
        "additive",
        "survivors",
        "backbone",
        "hard");
  }

  /** {@link #fingerprint}: what a configuration file records as {@code settings}. */
  public record Fingerprint(
      String method,
      String data,
      int trainLimit,
      int validLimit,
      int testLimit,
      int epochs,
      int batchSize,
      double lr,
      int minSupport,
      double validFraction,
      List<Double> mean,
      List<Double> std,
      long seed,
      String marginMode,
      String calibrateOn,
      String targets,
      String weighting) {
    /** Copies the lists. */
    public Fingerprint {
      mean = List.copyOf(mean);
      std = List.copyOf(std);
    }
  }
}
