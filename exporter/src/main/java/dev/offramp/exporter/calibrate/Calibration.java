package dev.offramp.exporter.calibrate;

import dev.offramp.cascade.exit.ExitRule;
import dev.offramp.cascade.exit.ThresholdTable;
import java.util.Arrays;
import java.util.List;

/**
 * Calibrates all exits in order (exit k sees the samples exits 0..k−1 let through, or all samples)
 * and computes survivor sets with {@link ExitRule}. Stateless.
 */
public final class Calibration {
  private Calibration() {}

  /**
   * Settings of one calibration.
   *
   * @param margin m; negative asks the exits for more precision than the backbone's
   * @param mode additive or multiplicative
   * @param minSupport samples needed behind a threshold
   * @param survivorsOnly calibrate exit k on the samples reaching it ({@code --calibrate-on
   *     survivors}) rather than on all samples
   */
  public record Settings(double margin, MarginMode mode, int minSupport, boolean survivorsOnly) {
    /** Validates the margin and support. */
    public Settings {
      if (!(margin > -1 && margin < 1)) {
        throw new IllegalArgumentException(
            "margin must be in (-1,1) (negative: stricter than the backbone), found " + margin);
      }
      if (minSupport < 1) {
        throw new IllegalArgumentException("--min-support must be ≥ 1, found " + minSupport);
      }
    }
  }

  /**
   * Thresholds for every exit.
   *
   * @param exitProbs per exit, per sample probabilities
   * @param labels ground truth
   * @param reference P_c per class (see {@link Cpm#backbonePrecision})
   * @return the table, one row per exit
   * @throws CalibrationException when the split is smaller than min-support (no class could ever
   *     exit)
   */
  public static ThresholdTable calibrate(
      List<float[][]> exitProbs, int[] labels, double[] reference, Settings s) {
    if (labels.length < s.minSupport()) {
      throw new CalibrationException(
          "calibration: "
              + labels.length
              + " samples in the calibration split, expected at least --min-support ("
              + s.minSupport()
              + "); use a larger calibration set (--calibration-data, or --valid-fraction when"
              + " it is held out of the training data) or lower --min-support");
    }
    int exits = exitProbs.size();
    int classes = reference.length;
    double[][] rows = new double[exits][classes];
    for (double[] r : rows) {
      Arrays.fill(r, Double.NaN);
    }
    boolean[] all = new boolean[labels.length];
    Arrays.fill(all, true);
    for (int k = 0; k < exits; k++) {
      boolean[] reach =
          s.survivorsOnly() ? survivors(exitProbs, ThresholdTable.of(rows), k, labels.length) : all;
      rows[k] =
          Cpm.thresholds(
              exitProbs.get(k), labels, reach, reference, s.margin(), s.mode(), s.minSupport());
    }
    return ThresholdTable.of(rows);
  }

  /**
   * The samples that reach exit {@code k}: those that none of exits 0..k−1 lets out under {@code
   * table} ({@link ExitRule#exits}). For k = 0, every sample.
   *
   * @param exitProbs per exit, per sample probabilities; at least the first {@code k} exits (for k
   *     = 0 it may be empty, which is why the sample count is passed rather than read from it)
   * @param samples number of samples
   * @throws IllegalArgumentException when fewer than k exits are given or an exit's row count
   *     differs from {@code samples}
   */
  public static boolean[] survivors(
      List<float[][]> exitProbs, ThresholdTable table, int k, int samples) {
    if (k < 0 || exitProbs.size() < k) {
      throw new IllegalArgumentException(
          "survivors of exit "
              + k
              + ": expected probabilities of exits 0.."
              + (k - 1)
              + ", found "
              + exitProbs.size()
              + " exits");
    }
    for (int j = 0; j < k; j++) {
      if (exitProbs.get(j).length != samples) {
        throw new IllegalArgumentException(
            "survivors: exit "
                + j
                + " has "
                + exitProbs.get(j).length
                + " probability rows, expected one per sample ("
                + samples
                + ")");
      }
    }
    int n = samples;
    boolean[] reach = new boolean[n];
    Arrays.fill(reach, true);
    for (int j = 0; j < k; j++) {
      float[][] p = exitProbs.get(j);
      for (int i = 0; i < n; i++) {
        if (reach[i] && ExitRule.exits(p[i], table, j)) {
          reach[i] = false;
        }
      }
    }
    return reach;
  }
}
