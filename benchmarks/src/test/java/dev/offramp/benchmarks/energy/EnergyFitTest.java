package dev.offramp.benchmarks.energy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EnergyFitTest {
  @TempDir Path dir;

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

  @Test
  void raplUnfoldsTheCounterWrapAndIsAbsentWhenUnreadable() throws Exception {
    assertTrue(Rapl.probe(dir).isEmpty());
    Path zone = Files.createDirectories(dir.resolve(Rapl.ZONE));
    Files.writeString(zone.resolve("max_energy_range_uj"), "1000000\n");
    Files.writeString(zone.resolve("energy_uj"), "999000\n");
    Rapl r = Rapl.probe(dir).orElseThrow();
    assertEquals(0, r.joules(), 1e-12);
    Files.writeString(zone.resolve("energy_uj"), "1000\n"); // wrapped: 1000 + 1 + 1000 µJ
    assertEquals(0.002001, r.joules(), 1e-12);
    assertEquals("rapl:package", r.method());
  }
}
