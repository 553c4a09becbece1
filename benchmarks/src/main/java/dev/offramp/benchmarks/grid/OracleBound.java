package dev.offramp.benchmarks.grid;

import dev.offramp.cascade.exit.ExitRule;

/**
 * The oracle bound of backbone-faithful exits: every sample leaves at the first stage whose
 * prediction (argmax) equals the backbone's, i.e. the cheapest cascade that never changes the
 * backbone's answer given these heads. Its mean MACs are the floor for any threshold rule that is
 * faithful to the backbone; what CPM achieves is reported as a share of the reduction this oracle
 * reaches. Stateless.
 */
public final class OracleBound {
  private OracleBound() {}

  /**
   * Mean MACs of the oracle over the backbone's MACs.
   *
   * @param probs [sample][stage][class]; the last stage is the backbone's answer
   * @param macsThrough index s: MACs (backbone + heads) of running the first s stages
   * @param backboneMacs the backbone's MACs
   */
  public static double macsFraction(float[][][] probs, long[] macsThrough, long backboneMacs) {
    if (probs.length == 0) {
      throw new IllegalArgumentException("oracle: expected at least one sample");
    }
    double sum = 0;
    for (float[][] sample : probs) {
      sum += macsThrough[firstFaithfulStage(sample) + 1];
    }
    return sum / probs.length / backboneMacs;
  }

  /** The first stage whose argmax equals the last stage's (the last stage itself if none). */
  public static int firstFaithfulStage(float[][] stages) {
    int last = stages.length - 1;
    int target = ExitRule.argmax(stages[last]);
    for (int k = 0; k < last; k++) {
      if (ExitRule.argmax(stages[k]) == target) {
        return k;
      }
    }
    return last;
  }

  /**
   * Achieved compute reduction as a share of the oracle's: {@code (1 − achieved) / (1 − oracle)};
   * NaN when the oracle saves nothing.
   */
  public static double shareOfOracle(double achievedMacsFraction, double oracleMacsFraction) {
    double room = 1 - oracleMacsFraction;
    return room <= 0 ? Double.NaN : (1 - achievedMacsFraction) / room;
  }
}
