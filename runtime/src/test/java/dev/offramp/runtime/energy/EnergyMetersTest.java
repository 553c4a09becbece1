package dev.offramp.runtime.energy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.offramp.runtime.energy.EnergySettings.Board;
import dev.offramp.runtime.energy.EnergySettings.Meter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EnergyMetersTest {
  private static final long SECOND = 1_000_000_000L;

  static Path recording(String name) {
    try {
      return Path.of(EnergyMetersTest.class.getResource("/energy/" + name).toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Copies recordings into one writable root, as a board with several meters would look. */
  static Path tree(Path into, String... names) throws IOException {
    for (String n : names) {
      Path from = recording(n);
      try (Stream<Path> s = Files.walk(from)) {
        for (Path p : s.toList()) {
          Path to = into.resolve(from.relativize(p).toString());
          if (Files.isDirectory(p)) {
            Files.createDirectories(to);
          } else {
            Files.copy(p, to);
          }
        }
      }
    }
    return into;
  }

  static EnergySettings settings(Path root, String... pmic) {
    return EnergySettings.defaults()
        .withRoot(root)
        .withPmicCommand(pmic.length == 0 ? List.of("false") : List.of(pmic));
  }

  @ParameterizedTest
  @CsvSource({
    "orin-nano-jp6, VDD_IN, 5.371072",
    "jetson-nano-jp4, POM_5V_IN, 2.316",
  })
  void findsTheInputRailAndReadsItsPower(String recording, String label, double watts) {
    EnergyMeters.Rail rail = EnergyMeters.findInputRail(recording(recording));
    assertEquals(label, rail.label());
    assertEquals(watts, rail.watts().getAsDouble(), 1e-9);
  }

  @Test
  void measuringMeterAttributesPowerTimesTheFramesInterval() {
    EnergyMeters.Rail rail = EnergyMeters.findInputRail(recording("orin-nano-jp6"));
    PowerGaugeMeter m = new PowerGaugeMeter("ina3221:VDD_IN", rail.watts());
    m.sample(0);
    m.sample(SECOND / 10);
    m.sample(2 * SECOND / 10);
    assertEquals(5.371072, m.watts(), 1e-9);
    // 20 ms inside the sampled span, and 30 ms past the newest sample (extrapolated).
    assertEquals(5.371072 * 0.020, m.frameJoules(SECOND / 20, SECOND / 20 + SECOND / 50, 0), 1e-9);
    assertEquals(
        5.371072 * 0.030, m.frameJoules(SECOND / 5, SECOND / 5 + 3 * SECOND / 100, 0), 1e-9);
  }

  @Test
  void parsesPmicOutputSummingVoltsTimesAmpsOverRailsWithBoth() throws IOException {
    String out = Files.readString(recording("rpi5/pmic_read_adc.txt"));
    assertEquals(1.56252598646106, EnergyMeters.parsePmicWatts(out), 1e-9);
  }

  @Test
  void pmicOutputWithoutRailsIsAClearError() {
    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> EnergyMeters.parsePmicWatts("error=1\n"));
    assertTrue(e.getMessage().contains("_A current"), e.getMessage());
  }

  @Test
  void raplCounterIsWrapSafe(@TempDir Path dir) throws IOException {
    Path zone = tree(dir, "rapl").resolve("sys/class/powercap/intel-rapl:0");
    Files.writeString(zone.resolve("energy_uj"), "262143328800\n");
    EnergyMeters.RaplCounter c = new EnergyMeters.RaplCounter(zone);
    assertEquals(0, c.joules());
    Files.writeString(zone.resolve("energy_uj"), "49\n");
    // 50 µJ to the top of the range, the wrap step, then 49 more.
    assertEquals(100e-6, c.joules(), 1e-12);
    Files.writeString(zone.resolve("energy_uj"), "1000049\n");
    assertEquals(1.0001, c.joules(), 1e-12);
  }

  @Test
  void autoProbePrefersIna3221OverPmicOverRapl(@TempDir Path dir) throws IOException {
    Path root = tree(dir, "orin-nano-jp6", "rapl");
    String pmicOut = recording("rpi5/pmic_read_adc.txt").toString();
    try (EnergyMeter m = EnergyMeters.open(settings(root, "cat", pmicOut))) {
      assertEquals("ina3221:VDD_IN", m.method());
    }
    Path noIna = tree(dir.resolve("b"), "rapl");
    try (EnergyMeter m = EnergyMeters.open(settings(noIna, "cat", pmicOut))) {
      assertEquals("pmic:rails", m.method());
      assertEquals(
          1.56252598646106,
          EnergyMeters.parsePmicWatts(EnergyMeters.runCommand(List.of("cat", pmicOut))),
          1e-9);
    }
    try (EnergyMeter m = EnergyMeters.open(settings(noIna))) {
      assertEquals("rapl:package", m.method());
    }
  }

  @Test
  void fallsBackToTheModelWithTheBoardsDefaultCoefficients(@TempDir Path dir) throws IOException {
    Path root = tree(dir, "jetson-nano-jp4");
    Files.delete(root.resolve("sys/bus/i2c/drivers/ina3221x/6-0040/iio:device0/rail_name_0"));
    try (EnergyMeter m = EnergyMeters.open(settings(root))) {
      assertEquals("model:macs", m.method());
      ModelMeter model = (ModelMeter) m;
      assertEquals(Board.JETSON_NANO.idleWatts(), model.idleWatts());
      assertEquals(Board.JETSON_NANO.joulesPerMac(), model.joulesPerMac());
      // 10 ms at 1.5 W plus 1e9 MACs at 60 pJ.
      assertEquals(0.015 + 0.06, m.frameJoules(0, SECOND / 100, 1_000_000_000L), 1e-12);
    }
  }

  @Test
  void modelCoefficientsFromSettingsOverrideTheBoard(@TempDir Path dir) {
    ModelMeter m =
        EnergyMeters.model(settings(dir).withModelIdleWatts(2.0).withModelJoulesPerMac(1e-11));
    assertEquals(2.0 * 0.5 + 1e-11 * 1e8, m.frameJoules(0, SECOND / 2, 100_000_000L), 1e-12);
    assertEquals(Board.GENERIC, EnergyMeters.detectBoard(dir));
    assertEquals(Board.RASPBERRY_PI_5, EnergyMeters.detectBoard(recording("rpi5")));
    assertEquals(Board.JETSON_ORIN, EnergyMeters.detectBoard(recording("orin-nano-jp6")));
  }

  @Test
  void railsWithoutAnInputRailNameWhatWasFound() {
    IllegalStateException e =
        assertThrows(
            IllegalStateException.class,
            () -> EnergyMeters.findInputRail(recording("no-input-rail")));
    assertTrue(e.getMessage().contains("VDD_CPU_GPU_CV"), e.getMessage());
    assertTrue(e.getMessage().contains("VDD_IN"), e.getMessage());
  }

  @Test
  void forcedMeterThatIsUnavailableFailsWithTheReason(@TempDir Path dir) {
    IllegalStateException e =
        assertThrows(
            IllegalStateException.class,
            () -> EnergyMeters.open(settings(dir).withMeter(Meter.RAPL)));
    assertTrue(e.getMessage().contains("energy.meter is rapl"), e.getMessage());
    assertTrue(e.getMessage().contains("max_energy_range_uj"), e.getMessage());
  }

  @Test
  void unreadableRaplFileFallsBackToTheModel(@TempDir Path dir) throws IOException {
    Path root = tree(dir, "rapl");
    Path energy = root.resolve("sys/class/powercap/intel-rapl:0/energy_uj");
    Files.setPosixFilePermissions(energy, PosixFilePermissions.fromString("---------"));
    boolean unreadable = !Files.isReadable(energy); // root reads anything
    if (unreadable) {
      try (EnergyMeter m = EnergyMeters.open(settings(root))) {
        assertEquals("model:macs", m.method());
      }
      assertThrows(UncheckedIOException.class, () -> EnergyMeters.readNumber(energy));
    } else {
      Files.delete(energy);
      try (EnergyMeter m = EnergyMeters.open(settings(root))) {
        assertEquals("model:macs", m.method());
      }
      UncheckedIOException e =
          assertThrows(UncheckedIOException.class, () -> EnergyMeters.readNumber(energy));
      assertTrue(e.getMessage().contains("energy_uj"), e.getMessage());
    }
  }
}
