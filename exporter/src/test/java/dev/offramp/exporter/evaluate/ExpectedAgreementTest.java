package dev.offramp.exporter.evaluate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.offramp.cascade.exit.ThresholdTable;
import org.junit.jupiter.api.Test;

class ExpectedAgreementTest {
  private static final double N = Double.NaN;

  @Test
  void agreementIsCountedOnTheSamplesEachExitAnswersPerPredictedClass() {
    ThresholdTable t = ThresholdTable.of(new double[][] {{0.7, N}});
    float[] a = {0.8f, 0.2f};
    float[] b = {0.2f, 0.8f};
    float[] unsure = {0.55f, 0.45f};
    float[][][] probs = {
      {a, a}, // exit 0 says 0, backbone 0
      {a, a},
      {a, b}, // exit 0 says 0, backbone 1
      {b, b}, // class 1 never exits at 0
      {unsure, b} // below the threshold: the backbone answers
    };
    double[][] agreement = ExpectedAgreement.of(probs, t);
    assertEquals(2.0 / 3.0, agreement[0][0], 1e-12);
    assertTrue(Double.isNaN(agreement[0][1]), "a class that never exits has no expectation");
  }
}
