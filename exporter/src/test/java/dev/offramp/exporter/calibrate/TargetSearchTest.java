package dev.offramp.exporter.calibrate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.offramp.cascade.bundle.ProfileTarget;
import dev.offramp.cascade.exit.ThresholdTable;
import dev.offramp.exporter.evaluate.CascadeMetrics;
import dev.offramp.exporter.evaluate.ProfileMetrics;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TargetSearchTest {
  private static final long[] MACS = {0, 300, 650, 1000};
  private static final Calibration.Settings BASE =
      new Calibration.Settings(0, MarginMode.ADDITIVE, 10, true);

  /** Two exits and a backbone that is right 90% of the time; exits are noisier copies of it. */
  private record Data(List<float[][]> exits, float[][][] stages, int[] labels, double[] ref) {}

  private static Data data(long seed) {
    Random r = new Random(seed);
    int n = 3000;
    int classes = 4;
    int[] labels = new int[n];
    float[][][] stages = new float[n][3][];
    for (int i = 0; i < n; i++) {
      labels[i] = r.nextInt(classes);
      int bb = r.nextDouble() < 0.9 ? labels[i] : r.nextInt(classes);
      for (int s = 0; s < 3; s++) {
        double noise = s == 2 ? 0.3 : 1.5 - 0.5 * s;
        double[] z = new double[classes];
        double sum = 0;
        for (int c = 0; c < classes; c++) {
          z[c] = Math.exp((c == bb ? 2.5 : 0) + noise * r.nextGaussian());
          sum += z[c];
        }
        stages[i][s] = new float[classes];
        for (int c = 0; c < classes; c++) {
          stages[i][s][c] = (float) (z[c] / sum);
        }
      }
    }
    List<float[][]> exits = new ArrayList<>();
    for (int k = 0; k < 2; k++) {
      float[][] p = new float[n][];
      for (int i = 0; i < n; i++) {
        p[i] = stages[i][k];
      }
      exits.add(p);
    }
    float[][] bbProbs = new float[n][];
    for (int i = 0; i < n; i++) {
      bbProbs[i] = stages[i][2];
    }
    return new Data(exits, stages, labels, Cpm.backbonePrecision(bbProbs, labels, classes));
  }

  private static ProfileMetrics at(Data d, double m) {
    ThresholdTable t =
        Calibration.calibrate(
            d.exits(),
            d.labels(),
            d.ref(),
            new Calibration.Settings(m, MarginMode.ADDITIVE, 10, true));
    return CascadeMetrics.compute("x", m, d.stages(), d.labels(), t, MACS, 1000);
  }

  private static TargetSearch.Choice search(Data d, ProfileTarget t) {
    return TargetSearch.search(d.exits(), d.stages(), d.labels(), d.ref(), BASE, MACS, 1000, t);
  }

  private static OutOfFold folds(Data d) {
    return new OutOfFold(d.exits(), d.stages(), d.labels(), d.ref().length, 10, MACS, 1000);
  }

  private static OutOfFold.Estimate estimate(OutOfFold f, double m) {
    return f.at(new Calibration.Settings(m, MarginMode.ADDITIVE, 10, true));
  }

  @ParameterizedTest(name = "seed {0}, max drop {1}")
  @CsvSource({"1, 1.0", "2, 0.5", "3, 2.0", "4, 0.0"})
  void chosenMarginHasTheLargestEstimatedSavingOfEveryMarginWhoseBoundIsWithinTheDrop(
      long seed, double maxDrop) {
    Data d = data(seed);
    ProfileTarget t = new ProfileTarget(maxDrop, Optional.empty());
    TargetSearch.Choice c = search(d, t);
    assertTrue(c.metOnCalibration(), () -> "chosen " + c.estimate());
    assertTrue(c.estimate().dropBound(TargetSearch.CONFIDENCE_Z) <= maxDrop + 1e-9);
    assertEquals(
        "target-drop" + (maxDrop == 0 ? "0.0" : String.valueOf(maxDrop)), c.metrics().name());
    // Brute force over the same grid: no margin whose bound is within the drop saves more.
    OutOfFold f = folds(d);
    for (double m : gridMargins()) {
      OutOfFold.Estimate e = estimate(f, m);
      if (e.dropBound(TargetSearch.CONFIDENCE_Z) <= maxDrop + 1e-9) {
        assertTrue(
            e.saving() <= c.estimate().saving() + 1e-12,
            "margin " + m + " saves more within the drop: " + e);
      }
    }
    assertEquals(estimate(f, c.margin()), c.estimate());
    // The chosen thresholds are the ones CPM gives at the chosen margin on the whole split.
    ProfileMetrics again = at(d, c.margin());
    assertEquals(again.accuracy(), c.metrics().accuracy(), 1e-12);
    assertEquals(again.meanMacs(), c.metrics().meanMacs(), 1e-9);
  }

  @Test
  void theOutOfFoldDropOfAMarginIsLargerThanItsDropOnTheImagesThatSetItsThresholds() {
    // What the out-of-fold estimate corrects: CPM's thresholds are scored optimistically on the
    // images they were fitted to. Pooled over margins near 0, where exits take many images.
    double inSample = 0;
    double outOfFold = 0;
    for (long seed = 1; seed <= 3; seed++) {
      Data d = data(seed);
      OutOfFold f = folds(d);
      for (double m = -0.04; m <= 0.04 + 1e-9; m += 0.01) {
        inSample += at(d, m).accuracyDropPoints();
        outOfFold += estimate(f, m).dropPoints();
      }
    }
    assertTrue(outOfFold > inSample, "out of fold " + outOfFold + ", in sample " + inSample);
  }

  @Test
  void onFreshImagesTheChosenDropStaysWithinTheTargetMoreOftenThanTheInSampleChoice() {
    // The promise of --max-drop: calibrate on one draw, score on another from the same source.
    ProfileTarget t = new ProfileTarget(1.0, Optional.empty());
    int conservativeOver = 0;
    int inSampleOver = 0;
    int runs = 8;
    for (long seed = 11; seed < 11 + runs; seed++) {
      Data cal = data(seed);
      Data fresh = data(seed + 1000);
      TargetSearch.Choice c = search(cal, t);
      if (onFresh(fresh, c.thresholds()).accuracyDropPoints() > 1.0) {
        conservativeOver++;
      }
      // The first release's rule: the largest in-sample saving whose in-sample drop is within it.
      ProfileMetrics naive = null;
      for (double m : gridMargins()) {
        ProfileMetrics pm = at(cal, m);
        if (pm.accuracyDropPoints() <= 1.0
            && (naive == null || pm.computeReduction() > naive.computeReduction())) {
          naive = pm;
        }
      }
      ThresholdTable naiveTable =
          Calibration.calibrate(
              cal.exits(),
              cal.labels(),
              cal.ref(),
              new Calibration.Settings(naive.margin(), MarginMode.ADDITIVE, 10, true));
      if (onFresh(fresh, naiveTable).accuracyDropPoints() > 1.0) {
        inSampleOver++;
      }
    }
    assertTrue(
        conservativeOver < inSampleOver && conservativeOver <= 1,
        "over the target on fresh images: conservative "
            + conservativeOver
            + ", in-sample "
            + inSampleOver
            + " of "
            + runs);
  }

  private static ProfileMetrics onFresh(Data fresh, ThresholdTable table) {
    return CascadeMetrics.compute("fresh", 0, fresh.stages(), fresh.labels(), table, MACS, 1000);
  }

  @Test
  void aZeroDropTargetCanNeedANegativeMargin() {
    Data d = data(5);
    assertTrue(at(d, 0).accuracyDropPoints() > 0, "at m = 0 the cascade already loses accuracy");
    TargetSearch.Choice c = search(d, new ProfileTarget(0.0, Optional.empty()));
    assertTrue(c.metOnCalibration());
    assertTrue(c.margin() < 0, "chosen margin " + c.margin());
  }

  @Test
  void aSavingFloorPicksTheMostAccurateMarginThatReachesIt() {
    Data d = data(6);
    ProfileTarget t = new ProfileTarget(5.0, Optional.of(0.3));
    TargetSearch.Choice c = search(d, t);
    assertTrue(c.metOnCalibration());
    assertTrue(c.estimate().saving() >= 0.3);
    OutOfFold f = folds(d);
    for (double m : gridMargins()) {
      OutOfFold.Estimate e = estimate(f, m);
      if (e.saving() >= 0.3 && e.dropBound(TargetSearch.CONFIDENCE_Z) <= 5) {
        assertTrue(e.dropPoints() >= c.estimate().dropPoints() - 1e-9, "margin " + m);
      }
    }
  }

  @Test
  void anUnreachableTargetKeepsTheClosestMarginAndSaysSo() {
    Data d = data(7);
    ProfileTarget t = new ProfileTarget(0.0, Optional.of(0.95));
    TargetSearch.Choice c = search(d, t);
    assertFalse(c.metOnCalibration());
    assertTrue(TargetSearch.describe(c, t).contains("NOT met"));
    OutOfFold f = folds(d);
    double most =
        gridMargins().stream().mapToDouble(m -> estimate(f, m).saving()).max().orElseThrow();
    assertTrue(most < 0.95, "the floor is out of reach on this data");
    assertEquals(most, c.estimate().saving(), 1e-12);
  }

  @Test
  void aSplitTooSmallToCutIntoFoldsIsRefusedWithWhatItNeeds() {
    Data d = data(8);
    int n = 11;
    List<float[][]> exits = new ArrayList<>();
    for (float[][] p : d.exits()) {
      exits.add(java.util.Arrays.copyOf(p, n));
    }
    CalibrationException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            CalibrationException.class,
            () ->
                TargetSearch.search(
                    exits,
                    java.util.Arrays.copyOf(d.stages(), n),
                    java.util.Arrays.copyOf(d.labels(), n),
                    d.ref(),
                    BASE,
                    MACS,
                    1000,
                    new ProfileTarget(1.0, Optional.empty())));
    assertTrue(e.getMessage().contains("11 samples"), e::getMessage);
    assertTrue(e.getMessage().contains("expected at least 13"), e::getMessage);
  }

  private static List<Double> gridMargins() {
    List<Double> out = new ArrayList<>();
    int steps = (int) Math.round((TargetSearch.GRID_TO - TargetSearch.GRID_FROM) / 0.0025);
    for (int i = 0; i <= steps; i++) {
      out.add(Math.round((TargetSearch.GRID_FROM + i * 0.0025) * 1e6) / 1e6);
    }
    return out;
  }
}
