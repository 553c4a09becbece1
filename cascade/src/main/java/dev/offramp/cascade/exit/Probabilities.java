package dev.offramp.cascade.exit;

/**
 * What counts as a usable probability vector from a stage's {@code probs} output: every entry
 * finite and in [0,1], and the entries summing to 1 within a tolerance that allows float32 and
 * float16 rounding. A stage whose output fails this (NaN from a broken graph, logits exported
 * without softmax, a quantisation overflow) must not decide an exit. Stateless.
 */
public final class Probabilities {
  /** Slack on each entry's [0,1] range, for rounding. */
  static final float ENTRY_SLACK = 1e-4f;

  private Probabilities() {}

  /** How far from 1 the sum may be: 0.01, or more for very many classes (rounding adds up). */
  public static double sumTolerance(int classes) {
    return Math.max(0.01, classes * 1e-4);
  }

  /** Whether {@code probs} is a probability vector; never throws. */
  public static boolean valid(float[] probs) {
    if (probs.length == 0) {
      return false;
    }
    double sum = 0;
    for (float p : probs) {
      // The negated comparison also rejects NaN.
      if (!(p >= -ENTRY_SLACK && p <= 1 + ENTRY_SLACK)) {
        return false;
      }
      sum += p;
    }
    return Math.abs(sum - 1) <= sumTolerance(probs.length);
  }
}
