package dev.offramp.runtime.pipeline;

import java.util.List;

/**
 * The pipeline's run-time switches: the exit profile and pause. Implemented by {@link Pipeline};
 * transports reach them through {@code control.ControlHub}, which validates, applies and tells
 * every transport. Thread-safe.
 */
public interface Switches {
  /** Profiles the running bundle offers, in manifest order. */
  List<String> profiles();

  /** The exit profile in force. */
  String profile();

  /**
   * Switches the exit profile without a restart, from the next frame on.
   *
   * @throws IllegalArgumentException naming the allowed profiles when {@code name} is unknown
   */
  void setProfile(String name);

  /** Whether classification is paused. */
  boolean paused();

  /** Pauses or resumes classification. */
  void setPaused(boolean paused);
}
