package dev.offramp.benchmarks.energy;

import dev.offramp.runtime.energy.EnergyMeter;
import dev.offramp.runtime.energy.EnergyMeters;
import dev.offramp.runtime.energy.EnergySettings;
import dev.offramp.runtime.energy.EnergySettings.Meter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The runtime's measuring meters ({@code dev.offramp.runtime.energy}: Jetson INA3221, Raspberry Pi
 * 5 PMIC, Intel RAPL) as the benchmarks' {@link EnergyCounter}: each {@link #joules()} adds the
 * meter's energy since the previous call, so the benchmark reads the same numbers the daemon
 * publishes, wrap-around and sampling handled by the runtime. The model meter is never used here:
 * the benchmarks measure or say they cannot. Owns the meter (its sampling thread): close it. Not
 * thread-safe.
 */
public final class MeterCounter implements EnergyCounter, AutoCloseable {
  /** The meters tried, in order; the first that opens is used. */
  static final List<Meter> MEASURING = List.of(Meter.INA3221, Meter.PMIC, Meter.RAPL);

  private final EnergyMeter meter;
  private long last;
  private double total;

  private MeterCounter(EnergyMeter meter) {
    this.meter = meter;
    this.last = System.nanoTime();
  }

  /**
   * Opens the first measuring meter readable under {@code root} (a sysfs tree, normally {@code /}).
   *
   * @param sampleInterval how often the meter samples; calls to {@link #joules()} must come within
   *     256 intervals of each other
   */
  public static Optional<MeterCounter> probe(Path root, Duration sampleInterval) {
    EnergySettings base =
        EnergySettings.defaults().withRoot(root).withSampleInterval(sampleInterval);
    boolean hostRoot = root.toAbsolutePath().normalize().getParent() == null;
    for (Meter m : MEASURING) {
      if (m == Meter.PMIC && !hostRoot) {
        continue; // the PMIC is read by a command, not under root: a recorded tree has none
      }
      try {
        return Optional.of(new MeterCounter(EnergyMeters.open(base.withMeter(m))));
      } catch (IllegalStateException notHere) {
        // this meter is absent or unreadable here; EnergyMeters says why at DEBUG
      }
    }
    return Optional.empty();
  }

  @Override
  public String method() {
    return meter.method();
  }

  @Override
  public double joules() {
    long now = System.nanoTime();
    total += meter.frameJoules(last, now, 0);
    last = now;
    return total;
  }

  @Override
  public void close() {
    meter.close();
  }
}
