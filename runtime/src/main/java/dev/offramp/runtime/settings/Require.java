package dev.offramp.runtime.settings;

import java.time.Duration;
import java.util.Objects;

/**
 * The range checks settings records run in their compact constructors, written once so every
 * component words them alike: {@code http.sse-queue: expected >= 1; found 0}. Each throws {@link
 * IllegalArgumentException}, which {@link ConfigNode#invalid} turns into a configuration error.
 */
public final class Require {
  private Require() {}

  /**
   * @param key the dotted key, e.g. {@code http.sse-queue}
   * @throws IllegalArgumentException when {@code value < min}
   */
  public static void atLeast(String key, long value, long min) {
    if (value < min) {
      throw new IllegalArgumentException(key + ": expected >= " + min + "; found " + value);
    }
  }

  /**
   * @param key the dotted key, e.g. {@code mqtt.keep-alive}
   * @throws IllegalArgumentException when {@code d} is zero or negative
   */
  public static void positive(String key, Duration d) {
    Objects.requireNonNull(d, key);
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(key + ": expected a positive duration; found " + d);
    }
  }
}
