package dev.offramp.runtime.energy;

import java.util.function.DoubleSupplier;

/**
 * A {@link SampledMeter} over an instantaneous power reading (INA3221, PMIC): energy is the
 * trapezoidal integral of the samples. Sampler thread only calls {@link #readCumulativeJoules}.
 */
final class PowerGaugeMeter extends SampledMeter {
  private final DoubleSupplier wattsNow;
  private long lastNanos;
  private double lastWatts = Double.NaN;
  private double integral;

  PowerGaugeMeter(String method, DoubleSupplier wattsNow) {
    super(method);
    this.wattsNow = wattsNow;
  }

  @Override
  synchronized double readCumulativeJoules(long nanos) {
    double w = wattsNow.getAsDouble();
    if (!Double.isNaN(lastWatts) && nanos > lastNanos) {
      integral += (w + lastWatts) / 2 * ((nanos - lastNanos) / 1e9);
    }
    lastWatts = w;
    lastNanos = nanos;
    return integral;
  }
}
