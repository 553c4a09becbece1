package dev.offramp.runtime.control;

import dev.offramp.runtime.pipeline.Switches;

/**
 * The daemon's run-time switches as transports see them, shared by MQTT ({@code set/<name>}) and
 * HTTP: the pipeline's {@link Switches} plus budget mode. Thread-safe: the pipeline reads,
 * transports write.
 */
public interface RuntimeControl extends Switches {
  /** Whether the budget controller chooses the profile now (see {@link ControlHub}). */
  default boolean budgetOn() {
    return false;
  }

  /**
   * Turns budget mode on or off ({@code on}/{@code off}).
   *
   * @throws IllegalArgumentException when the value is neither or no budget is configured
   */
  default void setBudget(String value) {
    throw new IllegalArgumentException(
        "budget: expected a configured budget; found none: set budget.target-fps,"
            + " budget.max-watts or budget.max-latency-p95-ms in the config and restart");
  }
}
