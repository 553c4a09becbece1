package dev.offramp.runtime.lifecycle;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Objects;

/**
 * Owns the daemon's start order, its stop order (the reverse) and its stop budget. Parts are
 * started one by one with {@link #start(Part)}, each listed once, in start order; a part whose
 * start fails makes the lifecycle stop every part already started, in reverse, before the failure
 * is rethrown. {@link #stop()} stops the started parts in reverse order under one deadline shared
 * by all of them: each part is told what is left, a part that fails or overruns is logged, and the
 * rest still stop. When the whole stop runs past the budget, the {@code overrun} action runs on a
 * guard thread (the daemon ends the process there, since systemd's stop time-out is near).
 *
 * <p>Thread-safety: start and stop are synchronized; {@link #stop()} is idempotent.
 */
public final class Lifecycle {
  private static final System.Logger LOG = System.getLogger(Lifecycle.class.getName());

  private final Duration stopBudget;
  private final Runnable overrun;
  private final Runnable announce;
  private final Deque<Part> started = new ArrayDeque<>();
  private final List<String> log = new ArrayList<>();

  /**
   * @param stopBudget how long the whole stop may take
   * @param overrun run once, on a guard thread, when a stop is still going at its deadline
   */
  public Lifecycle(Duration stopBudget, Runnable overrun) {
    this(stopBudget, overrun, () -> {});
  }

  /**
   * @param stopBudget how long the whole stop may take
   * @param overrun run once, on a guard thread, when a stop is still going at its deadline
   * @param announce run first in every stop that has parts to stop, within the budget (the daemon
   *     tells systemd {@code STOPPING} there)
   */
  public Lifecycle(Duration stopBudget, Runnable overrun, Runnable announce) {
    Objects.requireNonNull(stopBudget, "stopBudget");
    if (stopBudget.isNegative() || stopBudget.isZero()) {
      throw new IllegalArgumentException(
          "stop budget: expected a positive duration, found " + stopBudget);
    }
    this.stopBudget = stopBudget;
    this.overrun = Objects.requireNonNull(overrun, "overrun");
    this.announce = Objects.requireNonNull(announce, "announce");
  }

  /** The stop budget. */
  public Duration stopBudget() {
    return stopBudget;
  }

  /**
   * Starts {@code part} and records it for the stop.
   *
   * @return the part, for chaining
   * @throws RuntimeException the part's failure (checked ones wrapped), after the parts started
   *     before it were stopped in reverse
   */
  public synchronized <P extends Part> P start(P part) {
    Objects.requireNonNull(part, "part");
    try {
      part.start();
    } catch (Exception e) {
      LOG.log(Level.DEBUG, "starting {0} failed; stopping what started", part.name());
      stop();
      throw e instanceof RuntimeException r
          ? r
          : new IllegalStateException("starting " + part.name() + ": " + e.getMessage(), e);
    }
    started.push(part);
    log.add("started " + part.name());
    return part;
  }

  /**
   * Records a resource that is already open (and so started) as a part whose stop closes it.
   *
   * @return the resource
   */
  public <C extends AutoCloseable> C open(String name, C resource) {
    start(Part.closing(name, resource));
    return resource;
  }

  /**
   * Stops every started part in reverse start order within the stop budget. Idempotent: a second
   * call finds nothing left to stop.
   */
  public synchronized void stop() {
    if (started.isEmpty()) {
      return;
    }
    long deadline = System.nanoTime() + stopBudget.toNanos();
    Thread guard = new Thread(() -> guard(deadline), "offramp-stop-guard");
    guard.setDaemon(true);
    guard.start();
    try {
      announce.run();
      while (!started.isEmpty()) {
        Part part = started.pop();
        long left = Math.max(0, deadline - System.nanoTime());
        long begun = System.nanoTime();
        try {
          part.stop(Duration.ofNanos(left));
          log.add("stopped " + part.name());
        } catch (Exception e) {
          log.add("failed " + part.name());
          LOG.log(Level.WARNING, "stopping " + part.name() + " failed", e);
        }
        long took = System.nanoTime() - begun;
        if (took > left) {
          LOG.log(
              Level.WARNING,
              "stopping {0} took {1} ms, over the {2} ms left of the {3} ms stop budget",
              part.name(),
              took / 1_000_000,
              left / 1_000_000,
              stopBudget.toMillis());
        }
      }
    } finally {
      guard.interrupt();
    }
  }

  /** What happened so far, in order ({@code started x}, {@code stopped x}, {@code failed x}). */
  public synchronized List<String> events() {
    return List.copyOf(log);
  }

  private void guard(long deadline) {
    try {
      Thread.sleep(Math.max(0, (deadline - System.nanoTime()) / 1_000_000));
      overrun.run();
    } catch (InterruptedException e) {
      // The stop ended in time.
    }
  }
}
