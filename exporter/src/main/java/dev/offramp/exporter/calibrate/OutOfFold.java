package dev.offramp.exporter.calibrate;

import dev.offramp.cascade.exit.ExitRule;
import dev.offramp.cascade.exit.ThresholdTable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * What a CPM margin will do on images its thresholds were not fitted to, estimated on the
 * calibration split alone: the split is cut into {@link #FOLDS} folds (stratified by label, a fixed
 * seed), and each fold is scored with P_c and thresholds calibrated on the other folds. Scoring the
 * thresholds on the images that set them is optimistic — CPM puts each threshold at the lowest
 * confidence whose precision reaches the target there — and this is what the target search corrects
 * for. Immutable once built; the folds are cut once, each {@link #at} recalibrates them.
 */
public final class OutOfFold {
  /** Folds of the calibration split. */
  public static final int FOLDS = 5;

  private static final long SEED = 20261130L;

  private final List<List<float[][]>> fitExits = new ArrayList<>(); // [fold][exit][sample]
  private final List<int[]> fitLabels = new ArrayList<>();
  private final List<double[]> fitReference = new ArrayList<>();
  private final List<float[][][]> heldStages = new ArrayList<>(); // [fold][sample][stage]
  private final List<int[]> heldLabels = new ArrayList<>();
  private final long[] macsThrough;
  private final long backboneMacs;

  /**
   * The estimate at one margin, pooled over the held-out folds (every calibration image once).
   *
   * @param dropPoints accuracy drop against the backbone, in points
   * @param standardErrorPoints its standard error (paired per image), in points
   * @param saving 1 − mean MACs over the backbone's
   * @param samples images scored
   */
  public record Estimate(
      double dropPoints, double standardErrorPoints, double saving, int samples) {
    /** The drop's one-sided upper bound at {@code z} standard errors. */
    public double dropBound(double z) {
      return dropPoints + z * standardErrorPoints;
    }
  }

  /**
   * Cuts the folds.
   *
   * @param exitProbs per exit, per sample probabilities
   * @param stageProbs [sample][stage][class] (exits then the backbone)
   * @param labels calibration labels
   * @param classes number of classes
   * @param minSupport CPM's support, which every fold's fitting part must reach
   * @throws CalibrationException when the split is too small to cut into folds
   */
  public OutOfFold(
      List<float[][]> exitProbs,
      float[][][] stageProbs,
      int[] labels,
      int classes,
      int minSupport,
      long[] macsThrough,
      long backboneMacs) {
    int n = labels.length;
    int needed = Math.max(FOLDS, (minSupport * FOLDS + FOLDS - 2) / (FOLDS - 1));
    if (n < needed) {
      throw new CalibrationException(
          "target search: "
              + n
              + " samples in the calibration split, expected at least "
              + needed
              + " to estimate a margin out of fold ("
              + FOLDS
              + " folds, each fitted on --min-support "
              + minSupport
              + " or more); use a larger calibration split or lower --min-support");
    }
    this.macsThrough = macsThrough.clone();
    this.backboneMacs = backboneMacs;
    int[] fold = folds(labels, classes);
    int last = stageProbs[0].length - 1;
    for (int f = 0; f < FOLDS; f++) {
      List<Integer> fit = new ArrayList<>();
      List<Integer> held = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        (fold[i] == f ? held : fit).add(i);
      }
      List<float[][]> exits = new ArrayList<>();
      for (float[][] p : exitProbs) {
        exits.add(rows(p, fit));
      }
      int[] fl = labelsOf(labels, fit);
      float[][] backbone = new float[fit.size()][];
      for (int j = 0; j < fit.size(); j++) {
        backbone[j] = stageProbs[fit.get(j)][last];
      }
      fitExits.add(exits);
      fitLabels.add(fl);
      fitReference.add(Cpm.backbonePrecision(backbone, fl, classes));
      float[][][] hs = new float[held.size()][][];
      for (int j = 0; j < held.size(); j++) {
        hs[j] = stageProbs[held.get(j)];
      }
      heldStages.add(hs);
      heldLabels.add(labelsOf(labels, held));
    }
  }

  /** The estimate at the margin (and mode, support, survivors) of {@code s}. */
  public Estimate at(Calibration.Settings s) {
    int n = 0;
    long dropSum = 0; // Σ d, d = backbone correct − cascade correct ∈ {−1, 0, 1}
    long dropSquares = 0; // Σ d²
    double macs = 0;
    for (int f = 0; f < FOLDS; f++) {
      ThresholdTable table =
          Calibration.calibrate(fitExits.get(f), fitLabels.get(f), fitReference.get(f), s);
      float[][][] stages = heldStages.get(f);
      int[] labels = heldLabels.get(f);
      for (int i = 0; i < labels.length; i++) {
        int stage = ExitRule.decide(stages[i], table);
        boolean cascade = ExitRule.argmax(stages[i][stage]) == labels[i];
        boolean backbone = ExitRule.argmax(stages[i][stages[i].length - 1]) == labels[i];
        int d = (backbone ? 1 : 0) - (cascade ? 1 : 0);
        dropSum += d;
        dropSquares += d * d;
        macs += macsThrough[stage + 1];
      }
      n += labels.length;
    }
    double mean = (double) dropSum / n;
    double var = n < 2 ? 0 : (dropSquares - n * mean * mean) / (n - 1);
    return new Estimate(
        100 * mean, 100 * Math.sqrt(Math.max(0, var) / n), 1 - macs / n / backboneMacs, n);
  }

  /** Fold of each sample: per class, a seeded shuffle dealt round-robin (class order fixed). */
  private static int[] folds(int[] labels, int classes) {
    List<List<Integer>> byClass = new ArrayList<>();
    for (int c = 0; c < classes; c++) {
      byClass.add(new ArrayList<>());
    }
    for (int i = 0; i < labels.length; i++) {
      byClass.get(labels[i]).add(i);
    }
    Random random = new Random(SEED);
    int[] fold = new int[labels.length];
    int dealt = 0;
    for (List<Integer> members : byClass) {
      Collections.shuffle(members, random);
      for (int i : members) {
        fold[i] = dealt++ % FOLDS;
      }
    }
    return fold;
  }

  private static float[][] rows(float[][] p, List<Integer> idx) {
    float[][] out = new float[idx.size()][];
    for (int j = 0; j < idx.size(); j++) {
      out[j] = p[idx.get(j)];
    }
    return out;
  }

  private static int[] labelsOf(int[] labels, List<Integer> idx) {
    int[] out = new int[idx.size()];
    for (int j = 0; j < idx.size(); j++) {
      out[j] = labels[idx.get(j)];
    }
    return out;
  }
}
