package dev.offramp.cascade.exit;

import java.util.Arrays;
import java.util.OptionalDouble;

/**
 * Per-exit, per-class confidence thresholds θ[exit][class]. An absent threshold means the class
 * never exits at that exit. Immutable and thread-safe.
 *
 * <p>Absent entries are stored as NaN on purpose: {@code p >= NaN} is false, so the hot path in
 * {@link ExitRule} needs no branch for them. NaN never leaves this class: {@link #get} returns an
 * empty optional and JSON writes {@code null}.
 */
public final class ThresholdTable {
  private final double[][] rows;
  private final int classes;

  private ThresholdTable(double[][] rows, int classes) {
    this.rows = rows;
    this.classes = classes;
  }

  /**
   * A table from rows of thresholds, {@link Double#NaN} marking "never exits".
   *
   * @throws IllegalArgumentException when rows are ragged, empty, or hold values outside [0, 1]
   */
  public static ThresholdTable of(double[][] rows) {
    if (rows.length == 0) {
      throw new IllegalArgumentException("thresholds: expected at least one exit row, found none");
    }
    int classes = rows[0].length;
    if (classes == 0) {
      throw new IllegalArgumentException("thresholds[0]: expected one entry per class, found none");
    }
    double[][] copy = new double[rows.length][];
    for (int k = 0; k < rows.length; k++) {
      if (rows[k].length != classes) {
        throw new IllegalArgumentException(
            "thresholds["
                + k
                + "]: expected "
                + classes
                + " entries (one per class), found "
                + rows[k].length);
      }
      for (int c = 0; c < classes; c++) {
        double t = rows[k][c];
        if (!Double.isNaN(t) && !(t >= 0 && t <= 1)) {
          throw new IllegalArgumentException(
              "thresholds[" + k + "][" + c + "]: expected a value in [0,1] or null, found " + t);
        }
      }
      copy[k] = rows[k].clone();
    }
    return new ThresholdTable(copy, classes);
  }

  /** A table where no class exits anywhere. */
  public static ThresholdTable never(int exits, int classes) {
    double[][] rows = new double[exits][classes];
    for (double[] row : rows) {
      Arrays.fill(row, Double.NaN);
    }
    return of(rows);
  }

  public int exits() {
    return rows.length;
  }

  public int classes() {
    return classes;
  }

  /** θ[exit][cls], or empty when that class never exits at that exit. */
  public OptionalDouble get(int exit, int cls) {
    double t = rows[exit][cls];
    return Double.isNaN(t) ? OptionalDouble.empty() : OptionalDouble.of(t);
  }

  /** Whether a prediction of {@code cls} with {@code confidence} clears its threshold. */
  boolean clears(int exit, int cls, float confidence) {
    return confidence >= rows[exit][cls];
  }

  /** A copy of the rows, NaN marking absent thresholds. */
  public double[][] toArray() {
    double[][] copy = new double[rows.length][];
    for (int k = 0; k < rows.length; k++) {
      copy[k] = rows[k].clone();
    }
    return copy;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ThresholdTable other && Arrays.deepEquals(rows, other.rows);
  }

  @Override
  public int hashCode() {
    return Arrays.deepHashCode(rows);
  }

  @Override
  public String toString() {
    return "ThresholdTable" + Arrays.deepToString(rows);
  }
}
