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
 *   <li>{@link #exitAt}: stop at a fixed stage (evaluation of one exit).
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
