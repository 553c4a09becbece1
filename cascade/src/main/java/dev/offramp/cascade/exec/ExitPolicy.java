package dev.offramp.cascade.exec;

import dev.offramp.cascade.bundle.Profile;
import dev.offramp.cascade.exit.ExitRule;
import dev.offramp.cascade.exit.ThresholdTable;

/**
 * When a classification stops. Immutable; build one per profile and reuse it per frame.
 *
 * <ul>
 *   <li>{@link #profile}: the exit rule with a profile's thresholds (normal operation);
 *   <li>{@link #neverExit}: run every stage (verification, overhead benchmarks);
 *   <li>{@link #exitAt}: stop at a fixed stage (evaluation of one exit);
 *   <li>{@link #withholding}: another policy, except that some exits may not answer some classes
 *       (the runtime's live audit tightens an exit that disagrees with the backbone).
 * </ul>
 */
public sealed interface ExitPolicy {
  /** Whether to stop after {@code exit} given its probabilities. Never asked for the last stage. */
  boolean stopsAt(int exit, float[] probs);

  /** Exit where the profile's calibrated thresholds say so. */
  static ExitPolicy profile(Profile profile) {
    return new Thresholds(profile.thresholds());
  }

  static ExitPolicy neverExit() {
    return NeverExit.INSTANCE;
  }

  static ExitPolicy exitAt(int stage) {
    if (stage < 0) {
      throw new IllegalArgumentException("stage: expected >= 0, found " + stage);
    }
    return new AtStage(stage);
  }

  /**
   * {@code base}, except that exit k never answers class c where {@code withheld[k][c]}: such a
   * frame runs on to the next stage. Rows or columns beyond the array withhold nothing.
   */
  static ExitPolicy withholding(ExitPolicy base, boolean[][] withheld) {
    return new Withholding(base, withheld);
  }

  /** A policy with some (exit, class) answers taken away; see {@link #withholding}. */
  final class Withholding implements ExitPolicy {
    private final ExitPolicy base;
    private final boolean[][] withheld;

    private Withholding(ExitPolicy base, boolean[][] withheld) {
      this.base = java.util.Objects.requireNonNull(base, "base");
      this.withheld = new boolean[withheld.length][];
      for (int k = 0; k < withheld.length; k++) {
        this.withheld[k] = withheld[k].clone();
      }
    }

    @Override
    public boolean stopsAt(int exit, float[] probs) {
      if (!base.stopsAt(exit, probs)) {
        return false;
      }
      if (exit >= withheld.length) {
        return true;
      }
      int c = ExitRule.argmax(probs);
      return c >= withheld[exit].length || !withheld[exit][c];
    }
  }

  /** The exit rule over a threshold table. */
  record Thresholds(ThresholdTable table) implements ExitPolicy {
    @Override
    public boolean stopsAt(int exit, float[] probs) {
      return ExitRule.exits(probs, table, exit);
    }
  }

  /** Runs every stage. */
  enum NeverExit implements ExitPolicy {
    INSTANCE;

    @Override
    public boolean stopsAt(int exit, float[] probs) {
      return false;
    }
  }

  /** Stops at one stage whatever the confidence. */
  record AtStage(int stage) implements ExitPolicy {
    @Override
    public boolean stopsAt(int exit, float[] probs) {
      return exit == stage;
    }
  }
}
