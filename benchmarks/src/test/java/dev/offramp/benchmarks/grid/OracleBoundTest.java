package dev.offramp.benchmarks.grid;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class OracleBoundTest {
  // Three stages (two exits + backbone); MACs through stage s: 10, 30 (+heads), backbone 100 + 2.
  private static final long[] MACS = {0, 11, 32, 102};

  private static float[] p(int cls) {
    float[] v = new float[3];
    v[cls] = 0.8f;
    v[(cls + 1) % 3] = 0.2f;
    return v;
  }

  @Test
  void eachSampleLeavesAtTheFirstExitAgreeingWithTheBackbone() {
    float[][][] probs = {
      {p(0), p(1), p(0)}, // exit 0 agrees -> 11
      {p(2), p(1), p(1)}, // exit 1 agrees -> 32
      {p(2), p(2), p(1)}, // none agrees -> backbone 102
      {p(1), p(1), p(1)}, // both agree -> first, 11
    };
    assertEquals(0, OracleBound.firstFaithfulStage(probs[0]));
    assertEquals(1, OracleBound.firstFaithfulStage(probs[1]));
    assertEquals(2, OracleBound.firstFaithfulStage(probs[2]));
    assertEquals(
        (11 + 32 + 102 + 11) / 4.0 / 100, OracleBound.macsFraction(probs, MACS, 100), 1e-12);
  }

  @Test
  void theOracleIgnoresLabelsAndConfidence() {
    // A confident exit that disagrees with the backbone never counts, a timid agreeing one does.
    float[] timid = {0.34f, 0.33f, 0.33f};
    float[][][] probs = {{new float[] {0.0f, 0.99f, 0.01f}, timid, p(0)}};
    assertEquals(0.32, OracleBound.macsFraction(probs, MACS, 100), 1e-12);
  }

  @Test
  void shareOfOracleIsAchievedReductionOverTheOraclesReduction() {
    assertEquals(0.5, OracleBound.shareOfOracle(0.8, 0.6), 1e-12);
    assertEquals(1.0, OracleBound.shareOfOracle(0.6, 0.6), 1e-12);
    assertTrue(Double.isNaN(OracleBound.shareOfOracle(0.9, 1.0)));
  }
}
