package dev.offramp.exporter.evaluate;

import dev.offramp.cascade.exit.AgreementTally;
import dev.offramp.cascade.exit.ThresholdTable;

/**
 * The agreement a profile's exits are expected to show with the full backbone, per exit and class,
 * measured on the calibration split: what the runtime's live audit compares its observations with
 * (the manifest's {@code expected.agreement}). A pure function of per-sample, per-stage
 * probabilities, counted by the same {@link AgreementTally} the audit's tests use.
 */
public final class ExpectedAgreement {
  private ExpectedAgreement() {}

  /**
   * Agreement per exit and class, {@code [exits][classes]}: of the samples exit k answers as class
   * c under {@code thresholds}, the fraction whose last-stage argmax is also c; NaN where exit k
   * answers class c for no sample (written as {@code null}).
   *
   * @param stageProbs {@code [samples][stages][classes]}, the last stage being the backbone
   */
  public static double[][] of(float[][][] stageProbs, ThresholdTable thresholds) {
    AgreementTally tally = new AgreementTally(thresholds);
    for (float[][] sample : stageProbs) {
      tally.add(sample);
    }
    return tally.fractions();
  }
}
