package dev.offramp.exporter.evaluate;

import dev.offramp.cascade.exit.ExitRule;
import dev.offramp.cascade.exit.ThresholdTable;

/** Applies a profile's thresholds to per-stage probabilities offline. Stateless. */
public final class CascadeMetrics {
  private CascadeMetrics() {}

  /**
   * Metrics of one profile.
   *
   * @param probs [sample][stage][class]; the last stage is the backbone's answer
   * @param labels ground truth
   * @param table the profile's thresholds
   * @param macsThrough index s: MACs (backbone + heads) of running the first s stages; length
   *     stages + 1
   * @param backboneMacs the backbone's MACs
   */
  public static ProfileMetrics compute(
      String name,
      double margin,
      float[][][] probs,
      int[] labels,
      ThresholdTable table,
      long[] macsThrough,
      long backboneMacs) {
    int n = labels.length;
    if (probs.length != n || n == 0) {
      throw new IllegalArgumentException(
          "metrics: expected one probability set per label (at least one), found "
              + probs.length
              + " for "
              + n
              + " labels");
    }
    int stages = table.exits() + 1;
    int classes = table.classes();
    int[] exits = new int[stages];
    int correct = 0;
    int backboneCorrect = 0;
    double macs = 0;
    long pairedSquares = 0; // Σ d², d = backbone correct − cascade correct ∈ {−1, 0, 1}
    int[] predicted = new int[classes];
    int[] predictedCorrect = new int[classes];
    int[] bbPredicted = new int[classes];
    int[] bbCorrect = new int[classes];
    for (int i = 0; i < n; i++) {
      int s = ExitRule.decide(probs[i], table);
      exits[s]++;
      macs += macsThrough[s + 1];
      int c = ExitRule.argmax(probs[i][s]);
      int b = ExitRule.argmax(probs[i][stages - 1]);
      if ((c == labels[i]) != (b == labels[i])) {
        pairedSquares++;
      }
      predicted[c]++;
      if (c == labels[i]) {
        correct++;
        predictedCorrect[c]++;
      }
      bbPredicted[b]++;
      if (b == labels[i]) {
        backboneCorrect++;
        bbCorrect[b]++;
      }
    }
    double[] rates = new double[stages];
    for (int s = 0; s < stages; s++) {
      rates[s] = (double) exits[s] / n;
    }
    double[] prec = new double[classes];
    double[] bbPrec = new double[classes];
    for (int c = 0; c < classes; c++) {
      prec[c] = predicted[c] == 0 ? Double.NaN : (double) predictedCorrect[c] / predicted[c];
      bbPrec[c] = bbPredicted[c] == 0 ? Double.NaN : (double) bbCorrect[c] / bbPredicted[c];
    }
    double meanD = (double) (backboneCorrect - correct) / n;
    double varD = n < 2 ? 0 : (pairedSquares - n * meanD * meanD) / (n - 1);
    double se = 100 * Math.sqrt(Math.max(0, varD) / n);
    return new ProfileMetrics(
        name,
        margin,
        n,
        (double) correct / n,
        (double) backboneCorrect / n,
        macs / n,
        backboneMacs,
        rates,
        prec,
        bbPrec,
        se);
  }
}
