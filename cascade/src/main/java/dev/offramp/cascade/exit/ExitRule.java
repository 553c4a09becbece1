package dev.offramp.cascade.exit;

/**
 * The exit rule, implemented once and shared by calibration, evaluation and the runtime.
 *
 * <p>At exit k, c* = argmax p_k; the sample exits iff θ[k][c*] is defined and p_k[c*] ≥ θ[k][c*].
 * The last stage always answers. Ties in argmax go to the lowest class index. Stateless.
 */
public final class ExitRule {
  private ExitRule() {}

  /** Index of the largest probability; the lowest index wins a tie. */
  public static int argmax(float[] probs) {
    int best = 0;
    for (int c = 1; c < probs.length; c++) {
      if (probs[c] > probs[best]) {
        best = c;
      }
    }
    return best;
  }

  /** Whether a sample with these exit-{@code exit} probabilities leaves there. */
  public static boolean exits(float[] probs, ThresholdTable thresholds, int exit) {
    if (probs.length != thresholds.classes()) {
      throw new IllegalArgumentException(
          "exit "
              + exit
              + " produced "
              + probs.length
              + " probabilities, expected one per class ("
              + thresholds.classes()
              + ")");
    }
    int predicted = argmax(probs);
    return thresholds.clears(exit, predicted, probs[predicted]);
  }

  /**
   * The stage that answers for a sample given every stage's probabilities: the first exit the rule
   * takes, else the last stage.
   *
   * @param stageProbs probabilities per stage; {@code stageProbs.length == exits + 1}
   */
  public static int decide(float[][] stageProbs, ThresholdTable thresholds) {
    int exits = thresholds.exits();
    if (stageProbs.length != exits + 1) {
      throw new IllegalArgumentException(
          "expected probabilities for "
              + (exits + 1)
              + " stages (one per exit plus the last), found "
              + stageProbs.length);
    }
    for (int k = 0; k < exits; k++) {
      if (exits(stageProbs[k], thresholds, k)) {
        return k;
      }
    }
    return exits;
  }
}
