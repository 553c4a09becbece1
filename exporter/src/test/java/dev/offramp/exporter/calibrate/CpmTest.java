package dev.offramp.exporter.calibrate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CpmTest {
  /** Two classes; p = (conf, 1-conf) predicts class 0 when conf > 0.5. */
  private static float[] p0(double conf) {
    return new float[] {(float) conf, (float) (1 - conf)};
  }

  private static boolean[] all(int n) {
    boolean[] r = new boolean[n];
    Arrays.fill(r, true);
    return r;
  }

  // Class-0 predictions by confidence: 0.9 ok, 0.8 ok, 0.8 wrong, 0.7 ok, 0.6 wrong.
  private static final float[][] PROBS = {p0(0.9), p0(0.8), p0(0.8), p0(0.7), p0(0.6)};
  private static final int[] LABELS = {0, 0, 1, 0, 1};

  @ParameterizedTest(name = "target {0}, support {1} -> theta {2}")
  @CsvSource({
    // precision at t=0.9: 1/1; t=0.8 (tie group of two): 2/3; t=0.7: 3/4; t=0.6: 3/5
    "1.0, 1, 0.9",
    "0.75, 1, 0.7",
    "0.6, 1, 0.6",
    "0.7, 2, 0.7",
    "0.6, 5, 0.6",
    "0.99, 2, NaN", // only t=0.9 reaches precision 1, with 1 sample < support 2
    "0.5, 6, NaN" // never 6 samples
  })
  void thresholdIsSmallestConfidenceMeetingTargetAndSupport(
      double target, int support, double expected) {
    double[] reference = {target, Double.NaN};
    double[] theta =
        Cpm.thresholds(PROBS, LABELS, all(5), reference, 0.0, MarginMode.ADDITIVE, support);
    assertEquals(expected, theta[0], 1e-6);
    assertTrue(Double.isNaN(theta[1]), "class 1 has no reference precision: never exits");
  }

  @Test
  void tiedConfidencesEnterTogether() {
    // Target 0.7: at t=0.8 the tie group gives 2/3 < 0.7 even though one of the two is correct;
    // the only sets meeting 0.7 are t=0.9 (1/1) and t=0.7 (3/4): smallest is 0.7.
    double[] theta =
        Cpm.thresholds(PROBS, LABELS, all(5), new double[] {0.7, 0.7}, 0, MarginMode.ADDITIVE, 1);
    assertEquals(0.7, theta[0], 1e-6);
  }

  @Test
  void classTheBackboneNeverPredictsNeverExits() {
    float[][] backbone = {p0(0.9), p0(0.8), p0(0.7)}; // always class 0
    double[] ref = Cpm.backbonePrecision(backbone, new int[] {0, 1, 0}, 2);
    assertEquals(2.0 / 3, ref[0], 1e-12);
    assertTrue(Double.isNaN(ref[1]));
    float[][] branch = {p0(0.1), p0(0.2), p0(0.3)}; // branch predicts class 1, confidently
    double[] theta =
        Cpm.thresholds(branch, new int[] {1, 1, 1}, all(3), ref, 0.5, MarginMode.ADDITIVE, 1);
    assertTrue(Double.isNaN(theta[1]));
  }

  @Test
  void marginLowersTheTargetAdditivelyOrMultiplicatively() {
    // reference 0.8: additive m=0.05 -> 0.75 (theta 0.7); multiplicative m=0.05 -> 0.76 (0.9)
    double[] ref = {0.8, Double.NaN};
    assertEquals(
        0.7, Cpm.thresholds(PROBS, LABELS, all(5), ref, 0.05, MarginMode.ADDITIVE, 1)[0], 1e-6);
    assertEquals(
        0.9,
        Cpm.thresholds(PROBS, LABELS, all(5), ref, 0.05, MarginMode.MULTIPLICATIVE, 1)[0],
        1e-6);
  }

  @Test
  void samplesNotReachingTheExitAreIgnored() {
    boolean[] reach = {true, true, false, true, true}; // the wrong 0.8 sample exited earlier
    double[] theta =
        Cpm.thresholds(
            PROBS, LABELS, reach, new double[] {1.0, Double.NaN}, 0, MarginMode.ADDITIVE, 3);
    assertEquals(0.7, theta[0], 1e-6); // 0.9, 0.8, 0.7 all correct
  }

  @Test
  void tooFewCalibrationSamplesIsAClearError() {
    CalibrationException e =
        assertThrows(
            CalibrationException.class,
            () ->
                Calibration.calibrate(
                    List.<float[][]>of(PROBS),
                    LABELS,
                    new double[] {1, 1},
                    new Calibration.Settings(0.01, MarginMode.ADDITIVE, 20, true)));
    assertTrue(e.getMessage().contains("5 samples"), e.getMessage());
    assertTrue(e.getMessage().contains("--min-support"), e.getMessage());
  }

  @Test
  void calibratedTableKeepsNullForClassesThatNeverExit() {
    var t =
        Calibration.calibrate(
            List.<float[][]>of(PROBS),
            LABELS,
            new double[] {0.75, Double.NaN},
            new Calibration.Settings(0, MarginMode.ADDITIVE, 1, true));
    assertArrayEquals(new double[] {0.7, Double.NaN}, round(t.toArray()[0]), 1e-6);
  }

  private static double[] round(double[] a) {
    return a;
  }
}
