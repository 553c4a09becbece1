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

  @ParameterizedTest(name = "seed {0}, max drop {1}")
  @CsvSource({"1, 1.0", "2, 0.5", "3, 2.0", "4, 0.0"})
  void chosenMarginHasTheLargestSavingOfEveryGridMarginWithinTheDrop(long seed, double maxDrop) {
    Data d = data(seed);
    ProfileTarget t = new ProfileTarget(maxDrop, Optional.empty());
    TargetSearch.Choice c = search(d, t);
    assertTrue(c.metOnCalibration(), () -> "chosen " + c.metrics());
    assertTrue(c.metrics().accuracyDropPoints() <= maxDrop + 1e-9);
    assertEquals(
        "target-drop" + (maxDrop == 0 ? "0.0" : String.valueOf(maxDrop)), c.metrics().name());
    // Brute force over the same grid: nothing within the drop saves more.
    for (double m = TargetSearch.GRID_FROM; m <= TargetSearch.GRID_TO + 1e-9; m += 0.0025) {
      ProfileMetrics pm = at(d, Math.round(m * 1e6) / 1e6);
      if (pm.accuracyDropPoints() <= maxDrop + 1e-9) {
        assertTrue(
            pm.computeReduction() <= c.metrics().computeReduction() + 1e-12,
            "margin " + m + " saves more within the drop: " + pm);
      }
    }
    // The chosen thresholds are the ones CPM gives at the chosen margin.
    ProfileMetrics again = at(d, c.margin());
    assertEquals(again.accuracy(), c.metrics().accuracy(), 1e-12);
    assertEquals(again.meanMacs(), c.metrics().meanMacs(), 1e-9);
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
    assertTrue(c.metrics().computeReduction() >= 0.3);
    for (ProfileMetrics pm : everyGridMargin(d)) {
      if (pm.computeReduction() >= 0.3 && pm.accuracyDropPoints() <= 5) {
        assertTrue(pm.accuracyDropPoints() >= c.metrics().accuracyDropPoints() - 1e-9);
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
    double most =
        everyGridMargin(d).stream()
            .mapToDouble(ProfileMetrics::computeReduction)
            .max()
            .orElseThrow();
    assertTrue(most < 0.95, "the floor is out of reach on this data");
    assertEquals(most, c.metrics().computeReduction(), 1e-12);
  }

  /** The metrics at every margin of the search grid, in steps of 0.0025. */
  private static List<ProfileMetrics> everyGridMargin(Data d) {
    List<ProfileMetrics> out = new ArrayList<>();
    for (double m = TargetSearch.GRID_FROM; m <= TargetSearch.GRID_TO + 1e-9; m += 0.0025) {
      out.add(at(d, Math.round(m * 1e6) / 1e6));
    }
    return out;
  }
}
