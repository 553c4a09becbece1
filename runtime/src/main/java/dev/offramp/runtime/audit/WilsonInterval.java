package dev.offramp.runtime.audit;

/**
 * The Wilson score interval for a binomial proportion: unlike the normal approximation it stays in
 * [0,1] and behaves at 0 or n successes and at small n.
 *
 * @param low lower bound, 0..1
 * @param high upper bound, 0..1
 */
public record WilsonInterval(double low, double high) {
  /** z for a two-sided 95% interval. */
  public static final double Z95 = 1.959963984540054;

  public WilsonInterval {
    if (!(low >= 0 && low <= high && high <= 1)) {
      throw new IllegalArgumentException(
          "expected 0 <= low <= high <= 1, found low " + low + ", high " + high);
    }
  }

  /** The 95% interval for {@code successes} out of {@code n}; [0,1] when {@code n} is 0. */
  public static WilsonInterval of95(long successes, long n) {
    return of(successes, n, Z95);
  }

  /**
   * The interval for {@code successes} out of {@code n} trials at normal quantile {@code z}.
   *
   * @throws IllegalArgumentException when the counts are negative or successes exceed n
   */
  public static WilsonInterval of(long successes, long n, double z) {
    if (n < 0 || successes < 0 || successes > n) {
      throw new IllegalArgumentException(
          "expected 0 <= successes <= n, found successes " + successes + ", n " + n);
    }
    if (n == 0) {
      return new WilsonInterval(0, 1);
    }
    double p = (double) successes / n;
    double z2 = z * z;
    double denominator = 1 + z2 / n;
    double center = (p + z2 / (2.0 * n)) / denominator;
    double half = z / denominator * Math.sqrt(p * (1 - p) / n + z2 / (4.0 * n * n));
    return new WilsonInterval(Math.max(0, center - half), Math.min(1, center + half));
  }
}
