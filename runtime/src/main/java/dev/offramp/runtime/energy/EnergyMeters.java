package dev.offramp.runtime.energy;

import dev.offramp.runtime.energy.EnergySettings.Board;
import dev.offramp.runtime.energy.EnergySettings.Meter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds and opens the energy meter. {@link #open} probes, in order of preference, Jetson INA3221
 * (hwmon on JetPack 5/6, the {@code ina3221x} iio driver on JetPack 4), the Raspberry Pi 5 PMIC,
 * Intel RAPL, and falls back to the MAC model; each probe that fails logs why. Stateless.
 */
public final class EnergyMeters {
  private static final System.Logger LOG = System.getLogger(EnergyMeters.class.getName());

  /**
   * Input rails in order of preference: Orin module input, AGX Orin system input, Nano/TX input.
   */
  static final List<String> INPUT_RAILS =
      List.of("VDD_IN", "VIN_SYS_5V0", "POM_5V_IN", "VDD_5V_IN");

  private static final Pattern PMIC_LINE =
      Pattern.compile("^\\s*(\\S+)_([AV])\\s+(?:current|volt)\\(\\d+\\)=([0-9.eE+-]+)[AV]\\s*$");
  private static final Duration PMIC_MIN_INTERVAL = Duration.ofMillis(500);

  private EnergyMeters() {}

  /**
   * Opens the meter the settings ask for; {@code auto} takes the first that works.
   *
   * @throws IllegalStateException when a forced meter is not available, with the reason
   */
  public static EnergyMeter open(EnergySettings s) {
    Map<Meter, String> reasons = new LinkedHashMap<>();
    List<Meter> order =
        s.meter() == Meter.AUTO
            ? List.of(Meter.INA3221, Meter.PMIC, Meter.RAPL, Meter.MODEL)
            : List.of(s.meter());
    for (Meter m : order) {
      try {
        EnergyMeter meter =
            switch (m) {
              case INA3221 -> ina3221(s.root(), s.sampleInterval());
              case PMIC -> pmic(s.pmicCommand(), s.sampleInterval());
              case RAPL -> rapl(s.root(), s.sampleInterval());
              case MODEL -> model(s);
              case AUTO -> throw new IllegalStateException("unreachable");
            };
        LOG.log(
            Level.INFO,
            "energy: using {0}{1}",
            meter.method(),
            reasons.isEmpty() ? "" : " (not available: " + reasons + ")");
        return meter;
      } catch (RuntimeException e) {
        reasons.put(m, e.getMessage());
        if (s.meter() != Meter.AUTO) {
          throw new IllegalStateException(
              "energy.meter is "
                  + m.name().toLowerCase(Locale.ROOT)
                  + " but it is not available: "
                  + e.getMessage()
                  + "; set energy.meter to auto to fall back",
              e);
        }
        LOG.log(Level.DEBUG, "energy: {0} not available: {1}", m, e.getMessage());
      }
    }
    throw new IllegalStateException("energy: no meter available: " + reasons);
  }

  /** The model meter with the configured or board-default coefficients. */
  public static ModelMeter model(EnergySettings s) {
    Board board = s.board() == Board.AUTO ? detectBoard(s.root()) : s.board();
    return new ModelMeter(
        s.modelIdleWatts().orElse(board.idleWatts()),
        s.modelJoulesPerMac().orElse(board.joulesPerMac()));
  }

  /** The board class named by {@code <root>/proc/device-tree/model}; generic when unknown. */
  public static Board detectBoard(Path root) {
    Path model = root.resolve("proc/device-tree/model");
    String text;
    try {
      text = Files.readString(model, StandardCharsets.UTF_8).replace("\0", "").strip();
    } catch (IOException e) {
      return Board.GENERIC;
    }
    if (text.contains("Orin")) {
      return Board.JETSON_ORIN;
    } else if (text.contains("Jetson Nano")) {
      return Board.JETSON_NANO;
    } else if (text.contains("Raspberry Pi 5")) {
      return Board.RASPBERRY_PI_5;
    } else if (text.contains("Raspberry Pi 4")) {
      return Board.RASPBERRY_PI_4;
    }
    return Board.GENERIC;
  }

  // ------------------------------------------------------------------ INA3221

  /** A rail: its label and how to read its power in watts. */
  record Rail(String label, java.util.function.DoubleSupplier watts) {}

  /** Finds the input rail under {@code root} (hwmon first, then JetPack 4 iio). */
  static Rail findInputRail(Path root) {
    List<Rail> rails = new ArrayList<>();
    for (Path hwmon : glob(root.resolve("sys/bus/i2c/drivers/ina3221"), "*", "hwmon", "hwmon*")) {
      for (Path label : glob(hwmon, "in*_label")) {
        String name = String.valueOf(label.getFileName());
        String n = name.substring(2, name.indexOf('_'));
        Path in = hwmon.resolve("in" + n + "_input");
        Path curr = hwmon.resolve("curr" + n + "_input");
        rails.add(
            new Rail(
                readText(label), () -> readNumber(in) * readNumber(curr) / 1e6)); // mV × mA = µW
      }
    }
    for (Path iio : glob(root.resolve("sys/bus/i2c/drivers/ina3221x"), "*", "iio:device*")) {
      for (Path label : glob(iio, "rail_name_*")) {
        String n = String.valueOf(label.getFileName()).substring("rail_name_".length());
        Path power = iio.resolve("in_power" + n + "_input");
        rails.add(new Rail(readText(label), () -> readNumber(power) / 1e3)); // mW
      }
    }
    if (rails.isEmpty()) {
      throw new IllegalStateException(
          "no INA3221 rails under "
              + root.resolve("sys/bus/i2c/drivers")
              + " (ina3221 hwmon or ina3221x iio)");
    }
    for (String want : INPUT_RAILS) {
      for (Rail r : rails) {
        if (r.label().equals(want)) {
          return r;
        }
      }
    }
    throw new IllegalStateException(
        "INA3221 rails found but none is an input rail; expected one of "
            + INPUT_RAILS
            + ", found "
            + rails.stream().map(Rail::label).toList());
  }

  static SampledMeter ina3221(Path root, Duration interval) {
    Rail rail = findInputRail(root);
    rail.watts().getAsDouble(); // fail now, with the file named, if unreadable
    return new PowerGaugeMeter("ina3221:" + rail.label(), rail.watts()).start(interval);
  }

  // ------------------------------------------------------------------ PMIC

  /** Sum of V·A over the rails of {@code vcgencmd pmic_read_adc} output. */
  static double parsePmicWatts(String output) {
    Map<String, Double> amps = new LinkedHashMap<>();
    Map<String, Double> volts = new LinkedHashMap<>();
    for (String line : output.split("\n")) {
      Matcher m = PMIC_LINE.matcher(line);
      if (m.matches()) {
        (m.group(2).equals("A") ? amps : volts).put(m.group(1), Double.parseDouble(m.group(3)));
      }
    }
    double w = 0;
    int rails = 0;
    for (Map.Entry<String, Double> a : amps.entrySet()) {
      Double v = volts.get(a.getKey());
      if (v != null) {
        w += v * a.getValue();
        rails++;
      }
    }
    if (rails == 0) {
      throw new IllegalStateException(
          "PMIC output has no rail with both a *_V volt(N)=...V and a *_A current(N)=...A line");
    }
    return w;
  }

  static String runCommand(List<String> command) {
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(5, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IllegalStateException(String.join(" ", command) + " did not finish in 5 s");
      }
      if (p.exitValue() != 0) {
        throw new IllegalStateException(
            String.join(" ", command) + " exited with " + p.exitValue() + ": " + out.strip());
      }
      return out;
    } catch (IOException e) {
      throw new IllegalStateException(
          "cannot run " + String.join(" ", command) + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted running " + String.join(" ", command), e);
    }
  }

  /** PMIC sampling is a process start; it runs at most every 500 ms whatever the interval. */
  static SampledMeter pmic(List<String> command, Duration interval) {
    parsePmicWatts(runCommand(command));
    Duration every = interval.compareTo(PMIC_MIN_INTERVAL) < 0 ? PMIC_MIN_INTERVAL : interval;
    return new PowerGaugeMeter("pmic:rails", () -> parsePmicWatts(runCommand(command)))
        .start(every);
  }

  // ------------------------------------------------------------------ RAPL

  /** Package-0 energy counter, wrap-safe. */
  static final class RaplCounter {
    private final Path energy;
    private final double rangeMicroJoules;
    private long last = -1;
    private double total;

    RaplCounter(Path zone) {
      this.energy = zone.resolve("energy_uj");
      this.rangeMicroJoules = readNumber(zone.resolve("max_energy_range_uj"));
      readNumber(energy);
    }

    synchronized double joules() {
      long now = (long) readNumber(energy);
      if (last >= 0) {
        long d = now - last;
        total +=
            d >= 0 ? d : d + rangeMicroJoules + 1; // the counter wrapped at max_energy_range_uj
      }
      last = now;
      return total / 1e6;
    }
  }

  static SampledMeter rapl(Path root, Duration interval) {
    RaplCounter c = new RaplCounter(root.resolve("sys/class/powercap/intel-rapl:0"));
    return new SampledMeter("rapl:package") {
      @Override
      double readCumulativeJoules(long nanos) {
        return c.joules();
      }
    }.start(interval);
  }

  // ------------------------------------------------------------------ files

  private static List<Path> glob(Path dir, String... levels) {
    List<Path> current = List.of(dir);
    for (String level : levels) {
      List<Path> next = new ArrayList<>();
      for (Path d : current) {
        if (!Files.isDirectory(d)) {
          continue;
        }
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(d, level)) {
          for (Path p : ds) {
            next.add(p);
          }
        } catch (IOException e) {
          LOG.log(Level.DEBUG, "energy: cannot list {0}: {1}", d, e.toString());
        }
      }
      next.sort(null);
      current = next;
    }
    return current;
  }

  static String readText(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8).strip();
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot read "
              + file
              + " ("
              + e.getClass().getSimpleName()
              + "; on recent kernels some"
              + " power files are readable by root only)",
          e);
    }
  }

  static double readNumber(Path file) {
    String t = readText(file);
    try {
      return Double.parseDouble(t);
    } catch (NumberFormatException e) {
      throw new IllegalStateException("expected a number in " + file + "; found '" + t + "'", e);
    }
  }
}
