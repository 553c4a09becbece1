package dev.offramp.cascade.bundle;

import java.util.Arrays;

/**
 * What a profile achieved on the calibration split when the bundle was built.
 *
 * @param accuracy fraction correct, 0..1
 * @param macsFraction mean MACs (heads included) over the backbone's, 0..1 and beyond
 * @param exitRates fraction of samples answered at each stage; sums to 1
 */
public record Expected(double accuracy, double macsFraction, double[] exitRates) {
  public Expected {
    if (!(accuracy >= 0 && accuracy <= 1)) {
      throw new BundleException("accuracy: expected a fraction in [0,1], found " + accuracy);
    }
    if (!(macsFraction >= 0) || Double.isInfinite(macsFraction)) {
      throw new BundleException("macs_fraction: expected a fraction >= 0, found " + macsFraction);
    }
    exitRates = exitRates.clone();
    for (double r : exitRates) {
      if (!(r >= 0 && r <= 1)) {
        throw new BundleException("exit_rates: expected fractions in [0,1], found " + r);
      }
    }
  }

  @Override
  public double[] exitRates() {
    return exitRates.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Expected other
        && Double.compare(accuracy, other.accuracy) == 0
        && Double.compare(macsFraction, other.macsFraction) == 0
        && Arrays.equals(exitRates, other.exitRates);
  }

  @Override
  public int hashCode() {
    return 31 * Double.hashCode(accuracy)
        + 17 * Double.hashCode(macsFraction)
        + Arrays.hashCode(exitRates);
  }

  @Override
  public String toString() {
    return "Expected[accuracy="
        + accuracy
        + ", macsFraction="
        + macsFraction
        + ", exitRates="
        + Arrays.toString(exitRates)
        + "]";
  }
}
