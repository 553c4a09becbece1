package dev.offramp.exporter.calibrate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.offramp.cascade.exit.ExitRule;
import dev.offramp.cascade.exit.ThresholdTable;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SurvivorsTest {
  private static float[][] randomProbs(Random r, int n, int classes) {
    float[][] p = new float[n][classes];
    for (int i = 0; i < n; i++) {
      double sum = 0;
      double[] e = new double[classes];
      for (int c = 0; c < classes; c++) {
        e[c] = Math.exp(3 * r.nextGaussian());
        sum += e[c];
      }
      for (int c = 0; c < classes; c++) {
        p[i][c] = (float) (e[c] / sum);
      }
    }
    return p;
  }

  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {1, 2, 3})
  void survivorsOfExitKAreExactlyTheSamplesNoEarlierCalibratedExitTakes(long seed) {
    Random r = new Random(seed);
    int n = 2000;
    int classes = 5;
    List<float[][]> exits = new ArrayList<>();
    for (int k = 0; k < 3; k++) {
      exits.add(randomProbs(r, n, classes));
    }
    int[] labels = new int[n];
    for (int i = 0; i < n; i++) {
      labels[i] = r.nextDouble() < 0.7 ? ExitRule.argmax(exits.get(0)[i]) : r.nextInt(classes);
    }
    double[] reference = {0.8, 0.75, 0.7, 0.9, 0.6};
    ThresholdTable t =
        Calibration.calibrate(
            exits,
            labels,
            reference,
            new Calibration.Settings(0.02, MarginMode.ADDITIVE, 20, true));
    int total = 0;
    for (int k = 0; k < 3; k++) {
      boolean[] reach = Calibration.survivors(exits, t, k, n);
      for (int i = 0; i < n; i++) {
        float[][] stage = new float[4][];
        for (int j = 0; j < 3; j++) {
          stage[j] = exits.get(j)[i];
        }
        stage[3] = exits.get(0)[i];
        boolean expected = ExitRule.decide(stage, t) >= k;
        assertEquals(expected, reach[i], "sample " + i + " at exit " + k);
        total += reach[i] ? 0 : 1;
      }
    }
    assertTrue(total > 0, "some samples exit early, so the check is not vacuous");
  }
}
