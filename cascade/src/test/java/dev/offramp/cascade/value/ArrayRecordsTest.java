package dev.offramp.cascade.value;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.offramp.cascade.bundle.ColorMode;
import dev.offramp.cascade.bundle.Expected;
import dev.offramp.cascade.bundle.InputSpec;
import org.junit.jupiter.api.Test;

class ArrayRecordsTest {
  private static InputSpec gray(double mean) {
    return new InputSpec(
        "x", new long[] {1, 1, 2, 2}, ColorMode.GRAY, 0.5, new double[] {mean}, new double[] {1});
  }

  @Test
  void recordsWithArraysCompareAndHashByContent() {
    assertEquals(gray(0.25), gray(0.25));
    assertEquals(gray(0.25).hashCode(), gray(0.25).hashCode());
    assertNotEquals(gray(0.25), gray(0.5));
    double nan = Double.NaN;
    Expected a = new Expected(0.5, 1, new double[] {1, 0}, new double[][] {{nan, 0.5}});
    Expected b = new Expected(0.5, 1, new double[] {1, 0}, new double[][] {{nan, 0.5}});
    assertEquals(a, b, "NaN cells of equal tables are equal");
    assertNotEquals(a, new Expected(0.5, 1, new double[] {1, 0}));
  }

  @Test
  void toStringWritesArraysOut() {
    assertEquals(
        "InputSpec[tensor=x, shape=[1, 1, 2, 2], color=GRAY, scale=0.5, mean=[0.25], std=[1.0]]",
        gray(0.25).toString());
    assertEquals(
        "Expected[accuracy=0.5, macsFraction=1.0, exitRates=[1.0, 0.0], agreement=[[NaN, 0.5]]]",
        new Expected(0.5, 1, new double[] {1, 0}, new double[][] {{Double.NaN, 0.5}}).toString());
  }
}
