package dev.offramp.benchmarks.energy;

import java.util.Locale;

/**
 * Least-squares fit of the energy model {@code E = P_idle·t + e_mac·MACs} (no intercept) to
 * measured windows. Solves the 2×2 normal equations in double.
 *
 * @param idleWatts fitted {@code P_idle}, W
 * @param joulesPerMac fitted {@code e_mac}, J per multiply-accumulate
 * @param rSquared 1 − SS_res/SS_tot of the measured energies (uncentred: the model has no
 *     intercept)
 * @param windows measurements used
 */
public record EnergyFit(double idleWatts, double joulesPerMac, double rSquared, int windows) {

  /**
   * Fits the model.
   *
   * @param seconds window durations
   * @param macs MACs executed in each window
   * @param joules energy measured in each window
   * @throws IllegalArgumentException when the lengths differ, there are fewer than two windows, or
   *     time and MACs are collinear (every window ran at the same MAC rate: include idle windows)
   */
  public static EnergyFit fit(double[] seconds, double[] macs, double[] joules) {
    int n = seconds.length;
    if (macs.length != n || joules.length != n || n < 2) {
      throw new IllegalArgumentException(
          "energy fit: expected ≥ 2 windows with time, MACs and energy each, found "
              + n
              + ", "
              + macs.length
              + ", "
              + joules.length);
    }
    double stt = 0;
    double stm = 0;
    double smm = 0;
    double ste = 0;
    double sme = 0;
    double see = 0;
    for (int i = 0; i < n; i++) {
      stt += seconds[i] * seconds[i];
      stm += seconds[i] * macs[i];
      smm += macs[i] * macs[i];
      ste += seconds[i] * joules[i];
      sme += macs[i] * joules[i];
      see += joules[i] * joules[i];
    }
    double det = stt * smm - stm * stm;
    if (!(Math.abs(det) > 1e-12 * stt * smm)) {
      throw new IllegalArgumentException(
          "energy fit: time and MACs are collinear across the windows; include idle windows and"
              + " windows of different MAC rates");
    }
    double p = (ste * smm - sme * stm) / det;
    double e = (stt * sme - stm * ste) / det;
    double res = 0;
    for (int i = 0; i < n; i++) {
      double r = joules[i] - p * seconds[i] - e * macs[i];
      res += r * r;
    }
    return new EnergyFit(p, e, see == 0 ? 1 : 1 - res / see, n);
  }

  /** The runtime's config snippet for these coefficients. */
  public String yaml(String comment) {
    return String.format(
        Locale.ROOT,
        "# %s%nenergy:%n  meter: model%n  model-idle-watts: %.4f%n  model-joules-per-mac: %.4e%n",
        comment,
        idleWatts,
        joulesPerMac);
  }
}
