package dev.offramp.benchmarks.method;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class CurveTest {
  @Test
  void interpolatesLinearlyBetweenPointsInAnyInputOrder() {
    Curve c = new Curve(new double[] {0.6, 0.2, 1.0}, new double[] {80, 60, 90});
    assertEquals(70, c.at(0.4), 1e-12);
    assertEquals(85, c.at(0.8), 1e-12);
    assertEquals(80, c.at(0.6), 1e-12);
  }

  @Test
  void isFlatBeyondTheEndsAndAveragesEqualX() {
    Curve c = new Curve(new double[] {0.5, 0.5, 1.0}, new double[] {70, 80, 90});
    assertEquals(75, c.at(0.1), 1e-12);
    assertEquals(90, c.at(2.0), 1e-12);
    assertEquals(0.5, c.minX());
    assertEquals(1.0, c.maxX());
  }

  @Test
  void refusesMismatchedOrEmptyPoints() {
    assertThrows(IllegalArgumentException.class, () -> new Curve(new double[0], new double[0]));
    assertThrows(
        IllegalArgumentException.class, () -> new Curve(new double[] {1}, new double[] {1, 2}));
  }
}
