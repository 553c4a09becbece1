package dev.offramp.benchmarks.method;

import java.util.Arrays;

/**
 * A piecewise-linear curve through points (x, y), as a function of x: points sorted by x, equal x
 * averaged, linear between neighbours, flat beyond the ends. Used both ways: accuracy as a function
 * of MACs, and MACs as a function of accuracy (the points swapped). A non-monotone run of points
 * stays non-monotone: the curve goes through every point. Immutable.
 */
public final class Curve {
  private final double[] xs;
  private final double[] ys;

  /** A curve through the points; at least one. */
  public Curve(double[] x, double[] y) {
    if (x.length != y.length || x.length == 0) {
      throw new IllegalArgumentException(
          "curve: expected as many x as y values (at least one), found "
              + x.length
              + " and "
              + y.length);
    }
    Integer[] order = new Integer[x.length];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    Arrays.sort(order, (a, b) -> Double.compare(x[a], x[b]));
    double[] cx = new double[x.length];
    double[] cy = new double[x.length];
    int m = 0;
    int i = 0;
    while (i < order.length) {
      double xv = x[order[i]];
      double sum = 0;
      int count = 0;
      while (i < order.length && x[order[i]] == xv) {
        sum += y[order[i]];
        count++;
        i++;
      }
      cx[m] = xv;
      cy[m] = sum / count;
      m++;
    }
    xs = Arrays.copyOf(cx, m);
    ys = Arrays.copyOf(cy, m);
  }

  /** Smallest x. */
  public double minX() {
    return xs[0];
  }

  /** Largest x. */
  public double maxX() {
    return xs[xs.length - 1];
  }

  /** y at {@code x}. */
  public double at(double x) {
    if (x <= xs[0]) {
      return ys[0];
    }
    int last = xs.length - 1;
    if (x >= xs[last]) {
      return ys[last];
    }
    int hi = Arrays.binarySearch(xs, x);
    if (hi >= 0) {
      return ys[hi];
    }
    hi = -hi - 1;
    int lo = hi - 1;
    double t = (x - xs[lo]) / (xs[hi] - xs[lo]);
    return ys[lo] + t * (ys[hi] - ys[lo]);
  }
}
