package dev.offramp.cascade.bundle;

import dev.offramp.cascade.value.ArrayRecords;

/**
 * What a profile achieved on the calibration split when the bundle was built.
 *
 * @param accuracy fraction correct, 0..1
 * @param macsFraction mean MACs (heads included) over the backbone's, 0..1 and beyond
 * @param exitRates fraction of samples answered at each stage; sums to 1
 * @param agreement per exit and class ({@code [exit][class]}): of the calibration samples that exit
 *     k answered as class c, the fraction the full backbone also called c; NaN where class c never
 *     exits at k. An empty array when the bundle predates this field (optional in the manifest as
 *     {@code expected.agreement})
 */
public record Expected(
    double accuracy, double macsFraction, double[] exitRates, double[][] agreement) {

  /** Without an agreement table (bundles built before it existed). */
  public Expected(double accuracy, double macsFraction, double[] exitRates) {
    this(accuracy, macsFraction, exitRates, new double[0][]);
  }

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
    agreement = copy(agreement);
    for (int k = 0; k < agreement.length; k++) {
      for (int c = 0; c < agreement[k].length; c++) {
        double a = agreement[k][c];
        if (!Double.isNaN(a) && !(a >= 0 && a <= 1)) {
          throw new BundleException(
              "agreement["
                  + k
                  + "]["
                  + c
                  + "]: expected a fraction in [0,1] or null, found "
                  + a
                  + "; rebuild the bundle or remove expected.agreement");
        }
      }
    }
  }

  private static double[][] copy(double[][] table) {
    double[][] out = new double[table.length][];
    for (int k = 0; k < table.length; k++) {
      out[k] = table[k].clone();
    }
    return out;
  }

  @Override
  public double[][] agreement() {
    return copy(agreement);
  }

  /** Whether the bundle carries the expected agreement per exit and class. */
  public boolean hasAgreement() {
    return agreement.length > 0;
  }

  /**
   * The expected agreement of exit {@code exit} for class {@code cls}, or NaN when unknown (no
   * table, or the class never exits there).
   */
  public double agreement(int exit, int cls) {
    if (exit < 0 || exit >= agreement.length || cls < 0 || cls >= agreement[exit].length) {
      return Double.NaN;
    }
    return agreement[exit][cls];
  }

  @Override
  public double[] exitRates() {
    return exitRates.clone();
  }

  @Override
  public boolean equals(Object o) {
    return ArrayRecords.equal(this, o);
  }

  @Override
  public int hashCode() {
    return ArrayRecords.hash(this);
  }

  @Override
  public String toString() {
    return ArrayRecords.show(this);
  }
}
