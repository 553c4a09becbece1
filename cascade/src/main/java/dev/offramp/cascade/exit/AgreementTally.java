package dev.offramp.cascade.exit;

/**
 * Counts, per exit and class, how often an early answer agrees with the full backbone's answer: of
 * the samples exit k answers as class c, how many the last stage also calls c. The build measures
 * this on the calibration split (the expectation stored in a profile's {@code expected.agreement});
 * the runtime's live audit measures the same quantity on audited frames.
 *
 * <p>Not thread-safe.
 */
public final class AgreementTally {
  private final ThresholdTable thresholds;
  private final long[][] answered;
  private final long[][] agreed;

  public AgreementTally(ThresholdTable thresholds) {
    this.thresholds = thresholds;
    this.answered = new long[thresholds.exits()][thresholds.classes()];
    this.agreed = new long[thresholds.exits()][thresholds.classes()];
  }

  /**
   * Adds one sample given every stage's probabilities ({@code exits + 1} rows): the exit rule picks
   * the answering stage; a sample the last stage answers counts nowhere.
   */
  public void add(float[][] stageProbs) {
    int exit = ExitRule.decide(stageProbs, thresholds);
    if (exit == thresholds.exits()) {
      return;
    }
    int early = ExitRule.argmax(stageProbs[exit]);
    int full = ExitRule.argmax(stageProbs[stageProbs.length - 1]);
    add(exit, early, early == full);
  }

  /**
   * Adds one early answer of class {@code cls} at {@code exit}, and whether the backbone agreed.
   */
  public void add(int exit, int cls, boolean agrees) {
    answered[exit][cls]++;
    if (agrees) {
      agreed[exit][cls]++;
    }
  }

  /** Samples exit {@code exit} answered as {@code cls}. */
  public long answered(int exit, int cls) {
    return answered[exit][cls];
  }

  /** Of those, how many the backbone agreed with. */
  public long agreed(int exit, int cls) {
    return agreed[exit][cls];
  }

  /**
   * Agreement per exit and class, {@code [exits][classes]}; NaN where the exit answered that class
   * for no sample (in particular where the class never exits there).
   */
  public double[][] fractions() {
    double[][] out = new double[answered.length][];
    for (int k = 0; k < answered.length; k++) {
      out[k] = new double[answered[k].length];
      for (int c = 0; c < answered[k].length; c++) {
        out[k][c] = answered[k][c] == 0 ? Double.NaN : (double) agreed[k][c] / answered[k][c];
      }
    }
    return out;
  }
}
