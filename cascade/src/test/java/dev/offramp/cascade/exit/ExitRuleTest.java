package dev.offramp.cascade.exit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ExitRuleTest {
  private static final double NEVER = Double.NaN;

  // Three classes, two exits. Class 0 exits readily at exit 0, class 1 is strict, class 2 never.
  private final ThresholdTable table =
      ThresholdTable.of(new double[][] {{0.5, 0.9, NEVER}, {0.4, 0.6, 0.7}});

  @Test
  void exitsAtFirstStageWhenConfidenceClearsPredictedClassThreshold() {
    assertTrue(ExitRule.exits(new float[] {0.6f, 0.3f, 0.1f}, table, 0));
  }

  @Test
  void doesNotExitWhenConfidenceClearsOnlyAnotherClassThreshold() {
    // Predicted class 1 at 0.8: would clear class 0's 0.5, but class 1 needs 0.9.
    assertFalse(ExitRule.exits(new float[] {0.1f, 0.8f, 0.1f}, table, 0));
  }

  @Test
  void nullThresholdNeverExitsEvenAtFullConfidence() {
    assertFalse(ExitRule.exits(new float[] {0f, 0f, 1f}, table, 0));
  }

  @ParameterizedTest(name = "confidence {0} vs threshold 0.5 exits: {1}")
  @CsvSource({"0.5, true", "0.49999997, false", "0.50000006, true"})
  void thresholdIsInclusiveAtTheBoundary(float confidence, boolean exits) {
    float[] probs = {confidence, (1 - confidence) / 2, (1 - confidence) / 2};
    assertEquals(exits, ExitRule.exits(probs, table, 0));
  }

  @Test
  void lastStageAlwaysAnswers() {
    float[][] none = {{0.2f, 0.5f, 0.3f}, {0.2f, 0.2f, 0.6f}, {0.34f, 0.33f, 0.33f}};
    assertEquals(2, ExitRule.decide(none, table));
  }

  @Test
  void decideReturnsTheFirstExitTaken() {
    float[][] probs = {{0.1f, 0.8f, 0.1f}, {0.1f, 0.65f, 0.25f}, {0f, 1f, 0f}};
    assertEquals(1, ExitRule.decide(probs, table));
    float[][] early = {{0.55f, 0.4f, 0.05f}, {0.1f, 0.65f, 0.25f}, {0f, 1f, 0f}};
    assertEquals(0, ExitRule.decide(early, table));
  }

  @Test
  void argmaxTieGoesToLowestClass() {
    assertEquals(1, ExitRule.argmax(new float[] {0.1f, 0.45f, 0.45f}));
  }

  @Test
  void wrongProbabilityCountIsRejectedWithBothCounts() {
    var e =
        assertThrows(
            IllegalArgumentException.class, () -> ExitRule.exits(new float[] {1f, 0f}, table, 0));
    assertTrue(e.getMessage().contains("2 probabilities"), e.getMessage());
    assertTrue(e.getMessage().contains("(3)"), e.getMessage());
  }

  @Test
  void thresholdTableRejectsRaggedRowsAndOutOfRangeValues() {
    var ragged =
        assertThrows(
            IllegalArgumentException.class,
            () -> ThresholdTable.of(new double[][] {{0.5, 0.5}, {0.5}}));
    assertTrue(ragged.getMessage().contains("thresholds[1]"), ragged.getMessage());
    var range =
        assertThrows(
            IllegalArgumentException.class, () -> ThresholdTable.of(new double[][] {{0.5, 1.5}}));
    assertTrue(range.getMessage().contains("thresholds[0][1]"), range.getMessage());
  }

  @Test
  void absentThresholdIsAnEmptyOptional() {
    assertTrue(table.get(0, 2).isEmpty());
    assertEquals(0.9, table.get(0, 1).getAsDouble());
  }
}
