package dev.offramp.runtime.audit;

import dev.offramp.runtime.settings.ConfigNode;
import java.time.Duration;
import java.util.Objects;

/**
 * The {@code audit} section.
 *
 * @param rate fraction of early-exit frames also run through the remaining stages, 0..1 (0: off)
 * @param tolerance how far below the expected agreement an interval's upper bound must fall to
 *     alert, 0..1
 * @param action what an alert does: {@code report} only, or {@code tighten} (the exit stops
 *     answering that class until cleared)
 * @param minSamples audited samples an exit and class needs before it may alert
 * @param queue audit samples waiting for idle time; samples beyond it are skipped and counted
 * @param publishInterval how often {@code <prefix>/audit} is published
 * @param seed seed of the sampling; 0 for a random one
 */
public record AuditSettings(
    double rate,
    double tolerance,
    Action action,
    int minSamples,
    int queue,
    Duration publishInterval,
    long seed) {

  /** What an alert does. */
  public enum Action {
    REPORT,
    TIGHTEN
  }

  public AuditSettings {
    if (!(rate >= 0 && rate <= 1)) {
      throw new IllegalArgumentException("audit.rate: expected a fraction in [0,1], found " + rate);
    }
    if (!(tolerance >= 0 && tolerance <= 1)) {
      throw new IllegalArgumentException(
          "audit.tolerance: expected a fraction in [0,1], found " + tolerance);
    }
    Objects.requireNonNull(action, "action");
    if (minSamples < 1) {
      throw new IllegalArgumentException("audit.min-samples: expected >= 1, found " + minSamples);
    }
    if (queue < 1) {
      throw new IllegalArgumentException("audit.queue: expected >= 1, found " + queue);
    }
    if (publishInterval.isNegative() || publishInterval.isZero()) {
      throw new IllegalArgumentException(
          "audit.publish-interval: expected a positive duration, found " + publishInterval);
    }
  }

  /** Defaults: 2% of early exits, tolerance 0.05, report, 30 samples, queue 16, every 10 s. */
  public static AuditSettings defaults() {
    return new AuditSettings(0.02, 0.05, Action.REPORT, 30, 16, Duration.ofSeconds(10), 0);
  }

  /** Whether any frame is audited. */
  public boolean enabled() {
    return rate > 0;
  }

  /** Parses the {@code audit} section; absent keys keep {@link #defaults()}. */
  public static AuditSettings parse(ConfigNode n) {
    AuditSettings d = defaults();
    try {
      return new AuditSettings(
          n.number("rate", d.rate(), 0, 1),
          n.number("tolerance", d.tolerance(), 0, 1),
          n.enumValue("action", Action.class, d.action()),
          n.integer("min-samples", d.minSamples(), 1, 1_000_000),
          n.integer("queue", d.queue(), 1, 1 << 16),
          n.duration("publish-interval", d.publishInterval()),
          (long) n.number("seed", d.seed(), 0, 1L << 53));
    } catch (IllegalArgumentException e) {
      throw n.invalid(e);
    }
  }
}
