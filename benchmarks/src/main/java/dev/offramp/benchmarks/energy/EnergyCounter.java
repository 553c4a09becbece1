package dev.offramp.benchmarks.energy;

/**
 * A monotonic energy counter (e.g. Intel RAPL's {@code energy_uj}), read around each timed call.
 * Not thread-safe.
 */
public interface EnergyCounter {
  /** How the energy is measured, e.g. {@code rapl:package-0}. */
  String method();

  /** Energy counted since an arbitrary origin, in joules; wrap-around already unfolded. */
  double joules();
}
