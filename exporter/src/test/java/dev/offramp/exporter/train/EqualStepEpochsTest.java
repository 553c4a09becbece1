package dev.offramp.exporter.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EqualStepEpochsTest {
  @ParameterizedTest(name = "{0} epochs, {2} of {1} samples -> {3} epochs")
  @CsvSource({
    "8, 54000, 54000, 8", // every sample: unchanged
    "8, 54000, 27000, 16", // half the samples: twice the epochs, same steps
    "8, 54000, 10800, 40", // a fifth: five times
    "8, 54000, 1000, 64", // very few survivors: capped at 8x
    "3, 10, 7, 5" // rounds up: never fewer steps than the full-data branch
  })
  void boostedBranchGetsTheStepsOfAFullDataBranch(int epochs, int n, int active, int expected) {
    assertEquals(expected, BranchTraining.equalStepEpochs(epochs, n, active));
  }
}
