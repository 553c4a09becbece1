package dev.offramp.runtime.energy;

import dev.offramp.cascade.text.EnumNames;
import dev.offramp.cascade.value.Required;
import dev.offramp.runtime.settings.ConfigException;
import dev.offramp.runtime.settings.ConfigNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Settings of energy attribution, parsed from the {@code energy:} section of the daemon config.
 * Immutable; the compact constructor validates. {@link #defaults()} holds every default; {@link
 * #parse(ConfigNode)} reads the section over them. The withers serve tests and tools, not parsing.
 *
 * <table>
 *   <caption>Config keys</caption>
 *   <tr><th>key</th><th>default</th><th>meaning</th></tr>
 *   <tr><td>{@code meter}</td><td>{@code auto}</td>
 *       <td>{@code auto} probes ina3221, pmic, rapl, then falls back to model; or force one of
 *       {@code ina3221}, {@code pmic}, {@code rapl}, {@code model} (a forced meter that is not
 *       available is a start-up error)</td></tr>
 *   <tr><td>{@code root}</td><td>{@code /}</td>
 *       <td>file-system root under which {@code sys/...} and {@code proc/...} are read (tests point
 *       it at a recorded tree)</td></tr>
 *   <tr><td>{@code pmic-command}</td><td>{@code [vcgencmd, pmic_read_adc]}</td>
 *       <td>command printing the Raspberry Pi 5 PMIC ADC readings</td></tr>
 *   <tr><td>{@code sample-interval}</td><td>100ms</td>
 *       <td>measuring meters sample power on a background thread at this period and integrate;
 *       a frame gets the energy integrated over its interval</td></tr>
 *   <tr><td>{@code board}</td><td>{@code auto}</td>
 *       <td>board class whose default model coefficients apply: {@code auto} (from
 *       {@code proc/device-tree/model}), {@code jetson-orin}, {@code jetson-nano},
 *       {@code raspberry-pi-5}, {@code raspberry-pi-4}, {@code generic}</td></tr>
 *   <tr><td>{@code model-idle-watts}</td><td>per board</td>
 *       <td>{@code P_idle} of the model {@code E = P_idle·t + e_mac·MACs}</td></tr>
 *   <tr><td>{@code model-joules-per-mac}</td><td>per board</td>
 *       <td>{@code e_mac} of the model, joules per multiply-accumulate</td></tr>
 * </table>
 *
 * <p>Default model coefficients per board class are in {@link Board}; they are order-of-magnitude
 * estimates for CPU inference through ONNX Runtime and should be replaced by a calibration run on
 * the actual board.
 *
 * @param meter {@code meter}
 * @param root {@code root}
 * @param pmicCommand {@code pmic-command}
 * @param sampleInterval {@code sample-interval}
 * @param board {@code board}
 * @param modelIdleWatts {@code model-idle-watts}; empty takes the board default
 * @param modelJoulesPerMac {@code model-joules-per-mac}; empty takes the board default
 */
public record EnergySettings(
    Meter meter,
    Path root,
    List<String> pmicCommand,
    Duration sampleInterval,
    Board board,
    Optional<Double> modelIdleWatts,
    Optional<Double> modelJoulesPerMac) {

  /** Which meter to use. Config values are the lower-case names. */
  public enum Meter {
    AUTO,
    INA3221,
    PMIC,
    RAPL,
    MODEL
  }

  /**
   * Board classes and their default model coefficients. Idle power is the whole board at rest as
   * reported by public measurements (Orin Nano dev kit about 5 W at VDD_IN in its default power
   * mode, Jetson Nano about 1.5 W, Raspberry Pi 5 about 2.7 W, Pi 4 about 2.7 W); energy per MAC is
   * the marginal cost of CPU inference (roughly 20 to 80 pJ on Cortex-A cores). Estimates, not
   * measurements of this code.
   */
  public enum Board {
    AUTO(Double.NaN, Double.NaN),
    JETSON_ORIN(5.0, 20e-12),
    JETSON_NANO(1.5, 60e-12),
    RASPBERRY_PI_5(2.7, 30e-12),
    RASPBERRY_PI_4(2.7, 80e-12),
    GENERIC(10.0, 10e-12);

    private final double idleWatts;
    private final double joulesPerMac;

    Board(double idleWatts, double joulesPerMac) {
      this.idleWatts = idleWatts;
      this.joulesPerMac = joulesPerMac;
    }

    /** Default {@code P_idle}; NaN for {@link #AUTO}, which must be resolved first. */
    public double idleWatts() {
      return idleWatts;
    }

    /** Default {@code e_mac}; NaN for {@link #AUTO}, which must be resolved first. */
    public double joulesPerMac() {
      return joulesPerMac;
    }

    /** The config spelling, e.g. {@code raspberry-pi-5}. */
    public String configName() {
      return EnumNames.lowerName(this);
    }
  }

  public EnergySettings {
    Required.nonNull(
        "meter, root, sampleInterval, board, modelIdleWatts, modelJoulesPerMac",
        meter,
        root,
        sampleInterval,
        board,
        modelIdleWatts,
        modelJoulesPerMac);
    pmicCommand = List.copyOf(pmicCommand);
    if (pmicCommand.isEmpty()) {
      throw new IllegalArgumentException(
          "energy.pmic-command: expected a command such as [vcgencmd, pmic_read_adc]; found []");
    }
    if (sampleInterval.toMillis() < 1 || sampleInterval.toSeconds() > 60) {
      throw new IllegalArgumentException(
          "energy.sample-interval: expected 1ms..60s; found " + sampleInterval);
    }
    modelIdleWatts.ifPresent(
        w -> {
          if (!(w >= 0) || w.isInfinite()) {
            throw new IllegalArgumentException(
                "energy.model-idle-watts: expected >= 0; found " + w);
          }
        });
    modelJoulesPerMac.ifPresent(
        j -> {
          if (!(j >= 0) || j.isInfinite()) {
            throw new IllegalArgumentException(
                "energy.model-joules-per-mac: expected >= 0 (e.g. 3e-11); found " + j);
          }
        });
  }

  /** Auto-probe, root {@code /}, {@code vcgencmd pmic_read_adc}, 100 ms, board auto. */
  public static EnergySettings defaults() {
    return new EnergySettings(
        Meter.AUTO,
        Path.of(java.io.File.separator),
        List.of("vcgencmd", "pmic_read_adc"),
        Duration.ofMillis(100),
        Board.AUTO,
        Optional.empty(),
        Optional.empty());
  }

  /**
   * Parses the {@code energy} section; absent keys keep {@link #defaults()}.
   *
   * @throws ConfigException naming the key, what was expected and what was found
   */
  public static EnergySettings parse(ConfigNode n) {
    EnergySettings d = defaults();
    Meter meter = n.enumValue("meter", Meter.class, d.meter());
    Path root = n.path("root", d.root());
    List<String> pmicCommand = n.stringList("pmic-command", d.pmicCommand());
    Duration sampleInterval = n.duration("sample-interval", d.sampleInterval());
    Board board = n.enumValue("board", Board.class, d.board());
    Optional<Double> idleWatts = optionalNumber(n, "model-idle-watts", 1e4);
    Optional<Double> joulesPerMac = optionalNumber(n, "model-joules-per-mac", 1);
    try {
      return new EnergySettings(
          meter, root, pmicCommand, sampleInterval, board, idleWatts, joulesPerMac);
    } catch (IllegalArgumentException e) {
      throw n.invalid(e);
    }
  }

  private static Optional<Double> optionalNumber(ConfigNode n, String key, double max) {
    return n.has(key) ? Optional.of(n.number(key, 0, 0, max)) : Optional.empty();
  }

  public EnergySettings withMeter(Meter v) {
    return new EnergySettings(
        v, root, pmicCommand, sampleInterval, board, modelIdleWatts, modelJoulesPerMac);
  }

  public EnergySettings withRoot(Path v) {
    return new EnergySettings(
        meter, v, pmicCommand, sampleInterval, board, modelIdleWatts, modelJoulesPerMac);
  }

  public EnergySettings withPmicCommand(List<String> v) {
    return new EnergySettings(
        meter, root, v, sampleInterval, board, modelIdleWatts, modelJoulesPerMac);
  }

  public EnergySettings withSampleInterval(Duration v) {
    return new EnergySettings(
        meter, root, pmicCommand, v, board, modelIdleWatts, modelJoulesPerMac);
  }

  public EnergySettings withBoard(Board v) {
    return new EnergySettings(
        meter, root, pmicCommand, sampleInterval, v, modelIdleWatts, modelJoulesPerMac);
  }

  public EnergySettings withModelIdleWatts(double v) {
    return new EnergySettings(
        meter, root, pmicCommand, sampleInterval, board, Optional.of(v), modelJoulesPerMac);
  }

  public EnergySettings withModelJoulesPerMac(double v) {
    return new EnergySettings(
        meter, root, pmicCommand, sampleInterval, board, modelIdleWatts, Optional.of(v));
  }
}
