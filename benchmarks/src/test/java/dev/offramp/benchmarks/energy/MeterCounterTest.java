package dev.offramp.benchmarks.energy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The benchmarks read energy through the runtime's meters, on recorded sysfs trees here. */
class MeterCounterTest {
  @TempDir Path root;

  @Test
  void findsNoMeterWhereNothingIsReadable() {
    assertTrue(MeterCounter.probe(root, Duration.ofMillis(10)).isEmpty());
  }

  @Test
  void readsRaplThroughTheRuntimeMeterAndCountsOnlyWhenTheCounterMoves() throws Exception {
    Path zone = Files.createDirectories(root.resolve("sys/class/powercap/intel-rapl:0"));
    Files.writeString(zone.resolve("max_energy_range_uj"), "262143328850\n");
    Files.writeString(zone.resolve("energy_uj"), "1000000\n");
    try (MeterCounter m = MeterCounter.probe(root, Duration.ofMillis(10)).orElseThrow()) {
      assertEquals("rapl:package", m.method());
      double before = m.joules();
      Thread.sleep(100);
      assertEquals(before, m.joules(), 1e-9, "a counter that did not move spent nothing");
      Files.writeString(zone.resolve("energy_uj"), "3000000\n"); // +2 J
      // The meter samples on its own thread and attributes energy by interpolating between
      // samples (extrapolating past the newest), so only the direction is certain here: the
      // amount is the runtime meter's business and is tested there.
      double spent = 0;
      for (int tries = 0; tries < 200 && spent == 0; tries++) {
        Thread.sleep(10);
        spent = m.joules() - before;
      }
      assertTrue(spent > 0, "the counter moved by 2 J, but the meter counted " + spent);
    }
  }
}
