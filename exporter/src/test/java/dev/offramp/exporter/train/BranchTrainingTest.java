package dev.offramp.exporter.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.offramp.exporter.calibrate.Calibration;
import dev.offramp.exporter.calibrate.MarginMode;
import dev.offramp.exporter.features.CutSpec;
import dev.offramp.exporter.features.SplitFeatures;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BranchTrainingTest {
  /** Two cuts of 2 channels pooled to 1×1; the label is readable from the first channel. */
  private static SplitFeatures features(int n, long seed) {
    Random r = new Random(seed);
    List<CutSpec> cuts = List.of(new CutSpec("a", 2, 2, 2, 1), new CutSpec("b", 2, 2, 2, 1));
    int[] labels = new int[n];
    float[][] backbone = new float[n][2];
    List<float[]> pooled = new ArrayList<>();
    pooled.add(new float[n * 2]);
    pooled.add(new float[n * 2]);
    for (int i = 0; i < n; i++) {
      labels[i] = i % 2;
      backbone[i][labels[i]] = 0.95f;
      backbone[i][1 - labels[i]] = 0.05f;
      for (float[] p : pooled) {
        p[2 * i] = (labels[i] == 1 ? 2f : -2f) + (float) r.nextGaussian();
        p[2 * i + 1] = (float) r.nextGaussian();
      }
    }
    return new SplitFeatures(cuts, pooled, backbone, labels);
  }

  @Test
  void everyValidSampleReachesTheFirstExit() {
    HeadShape shape = new HeadShape(2, 2, 2, 1, 4, 1, 2);
    SplitFeatures valid = features(40, 2);
    BranchTraining.Settings s =
        new BranchTraining.Settings(
            BranchTraining.Scheme.BOOSTED,
            false,
            true,
            new TrainSettings(1, 16, 0.01, 7, 0),
            new Calibration.Settings(0.0, MarginMode.ADDITIVE, 5, false));
    try (BranchTraining.Outcome o =
        BranchTraining.run(List.of(shape, shape), features(64, 1), valid, s)) {
      assertEquals(40, o.branches().get(0).validReaching());
      assertTrue(o.branches().get(1).validReaching() <= 40);
    }
  }
}
