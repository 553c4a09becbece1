package dev.offramp.runtime.budget;

/**
 * An exponentially weighted least-squares line {@code y = a + b·x}: recent samples weigh most, so
 * the fit follows a change of load within a few dozen frames. When the samples do not spread in
 * {@code x} enough to fit a slope (every frame ran the same stages), it falls back to a line
 * through the origin. Not thread-safe.
 */
final class DecayingFit {
  private final double keep;
  private double sw;
  private double sx;
  private double sy;
  private double sxx;
  private double sxy;

  /**
   * @param weight the newest sample's share of the total weight, in (0, 1]; 0.05 ≈ the last 20
   */
  DecayingFit(double weight) {
    if (!(weight > 0 && weight <= 1)) {
      throw new IllegalArgumentException("weight: expected (0, 1]; found " + weight);
    }
    this.keep = 1 - weight;
  }

  void add(double x, double y) {
    sw = sw * keep + 1;
    sx = sx * keep + x;
    sy = sy * keep + y;
    sxx = sxx * keep + x * x;
    sxy = sxy * keep + x * y;
  }

  boolean empty() {
    return sw == 0;
  }

  /** Weighted mean of y. */
  double meanY() {
    return sw == 0 ? 0 : sy / sw;
  }

  /** The fitted y at {@code x}, never below zero. */
  double predict(double x) {
    if (sw == 0) {
      return 0;
    }
    double mx = sx / sw;
    double my = sy / sw;
    double varX = sxx / sw - mx * mx;
    double cov = sxy / sw - mx * my;
    if (varX > 1e-6 * mx * mx && cov > 0) {
      double b = cov / varX;
      double a = my - b * mx;
      return Math.max(0, a + b * x);
    }
    return mx > 0 ? Math.max(0, my * x / mx) : my;
  }
}
