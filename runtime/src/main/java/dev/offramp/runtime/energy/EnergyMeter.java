package dev.offramp.runtime.energy;

/**
 * Attributes energy to one frame. Implementations: Jetson INA3221 (hwmon, JetPack 4/5/6), Raspberry
 * Pi 5 PMIC, Intel RAPL, and the MAC model. Called on the pipeline thread only; {@link #close()} is
 * idempotent.
 */
public interface EnergyMeter extends AutoCloseable {
  /**
   * How energy is obtained, e.g. {@code ina3221:VDD_IN}, {@code rapl:package}, {@code model:macs}.
   */
  String method();

  /**
   * Energy in joules attributed to a frame processed between the two {@link System#nanoTime()}
   * instants, which executed {@code macs} multiply-accumulates.
   */
  double frameJoules(long startNanos, long endNanos, long macs);

  /** Latest average power in watts, for metrics; the model meter reports its estimate. */
  double watts();

  @Override
  void close();
}
