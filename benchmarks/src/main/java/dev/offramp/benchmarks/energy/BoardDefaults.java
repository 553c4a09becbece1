package dev.offramp.benchmarks.energy;

import java.util.Locale;

/**
 * Documented default coefficients of the energy model {@code E = P_idle·t + e_mac·MACs} per board
 * class, as the runtime's {@code EnergySettings.Board} defines them (branch runtime-core; keep the
 * two in step until the runtime's table is on main and this one is replaced by it). Estimates from
 * public board measurements, not measurements of this code.
 */
public enum BoardDefaults {
  JETSON_ORIN(5.0, 20e-12),
  JETSON_NANO(1.5, 60e-12),
  RASPBERRY_PI_5(2.7, 30e-12),
  RASPBERRY_PI_4(2.7, 80e-12),
  GENERIC(10.0, 10e-12);

  private final double idleWatts;
  private final double joulesPerMac;

  BoardDefaults(double idleWatts, double joulesPerMac) {
    this.idleWatts = idleWatts;
    this.joulesPerMac = joulesPerMac;
  }

  public double idleWatts() {
    return idleWatts;
  }

  public double joulesPerMac() {
    return joulesPerMac;
  }

  /** Config spelling, e.g. {@code raspberry-pi-5}. */
  public String configName() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }
}
