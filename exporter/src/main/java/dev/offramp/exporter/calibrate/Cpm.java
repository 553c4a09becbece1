package dev.offramp.exporter.calibrate;

import dev.offramp.cascade.exit.ExitRule;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** CPM thresholds for one exit; see the package documentation for the rule. Stateless. */
public final class Cpm {
  private Cpm() {}

  /**
   * The backbone's precision per class on a split: among samples it predicts as c, the fraction
   * labelled c; {@code NaN} for a class it never predicts.
   *
   * @param backboneProbs per sample, the backbone's probabilities
   * @param labels ground truth per sample
   */
  public static double[] backbonePrecision(float[][] backboneProbs, int[] labels, int classes) {
    int[] predicted = new int[classes];
    int[] correct = new int[classes];
    for (int i = 0; i < labels.length; i++) {
      int c = ExitRule.argmax(backboneProbs[i]);
      predicted[c]++;
      if (c == labels[i]) {
        correct[c]++;
      }
    }
    double[] p = new double[classes];
    for (int c = 0; c < classes; c++) {
      p[c] = predicted[c] == 0 ? Double.NaN : (double) correct[c] / predicted[c];
    }
    return p;
  }

  /**
   * θ for every class at one exit.
   *
   * @param probs per sample, the exit's probabilities
   * @param labels ground truth per sample
   * @param reach which samples reach this exit
   * @param reference P_c per class ({@code NaN}: class never exits)
   * @param margin m
   * @param mode additive or multiplicative
   * @param minSupport samples needed behind a threshold (≥ 1)
   * @return θ per class, {@code NaN} where the class never exits
   */
  public static double[] thresholds(
      float[][] probs,
      int[] labels,
      boolean[] reach,
      double[] reference,
      double margin,
      MarginMode mode,
      int minSupport) {
    if (minSupport < 1) {
      throw new IllegalArgumentException("--min-support must be ≥ 1, found " + minSupport);
    }
    if (probs.length != labels.length || reach.length != labels.length) {
      throw new IllegalArgumentException(
          "calibration: expected one probability row, label and reach flag per sample, found "
              + probs.length
              + ", "
              + labels.length
              + ", "
              + reach.length);
    }
    int classes = reference.length;
    List<List<float[]>> byClass = new ArrayList<>(); // {confidence, correct}
    for (int c = 0; c < classes; c++) {
      byClass.add(new ArrayList<>());
    }
    for (int i = 0; i < probs.length; i++) {
      if (!reach[i]) {
        continue;
      }
      int c = ExitRule.argmax(probs[i]);
      byClass.get(c).add(new float[] {probs[i][c], labels[i] == c ? 1 : 0});
    }
    double[] theta = new double[classes];
    Arrays.fill(theta, Double.NaN);
    for (int c = 0; c < classes; c++) {
      if (Double.isNaN(reference[c])) {
        continue;
      }
      double target = mode.target(reference[c], margin);
      List<float[]> members = byClass.get(c);
      members.sort((a, b) -> Float.compare(b[0], a[0]));
      int n = 0;
      int correct = 0;
      int i = 0;
      while (i < members.size()) {
        float t = members.get(i)[0];
        // A threshold t admits every sample with confidence >= t: take the whole tie group.
        while (i < members.size() && members.get(i)[0] == t) {
          n++;
          correct += (int) members.get(i)[1];
          i++;
        }
        if (n >= minSupport && (double) correct / n >= target) {
          theta[c] = t;
        }
      }
    }
    return theta;
  }
}
