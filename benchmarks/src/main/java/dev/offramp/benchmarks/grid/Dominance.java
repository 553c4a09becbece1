package dev.offramp.benchmarks.grid;

/**
 * Who wins one configuration, boosted or baseline, on (accuracy, MAC fraction).
 *
 * <p>Definitions. Two values are <em>equal</em> when they differ by at most the tolerance: {@code
 * |Δaccuracy| ≤ accuracyTolerance} and {@code |ΔMAC fraction| ≤ macsTolerance}; otherwise the
 * higher accuracy, and the lower MAC fraction, is <em>better</em>. Scheme A <em>dominates</em> B
 * when A is better-or-equal on both axes and better on at least one. A <em>tie</em> is equal on
 * both axes. <em>Neither</em> is a trade-off: each is better on one axis. The tolerances absorb
 * test-split noise (the accuracy tolerance is a few samples of the evaluated split) so that
 * sub-noise differences are not counted as wins.
 *
 * @param accuracyTolerance on accuracy (0..1)
 * @param macsTolerance on MAC fraction (0..1)
 */
public record Dominance(double accuracyTolerance, double macsTolerance) {
  /** The tolerances the grid uses: 0.2 accuracy points and 0.005 of the backbone's MACs. */
  public static final Dominance DEFAULT = new Dominance(0.002, 0.005);

  public Dominance {
    if (!(accuracyTolerance >= 0) || !(macsTolerance >= 0)) {
      throw new IllegalArgumentException(
          "tolerances must be ≥ 0, found " + accuracyTolerance + ", " + macsTolerance);
    }
  }

  /** A scheme's operating point. */
  public record Point(double accuracy, double macsFraction) {}

  /** The outcome of one comparison. */
  public enum Winner {
    BOOSTED,
    BASELINE,
    TIE,
    NEITHER;

    /** The JSON spelling. */
    public String key() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /** Compares the boosted point with the baseline point. */
  public Winner winner(Point boosted, Point baseline) {
    int acc = compare(boosted.accuracy(), baseline.accuracy(), accuracyTolerance);
    // Fewer MACs is better: compare baseline against boosted.
    int macs = compare(baseline.macsFraction(), boosted.macsFraction(), macsTolerance);
    if (acc == 0 && macs == 0) {
      return Winner.TIE;
    }
    if (acc >= 0 && macs >= 0) {
      return Winner.BOOSTED;
    }
    if (acc <= 0 && macs <= 0) {
      return Winner.BASELINE;
    }
    return Winner.NEITHER;
  }

  /** +1 when a exceeds b by more than tol, −1 when b exceeds a by more than tol, else 0. */
  private static int compare(double a, double b, double tol) {
    double d = a - b;
    // A hair of slack so that differences of exactly the tolerance count as equal despite rounding.
    double eps = tol + 1e-12;
    return d > eps ? 1 : d < -eps ? -1 : 0;
  }
}
