package dev.offramp.runtime.lifecycle;

import java.time.Duration;
import java.util.Objects;

/**
 * One part of the daemon that a {@link Lifecycle} starts and stops: a named thing with a start and
 * a stop. The lifecycle calls {@link #start()} once, and {@link #stop(Duration)} at most once and
 * only after a start that returned; the stop is told how much of the shared stop budget is left and
 * should return within it (the lifecycle logs a part that does not, and stops the rest anyway).
 */
public interface Part {
  /** The name in log lines, e.g. {@code capture}. */
  String name();

  /** Starts the part; a failure stops every part started before it, in reverse order. */
  void start() throws Exception;

  /**
   * Stops the part and releases what it owns.
   *
   * @param left what is left of the stop budget; never negative
   */
  void stop(Duration left) throws Exception;

  /** A start or stop action. */
  @FunctionalInterface
  interface Action {
    void run() throws Exception;
  }

  /** A stop action that is told what is left of the budget. */
  @FunctionalInterface
  interface Stop {
    void stop(Duration left) throws Exception;
  }

  /** A part made of a start and a budgeted stop. */
  static Part of(String name, Action start, Stop stop) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(start, "start");
    Objects.requireNonNull(stop, "stop");
    return new Part() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public void start() throws Exception {
        start.run();
      }

      @Override
      public void stop(Duration left) throws Exception {
        stop.stop(left);
      }

      @Override
      public String toString() {
        return name;
      }
    };
  }

  /** A resource that was opened (and so started) before it was handed over; stopping closes it. */
  static Part closing(String name, AutoCloseable resource) {
    Objects.requireNonNull(resource, "resource");
    return of(name, () -> {}, left -> resource.close());
  }
}
