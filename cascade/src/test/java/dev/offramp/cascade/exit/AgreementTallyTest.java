package dev.offramp.cascade.exit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class AgreementTallyTest {
  private static final double N = Double.NaN;

  @Test
  void countsEarlyAnswersPerExitAndClassAgainstTheLastStage() {
    // Two exits, three classes; class 2 never exits at exit 0.
    ThresholdTable t = ThresholdTable.of(new double[][] {{0.6, 0.6, N}, {0.5, 0.5, 0.5}});
    AgreementTally tally = new AgreementTally(t);
    float[] sure0 = {0.9f, 0.05f, 0.05f};
    float[] sure1 = {0.05f, 0.9f, 0.05f};
    float[] sure2 = {0.05f, 0.05f, 0.9f};
    float[] unsure = {0.4f, 0.3f, 0.3f};
    tally.add(new float[][] {sure0, unsure, sure0}); // exit 0 says 0, backbone 0: agrees
    tally.add(new float[][] {sure0, unsure, sure1}); // exit 0 says 0, backbone 1: disagrees
    tally.add(new float[][] {sure2, sure2, sure2}); // class 2 may not leave at 0: exit 1 agrees
    tally.add(new float[][] {unsure, unsure, sure1}); // nobody exits: the last stage answers
    double[][] f = tally.fractions();
    assertEquals(0.5, f[0][0], 1e-12);
    assertEquals(2, tally.answered(0, 0));
    assertEquals(1, tally.agreed(0, 0));
    assertTrue(Double.isNaN(f[0][2]), "never exits there");
    assertEquals(1.0, f[1][2], 1e-12);
    assertTrue(Double.isNaN(f[1][0]));
  }
}
