package dev.offramp.runtime.budget;

import dev.offramp.cascade.value.Required;
import dev.offramp.runtime.settings.ConfigNode;
import java.time.Duration;
import java.util.OptionalDouble;

/**
 * The {@code budget} section: any subset of a frame-rate floor, a power ceiling and a p95 latency
 * ceiling. Budget mode is off when none is set.
 *
 * @param targetFps frames per second the pipeline must be able to classify ({@code target-fps})
 * @param maxWatts power ceiling, from the energy meter (the model meter when there is none)
 * @param maxLatencyP95Ms ceiling on the 95th percentile of per-frame processing time (preprocessing
 *     and inference)
 * @param dwell minimum time between two switches ({@code dwell-s})
 * @param hysteresis a more accurate profile than the current one must meet the budget with this
 *     relative margin before the controller moves to it (0 to 0.5)
 * @param interval how often the controller decides
 */
public record BudgetSettings(
    OptionalDouble targetFps,
    OptionalDouble maxWatts,
    OptionalDouble maxLatencyP95Ms,
    Duration dwell,
    double hysteresis,
    Duration interval) {

  public BudgetSettings {
    Required.nonNull(
        "targetFps, maxWatts, maxLatencyP95Ms, dwell, interval",
        targetFps,
        maxWatts,
        maxLatencyP95Ms,
        dwell,
        interval);
    positive("target-fps", targetFps);
    positive("max-watts", maxWatts);
    positive("max-latency-p95-ms", maxLatencyP95Ms);
    if (dwell.isNegative()) {
      throw new IllegalArgumentException(
          "dwell-s: expected seconds >= 0; found " + dwell.toMillis() / 1e3);
    }
    if (!(hysteresis >= 0 && hysteresis <= 0.5)) {
      throw new IllegalArgumentException(
          "hysteresis: expected a fraction in [0, 0.5], e.g. 0.1; found " + hysteresis);
    }
    if (interval.toMillis() < 10) {
      throw new IllegalArgumentException(
          "interval: expected at least 10 ms; found " + interval.toMillis() + " ms");
    }
  }

  private static void positive(String key, OptionalDouble v) {
    if (v.isPresent() && !(v.getAsDouble() > 0 && Double.isFinite(v.getAsDouble()))) {
      throw new IllegalArgumentException(
          key + ": expected a number > 0 (or leave it out); found " + v.getAsDouble());
    }
  }

  /** The defaults: no limit, so budget mode is off and the controller does not run. */
  public static BudgetSettings defaults() {
    return new BudgetSettings(
        OptionalDouble.empty(),
        OptionalDouble.empty(),
        OptionalDouble.empty(),
        Duration.ofSeconds(5),
        0.1,
        Duration.ofMillis(500));
  }

  /** Whether any limit is set. */
  public boolean enabled() {
    return targetFps.isPresent() || maxWatts.isPresent() || maxLatencyP95Ms.isPresent();
  }

  /**
   * Parses the {@code budget} section.
   *
   * @throws dev.offramp.runtime.settings.ConfigException naming the key, what was expected and
   *     found
   */
  public static BudgetSettings parse(ConfigNode n) {
    BudgetSettings d = defaults();
    OptionalDouble fps = optional(n, "target-fps", 1e6);
    OptionalDouble watts = optional(n, "max-watts", 1e6);
    OptionalDouble p95 = optional(n, "max-latency-p95-ms", 1e7);
    double dwellS = n.number("dwell-s", d.dwell().toMillis() / 1e3, 0, 86_400);
    double hysteresis = n.number("hysteresis", d.hysteresis(), 0, 0.5);
    Duration interval = n.duration("interval", d.interval());
    try {
      return new BudgetSettings(
          fps, watts, p95, Duration.ofMillis(Math.round(dwellS * 1e3)), hysteresis, interval);
    } catch (IllegalArgumentException e) {
      throw n.invalid(e);
    }
  }

  private static OptionalDouble optional(ConfigNode n, String key, double max) {
    if (!n.has(key)) {
      return OptionalDouble.empty();
    }
    return OptionalDouble.of(n.number(key, 0, 0.001, max));
  }
}
