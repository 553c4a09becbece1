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
}
