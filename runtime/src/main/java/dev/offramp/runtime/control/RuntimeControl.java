package dev.offramp.runtime.control;

import java.util.List;

/**
 * The daemon's run-time switches, shared by MQTT ({@code set/<name>}) and HTTP. Thread-safe: the
 * pipeline reads, transports write.
 */
public interface RuntimeControl {
  /** Profiles the loaded bundle offers, in manifest order. */
  List<String> profiles();

  String profile();

  /**
   * Switches the exit profile without a restart.
   *
   * @throws IllegalArgumentException naming the allowed profiles when {@code name} is unknown
   */
  void setProfile(String name);

  boolean paused();

  void setPaused(boolean paused);

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
