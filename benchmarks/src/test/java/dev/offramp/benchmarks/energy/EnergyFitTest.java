package dev.offramp.benchmarks.energy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class EnergyFitTest {
  @Test
  void recoversIdlePowerAndEnergyPerMacFromExactWindows() {
    double p = 4.2;
    double e = 35e-12;
    double[] t = {2, 2, 2, 2.1};
    double[] macs = {0, 4e10, 9e10, 2e11};
    double[] j = new double[4];
    for (int i = 0; i < 4; i++) {
      j[i] = p * t[i] + e * macs[i];
    }
    EnergyFit f = EnergyFit.fit(t, macs, j);
    assertEquals(p, f.idleWatts(), 1e-9);
    assertEquals(e, f.joulesPerMac(), 1e-20);
    assertEquals(1.0, f.rSquared(), 1e-12);
    assertTrue(f.yaml("x").contains("model-joules-per-mac: 3.5000e-11"));
  }

  @Test
  void refusesWindowsThatCannotSeparateIdleFromCompute() {
    assertThrows(
        IllegalArgumentException.class,
        () -> EnergyFit.fit(new double[] {1, 2}, new double[] {10, 20}, new double[] {5, 10}));
  }
}
